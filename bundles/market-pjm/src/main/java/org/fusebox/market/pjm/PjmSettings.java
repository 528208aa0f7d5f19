package org.fusebox.market.pjm;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import org.fusebox.market.support.ConfigCheck;
import org.fusebox.market.support.DailySchedule;

/**
 * A checked configuration: built whole or refused with every reason at once.
 * {@link #toString()} leaves the key out, so settings may be logged.
 */
record PjmSettings(long pnodeId, String key, URI baseUrl, String id, LocalTime publicationTime, Duration retryInitial,
        Duration retryMax, int maxRequestsPerMinute, int rowCount, int maxPages, Duration connectTimeout,
        Duration requestTimeout, Duration healthHorizon) {

    static PjmSettings from(PjmConfig c) {
        ConfigCheck check = new ConfigCheck();
        check.require(c.pnodeId() >= 1 && c.pnodeId() <= 9_999_999_999L, "pnodeId must be a Data Miner pnode_id (a positive number), got "
                + c.pnodeId());
        String key = c.subscriptionKey() == null ? "" : c.subscriptionKey().trim();
        if (key.isEmpty()) {
            check.require(false, "subscriptionKey is required");
        } else if (key.startsWith("$[")) {
            check.require(false, "subscriptionKey is an unresolved secret reference (is the file in etc/secrets/ readable?)");
        } else {
            check.require(key.chars().allMatch(ch -> ch > 32 && ch < 127), "subscriptionKey contains spaces or non-ASCII characters");
        }
        URI base = check.httpUrl("baseUrl", c.baseUrl());
        String id = check.id("id", c.id());
        LocalTime publication = check.time("publicationTime", c.publicationTime());
        check.range("retryInitialSeconds", c.retryInitialSeconds(), 10, 86400, "");
        check.range("retryMaxSeconds", c.retryMaxSeconds(), 10, 86400, "");
        check.require(c.retryMaxSeconds() >= c.retryInitialSeconds(),
                "retryMaxSeconds (" + c.retryMaxSeconds() + ") is below retryInitialSeconds (" + c.retryInitialSeconds() + ")");
        check.range("maxRequestsPerMinute", c.maxRequestsPerMinute(), 1, 600, "Data Miner allows members 600, non-members 6");
        check.range("rowCount", c.rowCount(), 25, 50000, "Data Miner's largest page is 50000");
        check.range("maxPages", c.maxPages(), 1, 50, "");
        check.range("connectTimeoutSeconds", c.connectTimeoutSeconds(), 1, 300, "");
        check.range("requestTimeoutSeconds", c.requestTimeoutSeconds(), 1, 600, "");
        check.range("healthHorizonHours", c.healthHorizonHours(), 0, 48, "");
        check.throwIfAny();
        return new PjmSettings(c.pnodeId(), key, base, id, publication, Duration.ofSeconds(c.retryInitialSeconds()),
                Duration.ofSeconds(c.retryMaxSeconds()), c.maxRequestsPerMinute(), c.rowCount(), c.maxPages(),
                Duration.ofSeconds(c.connectTimeoutSeconds()), Duration.ofSeconds(c.requestTimeoutSeconds()),
                Duration.ofHours(c.healthHorizonHours()));
    }

    /** Requests spread over the minute rather than in bursts: 60 s divided by the rate. */
    Duration minSpacing() {
        return Duration.ofMillis(60_000L / maxRequestsPerMinute);
    }

    DailySchedule schedule() {
        return new DailySchedule(TradeDays.EASTERN, publicationTime, retryInitial, retryMax, minSpacing());
    }

    @Override
    public String toString() {
        return "pnodeId=" + pnodeId + ", baseUrl=" + baseUrl + ", id=" + id + ", publication=" + publicationTime
                + " Eastern, retry=" + retryInitial + ".." + retryMax + ", maxRequestsPerMinute=" + maxRequestsPerMinute
                + ", rowCount=" + rowCount + ", maxPages=" + maxPages;
    }
}
