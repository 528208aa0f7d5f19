package org.fusebox.market.awattar;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import org.fusebox.market.support.ConfigCheck;
import org.fusebox.market.support.DailySchedule;

/** A checked configuration: built whole or refused with every reason at once. */
record AwattarSettings(String country, URI baseUrl, String id, LocalTime publicationTime, Duration retryInitial,
        Duration retryMax, Duration minSpacing, int maxRequestsPerDay, Duration connectTimeout, Duration requestTimeout,
        Duration healthHorizon) {

    /** aWATTar documents a fair-use limit of 100 requests a day. */
    static final int FAIR_USE_PER_DAY = 100;

    static AwattarSettings from(AwattarConfig c) {
        ConfigCheck check = new ConfigCheck();
        String country = c.country() == null ? "" : c.country().trim().toUpperCase();
        check.require(country.equals("DE") || country.equals("AT"), "country must be DE or AT, got '" + c.country() + "'");
        String base = c.baseUrl() == null ? "" : c.baseUrl().trim();
        URI url = base.isEmpty()
                ? URI.create("https://api.awattar." + (country.equals("AT") ? "at" : "de") + "/v1/marketdata")
                : check.httpUrl("baseUrl", base);
        String id = check.id("id", c.id());
        LocalTime publication = check.time("publicationTime", c.publicationTime());
        check.range("retryInitialSeconds", c.retryInitialSeconds(), 60, 86_400, "");
        check.range("retryMaxSeconds", c.retryMaxSeconds(), 60, 86_400, "");
        check.require(c.retryMaxSeconds() >= c.retryInitialSeconds(), "retryMaxSeconds (" + c.retryMaxSeconds()
                + ") is below retryInitialSeconds (" + c.retryInitialSeconds() + ")");
        check.range("minSpacingSeconds", c.minSpacingSeconds(), 60, 86_400, "");
        check.range("maxRequestsPerDay", c.maxRequestsPerDay(), 1, FAIR_USE_PER_DAY, "aWATTar's fair-use limit");
        check.range("connectTimeoutSeconds", c.connectTimeoutSeconds(), 1, 300, "");
        check.range("requestTimeoutSeconds", c.requestTimeoutSeconds(), 1, 300, "");
        check.range("healthHorizonHours", c.healthHorizonHours(), 0, 48, "");
        check.throwIfAny();
        return new AwattarSettings(country, url, id, publication, Duration.ofSeconds(c.retryInitialSeconds()),
                Duration.ofSeconds(c.retryMaxSeconds()), Duration.ofSeconds(c.minSpacingSeconds()), c.maxRequestsPerDay(),
                Duration.ofSeconds(c.connectTimeoutSeconds()), Duration.ofSeconds(c.requestTimeoutSeconds()),
                Duration.ofHours(c.healthHorizonHours()));
    }

    /** The delivery day of the German and Austrian market (both CET/CEST). */
    ZoneId marketZone() {
        return ZoneId.of(country.equals("AT") ? "Europe/Vienna" : "Europe/Berlin");
    }

    DailySchedule schedule() {
        return new DailySchedule(marketZone(), publicationTime, retryInitial, retryMax, minSpacing);
    }

    @Override
    public String toString() {
        return "country=" + country + ", baseUrl=" + baseUrl + ", id=" + id + ", publication=" + publicationTime
                + ", retry=" + retryInitial + ".." + retryMax + ", minSpacing=" + minSpacing + ", maxRequestsPerDay=" + maxRequestsPerDay;
    }
}
