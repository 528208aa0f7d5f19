package org.fusebox.market.energycharts;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.regex.Pattern;
import org.fusebox.market.support.ConfigCheck;
import org.fusebox.market.support.DailySchedule;

/** A checked configuration: built whole or refused with every reason at once. */
record EnergyChartsSettings(String biddingZone, URI baseUrl, String id, ZoneId marketZone, LocalTime publicationTime,
        Duration retryInitial, Duration retryMax, Duration minSpacing, int maxRequestsPerHour, Duration connectTimeout,
        Duration requestTimeout, Duration healthHorizon) {

    /** The API's zone codes: a country, then an optional part (DE-LU, IT-North, DK1, NO2, SE4). */
    private static final Pattern ZONE = Pattern.compile("[A-Z]{2}([0-9]|(-[A-Za-z]+)+)?");

    static EnergyChartsSettings from(EnergyChartsConfig c) {
        ConfigCheck check = new ConfigCheck();
        String zone = c.biddingZone() == null ? "" : c.biddingZone().trim();
        check.require(ZONE.matcher(zone).matches(), "biddingZone must be an Energy-Charts bzn code such as DE-LU, AT, DK1 "
                + "or IT-North, got '" + zone + "'");
        URI url = check.httpUrl("baseUrl", c.baseUrl());
        String id = check.id("id", c.id());
        ZoneId marketZone = check.zone("marketTimeZone", c.marketTimeZone());
        LocalTime publication = check.time("publicationTime", c.publicationTime());
        check.range("retryInitialSeconds", c.retryInitialSeconds(), 60, 86_400, "");
        check.range("retryMaxSeconds", c.retryMaxSeconds(), 60, 86_400, "");
        check.require(c.retryMaxSeconds() >= c.retryInitialSeconds(), "retryMaxSeconds (" + c.retryMaxSeconds()
                + ") is below retryInitialSeconds (" + c.retryInitialSeconds() + ")");
        check.range("minSpacingSeconds", c.minSpacingSeconds(), 60, 86_400, "");
        check.range("maxRequestsPerHour", c.maxRequestsPerHour(), 1, 60, "");
        check.range("connectTimeoutSeconds", c.connectTimeoutSeconds(), 1, 300, "");
        check.range("requestTimeoutSeconds", c.requestTimeoutSeconds(), 1, 300, "");
        check.range("healthHorizonHours", c.healthHorizonHours(), 0, 48, "");
        check.throwIfAny();
        return new EnergyChartsSettings(zone, url, id, marketZone, publication, Duration.ofSeconds(c.retryInitialSeconds()),
                Duration.ofSeconds(c.retryMaxSeconds()), Duration.ofSeconds(c.minSpacingSeconds()), c.maxRequestsPerHour(),
                Duration.ofSeconds(c.connectTimeoutSeconds()), Duration.ofSeconds(c.requestTimeoutSeconds()),
                Duration.ofHours(c.healthHorizonHours()));
    }

    DailySchedule schedule() {
        return new DailySchedule(marketZone, publicationTime, retryInitial, retryMax, minSpacing);
    }

    @Override
    public String toString() {
        return "biddingZone=" + biddingZone + ", baseUrl=" + baseUrl + ", id=" + id + ", publication=" + publicationTime
                + " " + marketZone + ", retry=" + retryInitial + ".." + retryMax + ", minSpacing=" + minSpacing
                + ", maxRequestsPerHour=" + maxRequestsPerHour;
    }
}
