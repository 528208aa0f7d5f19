package org.fusebox.market.caiso;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.util.regex.Pattern;
import org.fusebox.market.support.ConfigCheck;
import org.fusebox.market.support.DailySchedule;

/** A checked configuration: built whole or refused with every reason at once. */
record CaisoSettings(String node, URI baseUrl, String id, LocalTime publicationTime, Duration retryInitial,
        Duration retryMax, Duration minSpacing, Duration connectTimeout, Duration requestTimeout, Duration healthHorizon) {

    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** OASIS answers HTTP 429 to requests closer than this. */
    static final int OASIS_MIN_SPACING_SECONDS = 5;

    static CaisoSettings from(CaisoConfig c) {
        ConfigCheck check = new ConfigCheck();
        String node = c.node() == null ? "" : c.node().trim();
        check.require(NODE.matcher(node).matches(),
                "node must be an OASIS node id such as TH_NP15_GEN-APND (letters, digits, '_', '-', '.'), got '" + node + "'");
        URI base = check.httpUrl("baseUrl", c.baseUrl());
        String id = check.id("id", c.id());
        LocalTime publication = check.time("publicationTime", c.publicationTime());
        check.range("retryInitialSeconds", c.retryInitialSeconds(), OASIS_MIN_SPACING_SECONDS, 86400, "");
        check.range("retryMaxSeconds", c.retryMaxSeconds(), OASIS_MIN_SPACING_SECONDS, 86400, "");
        check.require(c.retryMaxSeconds() >= c.retryInitialSeconds(),
                "retryMaxSeconds (" + c.retryMaxSeconds() + ") is below retryInitialSeconds (" + c.retryInitialSeconds() + ")");
        check.range("minRequestSpacingSeconds", c.minRequestSpacingSeconds(), OASIS_MIN_SPACING_SECONDS, 3600,
                "OASIS refuses requests less than 5 s apart");
        check.range("connectTimeoutSeconds", c.connectTimeoutSeconds(), 1, 300, "");
        check.range("requestTimeoutSeconds", c.requestTimeoutSeconds(), 1, 600, "");
        check.range("healthHorizonHours", c.healthHorizonHours(), 0, 48, "");
        check.throwIfAny();
        return new CaisoSettings(node, base, id, publication, Duration.ofSeconds(c.retryInitialSeconds()),
                Duration.ofSeconds(c.retryMaxSeconds()), Duration.ofSeconds(c.minRequestSpacingSeconds()),
                Duration.ofSeconds(c.connectTimeoutSeconds()), Duration.ofSeconds(c.requestTimeoutSeconds()),
                Duration.ofHours(c.healthHorizonHours()));
    }

    DailySchedule schedule() {
        return new DailySchedule(TradeDays.PACIFIC, publicationTime, retryInitial, retryMax, minSpacing);
    }

    @Override
    public String toString() {
        return "node=" + node + ", baseUrl=" + baseUrl + ", id=" + id + ", publication=" + publicationTime
                + " Pacific, retry=" + retryInitial + ".." + retryMax + ", spacing=" + minSpacing;
    }
}
