package org.fusebox.market.entsoe;

import java.net.URI;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.fusebox.market.support.DailySchedule;

/**
 * A checked configuration: built whole or refused with every reason at once.
 * {@link #toString()} leaves the token out, so settings may be logged.
 */
record EntsoeSettings(String zone, String token, URI baseUrl, String id, ZoneId marketZone, LocalTime publicationTime,
        Duration retryInitial, Duration retryMax, int maxRequestsPerMinute, Duration connectTimeout,
        Duration requestTimeout, Duration healthHorizon) {

    private static final Pattern EIC = Pattern.compile("[0-9A-Z]{2}[0-9A-Z-]{13}[0-9A-Z-]");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");

    static EntsoeSettings from(EntsoeConfig c) {
        List<String> reasons = new ArrayList<>();
        String zone = c.zone() == null ? "" : c.zone().trim();
        if (!EIC.matcher(zone).matches()) {
            reasons.add("zone must be a 16-character EIC code such as 10YBE----------2, got '" + zone + "'");
        }
        String token = c.securityToken() == null ? "" : c.securityToken().trim();
        if (token.isEmpty()) {
            reasons.add("securityToken is required");
        } else if (token.startsWith("$[")) {
            reasons.add("securityToken is an unresolved secret reference (is the file in etc/secrets/ readable?)");
        } else if (!token.chars().allMatch(ch -> ch > 32 && ch < 127)) {
            reasons.add("securityToken contains spaces or non-ASCII characters");
        }
        URI base = null;
        try {
            base = URI.create(c.baseUrl() == null ? "" : c.baseUrl().trim());
            if (!("https".equals(base.getScheme()) || "http".equals(base.getScheme())) || base.getHost() == null
                    || base.getQuery() != null) {
                reasons.add("baseUrl must be an http(s) URL without a query, got '" + c.baseUrl() + "'");
            }
        } catch (IllegalArgumentException e) {
            reasons.add("baseUrl is not a URL: " + e.getMessage());
        }
        String id = c.id() == null ? "" : c.id().trim();
        if (!ID.matcher(id).matches()) {
            reasons.add("id must be letters, digits, '.', '_' or '-', got '" + id + "'");
        }
        ZoneId marketZone = null;
        try {
            marketZone = ZoneId.of(c.marketTimeZone());
        } catch (DateTimeException | NullPointerException e) {
            reasons.add("marketTimeZone is not a time zone: '" + c.marketTimeZone() + "'");
        }
        LocalTime publication = null;
        try {
            publication = LocalTime.parse(c.publicationTime().trim());
        } catch (DateTimeException | NullPointerException e) {
            reasons.add("publicationTime must be HH:mm, got '" + c.publicationTime() + "'");
        }
        positive(reasons, "retryInitialSeconds", c.retryInitialSeconds());
        positive(reasons, "retryMaxSeconds", c.retryMaxSeconds());
        if (c.retryMaxSeconds() < c.retryInitialSeconds()) {
            reasons.add("retryMaxSeconds (" + c.retryMaxSeconds() + ") is below retryInitialSeconds (" + c.retryInitialSeconds() + ")");
        }
        if (c.maxRequestsPerMinute() < 1 || c.maxRequestsPerMinute() > 400) {
            reasons.add("maxRequestsPerMinute must be 1..400 (the platform's limit per token), got " + c.maxRequestsPerMinute());
        }
        positive(reasons, "connectTimeoutSeconds", c.connectTimeoutSeconds());
        positive(reasons, "requestTimeoutSeconds", c.requestTimeoutSeconds());
        if (c.healthHorizonHours() < 0 || c.healthHorizonHours() > 48) {
            reasons.add("healthHorizonHours must be 0..48, got " + c.healthHorizonHours());
        }
        if (!reasons.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", reasons));
        }
        return new EntsoeSettings(zone, token, base, id, marketZone, publication,
                Duration.ofSeconds(c.retryInitialSeconds()), Duration.ofSeconds(c.retryMaxSeconds()),
                c.maxRequestsPerMinute(), Duration.ofSeconds(c.connectTimeoutSeconds()),
                Duration.ofSeconds(c.requestTimeoutSeconds()), Duration.ofHours(c.healthHorizonHours()));
    }

    private static void positive(List<String> reasons, String key, int value) {
        if (value < 1) {
            reasons.add(key + " must be at least 1, got " + value);
        }
    }

    DailySchedule schedule() {
        return new DailySchedule(marketZone, publicationTime, retryInitial, retryMax);
    }

    /** The same source: a change of these needs a new cache, not just a new schedule. */
    boolean sameSource(EntsoeSettings o) {
        return o != null && zone.equals(o.zone) && baseUrl.equals(o.baseUrl);
    }

    @Override
    public String toString() {
        return "zone=" + zone + ", baseUrl=" + baseUrl + ", id=" + id + ", publication=" + publicationTime + " "
                + marketZone + ", retry=" + retryInitial + ".." + retryMax + ", maxRequestsPerMinute=" + maxRequestsPerMinute;
    }
}
