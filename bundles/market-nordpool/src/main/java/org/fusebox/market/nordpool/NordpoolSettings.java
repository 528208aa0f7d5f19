package org.fusebox.market.nordpool;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import org.fusebox.market.support.ConfigCheck;
import org.fusebox.market.support.DailySchedule;

/** A checked configuration: built whole or refused with every reason at once. */
record NordpoolSettings(String area, Currency currency, boolean usePreliminary, URI baseUrl, String id, ZoneId marketZone,
        LocalTime publicationTime, Duration retryInitial, Duration retryMax, int maxRequestsPerMinute, Duration minSpacing,
        Duration connectTimeout, Duration requestTimeout, Duration healthHorizon) {

    /** The day-ahead areas the data portal names (Nordic, Baltic, and the CWE/Poland areas it also publishes). */
    static final Set<String> AREAS = Set.of("NO1", "NO2", "NO3", "NO4", "NO5", "SE1", "SE2", "SE3", "SE4", "FI", "DK1",
            "DK2", "EE", "LV", "LT", "SYS", "AT", "BE", "FR", "GER", "NL", "PL");
    static final Set<String> CURRENCIES = Set.of("EUR", "NOK", "SEK", "DKK", "PLN", "GBP", "RON", "BGN");

    static NordpoolSettings from(NordpoolConfig c) {
        ConfigCheck check = new ConfigCheck();
        String area = trim(c.deliveryArea()).toUpperCase(Locale.ROOT);
        check.require(AREAS.contains(area), "deliveryArea must be one of " + sorted(AREAS) + ", got '" + trim(c.deliveryArea()) + "'");
        String code = trim(c.currency()).toUpperCase(Locale.ROOT);
        check.require(CURRENCIES.contains(code), "currency must be one of " + sorted(CURRENCIES) + ", got '" + trim(c.currency()) + "'");
        URI base = check.httpUrl("baseUrl", c.baseUrl());
        String id = check.id("id", c.id());
        ZoneId marketZone = check.zone("marketTimeZone", c.marketTimeZone());
        LocalTime publication = check.time("publicationTime", c.publicationTime());
        check.range("retryInitialSeconds", c.retryInitialSeconds(), 10, 86_400, "");
        check.range("retryMaxSeconds", c.retryMaxSeconds(), 10, 86_400, "");
        check.require(c.retryMaxSeconds() >= c.retryInitialSeconds(), "retryMaxSeconds (" + c.retryMaxSeconds()
                + ") is below retryInitialSeconds (" + c.retryInitialSeconds() + ")");
        check.range("maxRequestsPerMinute", c.maxRequestsPerMinute(), 1, 10, "a public website API: a day needs two or three");
        check.range("minRequestSpacingSeconds", c.minRequestSpacingSeconds(), 0, 3600, "");
        check.range("connectTimeoutSeconds", c.connectTimeoutSeconds(), 1, 120, "");
        check.range("requestTimeoutSeconds", c.requestTimeoutSeconds(), 1, 300, "");
        check.range("healthHorizonHours", c.healthHorizonHours(), 0, 48, "");
        check.throwIfAny();
        return new NordpoolSettings(area, Currency.getInstance(code), c.usePreliminary(), base, id, marketZone, publication,
                Duration.ofSeconds(c.retryInitialSeconds()), Duration.ofSeconds(c.retryMaxSeconds()),
                c.maxRequestsPerMinute(), Duration.ofSeconds(c.minRequestSpacingSeconds()),
                Duration.ofSeconds(c.connectTimeoutSeconds()), Duration.ofSeconds(c.requestTimeoutSeconds()),
                Duration.ofHours(c.healthHorizonHours()));
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static String sorted(Set<String> s) {
        return String.join(", ", new java.util.TreeSet<>(s));
    }

    /** Names the cache file: another area or currency is another source. */
    String sourceKey() {
        return area + "-" + currency.getCurrencyCode();
    }

    DailySchedule schedule() {
        return new DailySchedule(marketZone, publicationTime, retryInitial, retryMax, minSpacing);
    }

    @Override
    public String toString() {
        return "area=" + area + ", currency=" + currency + ", usePreliminary=" + usePreliminary + ", baseUrl=" + baseUrl
                + ", id=" + id + ", publication=" + publicationTime + " " + marketZone + ", retry=" + retryInitial + ".."
                + retryMax + ", maxRequestsPerMinute=" + maxRequestsPerMinute + ", minSpacing=" + minSpacing;
    }
}
