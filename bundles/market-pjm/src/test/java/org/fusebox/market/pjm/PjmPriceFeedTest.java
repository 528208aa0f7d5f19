package org.fusebox.market.pjm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.testing.MutableClock;
import org.fusebox.testing.PriceServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component: configuration bounds, a refused configuration keeps the previous one, the key never shown. */
class PjmPriceFeedTest {

    @TempDir
    Path dir;
    final PjmPriceFeed feed = new PjmPriceFeed(new MutableClock(Instant.parse("2026-07-14T18:00:00Z")));

    @AfterEach
    void stop() {
        feed.deactivate();
    }

    @Test
    void anInvalidFirstConfigurationIsRefusedWithEveryReason() {
        TestConfig c = new TestConfig();
        c.pnodeId = 0;
        c.key = "$[secret:pjm.key]";
        c.publicationTime = "half past one";
        c.maxRequestsPerMinute = 1000;
        c.rowCount = 60000;
        c.maxPages = 0;
        feed.start(dir, c);
        assertThat(feed.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(feed.health().details().get(0)).contains("refused", "pnodeId must be", "unresolved secret reference",
                "publicationTime", "maxRequestsPerMinute must be 1..600", "rowCount must be 25..50000", "maxPages must be 1..50");
        assertThat(feed.prices(Instant.MIN, Instant.MAX).isEmpty()).isTrue();
    }

    @Test
    void aLaterInvalidConfigurationKeepsThePreviousOneAndNeverShowsTheKey() {
        TestConfig good = new TestConfig();
        good.baseUrl = "http://127.0.0.1:9/api/v1/da_hrl_lmps"; // nothing listens on the discard port
        good.id = "pjm-west";
        feed.start(dir, good);
        TestConfig bad = new TestConfig();
        bad.key = "";
        bad.id = "other";
        feed.configure(bad);
        assertThat(feed.id()).isEqualTo("pjm-west");
        assertThat(feed.settings().pnodeId()).isEqualTo(DataMinerJson.PNODE);
        String health = String.join("\n", feed.health().details());
        assertThat(health).contains("refused", "stays in force", "subscriptionKey is required").doesNotContain("pjm-key-5c1e77");
        assertThat(feed.settings().toString()).doesNotContain("pjm-key-5c1e77");
    }

    @Test
    void theFeedServesWhatItFetched() throws Exception {
        try (PriceServer server = new PriceServer("application/json")) {
            server.answer(PriceServer.Answer.ok(DataMinerJson.page(DataMinerJson.items(PjmFeedTest.TODAY, PjmFeedTest.TOMORROW), 48,
                    "s", null)));
            TestConfig c = new TestConfig();
            c.baseUrl = server.url(PjmFeedTest.PATH).toString();
            feed.start(dir, c);
            long end = System.nanoTime() + 5_000_000_000L;
            while (feed.prices(PjmFeedTest.TODAY_START, PjmFeedTest.DAY_AFTER_START).isEmpty() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(feed.prices(PjmFeedTest.TODAY_START, PjmFeedTest.DAY_AFTER_START).slots()).hasSize(48);
            assertThat(feed.health().status()).isEqualTo(HealthStatus.UP);
            assertThat(feed.name()).isEqualTo("market.pjm");
        }
    }
}
