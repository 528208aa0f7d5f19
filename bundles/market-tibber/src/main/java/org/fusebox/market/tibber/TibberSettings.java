package org.fusebox.market.tibber;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Currency;
import java.util.Optional;
import java.util.regex.Pattern;
import org.fusebox.market.support.ConfigCheck;
import org.fusebox.market.support.DailySchedule;

/**
 * A checked configuration: built whole or refused with every reason at once.
 * {@link #toString()} leaves the token out, so settings may be logged.
 */
record TibberSettings(String token, Optional<String> homeId, Resolution resolution, Optional<Currency> currency,
        URI apiUrl, String id, ZoneId marketZone, LocalTime publicationTime, Duration retryInitial, Duration retryMax,
        int maxRequestsPerMinute, Duration minSpacing, Duration connectTimeout, Duration requestTimeout, Duration healthHorizon) {

    /** Tibber's home ids are UUIDs; anything printable without spaces is let through to be matched. */
    private static final Pattern HOME_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    static TibberSettings from(TibberConfig c) {
        ConfigCheck check = new ConfigCheck();
        String token = trim(c.token());
        check.require(!token.isEmpty(), "token is required");
        check.require(!token.startsWith("$["), "token is an unresolved secret reference (is the file in etc/secrets/ readable?)");
        check.require(token.chars().allMatch(ch -> ch > 32 && ch < 127), "token contains spaces or non-ASCII characters");
        String home = trim(c.homeId());
        check.require(home.isEmpty() || HOME_ID.matcher(home).matches(),
                "homeId must be the home's id (letters, digits, '-'), got '" + home + "'");
        Resolution resolution = null;
        try {
            resolution = Resolution.valueOf(trim(c.resolution()));
        } catch (IllegalArgumentException e) {
            check.require(false, "resolution must be QUARTER_HOURLY or HOURLY, got '" + c.resolution() + "'");
        }
        Currency currency = null;
        String code = trim(c.currency());
        if (!code.isEmpty()) {
            try {
                currency = CURRENCY.matcher(code).matches() ? Currency.getInstance(code) : null;
            } catch (IllegalArgumentException e) {
                // reported below
            }
            check.require(currency != null, "currency must be an ISO 4217 code such as EUR, NOK or SEK, got '" + code + "'");
        }
        URI api = check.httpUrl("apiUrl", c.apiUrl());
        String id = check.id("id", c.id());
        ZoneId marketZone = check.zone("marketTimeZone", c.marketTimeZone());
        LocalTime publication = check.time("publicationTime", c.publicationTime());
        check.range("retryInitialSeconds", c.retryInitialSeconds(), 10, 86_400, "");
        check.range("retryMaxSeconds", c.retryMaxSeconds(), 10, 86_400, "");
        check.require(c.retryMaxSeconds() >= c.retryInitialSeconds(), "retryMaxSeconds (" + c.retryMaxSeconds()
                + ") is below retryInitialSeconds (" + c.retryInitialSeconds() + ")");
        check.range("maxRequestsPerMinute", c.maxRequestsPerMinute(), 1, 10, "a day needs a few");
        check.range("minRequestSpacingSeconds", c.minRequestSpacingSeconds(), 0, 3600, "");
        check.range("connectTimeoutSeconds", c.connectTimeoutSeconds(), 1, 120, "");
        check.range("requestTimeoutSeconds", c.requestTimeoutSeconds(), 1, 300, "");
        check.range("healthHorizonHours", c.healthHorizonHours(), 0, 48, "");
        check.throwIfAny();
        return new TibberSettings(token, home.isEmpty() ? Optional.empty() : Optional.of(home), resolution,
                Optional.ofNullable(currency), api, id, marketZone, publication,
                Duration.ofSeconds(c.retryInitialSeconds()), Duration.ofSeconds(c.retryMaxSeconds()),
                c.maxRequestsPerMinute(), Duration.ofSeconds(c.minRequestSpacingSeconds()),
                Duration.ofSeconds(c.connectTimeoutSeconds()), Duration.ofSeconds(c.requestTimeoutSeconds()),
                Duration.ofHours(c.healthHorizonHours()));
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    /** Names the cache file: another home or resolution is another source. */
    String sourceKey() {
        return homeId.orElse("only-home") + "-" + resolution.name().toLowerCase(java.util.Locale.ROOT);
    }

    DailySchedule schedule() {
        return new DailySchedule(marketZone, publicationTime, retryInitial, retryMax, minSpacing);
    }

    @Override
    public String toString() {
        return "home=" + homeId.orElse("(the only one)") + ", resolution=" + resolution + ", currency="
                + currency.map(Currency::getCurrencyCode).orElse("(as stated)") + ", apiUrl=" + apiUrl + ", id=" + id
                + ", publication=" + publicationTime + " " + marketZone + ", retry=" + retryInitial + ".." + retryMax
                + ", maxRequestsPerMinute=" + maxRequestsPerMinute + ", minSpacing=" + minSpacing;
    }
}
