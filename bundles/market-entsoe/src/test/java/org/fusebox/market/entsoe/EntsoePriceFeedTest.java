package org.fusebox.market.entsoe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.testing.MutableClock;
import org.fusebox.testing.PriceServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component: a refused configuration keeps the previous one, with every reason in health. */
class EntsoePriceFeedTest {

    @TempDir
    Path dir;
    final EntsoePriceFeed feed = new EntsoePriceFeed(new MutableClock(Instant.parse("2025-10-25T11:30:00Z")));

    @AfterEach
    void stop() {
        feed.deactivate();
    }

    @Test
    void anInvalidFirstConfigurationIsRefusedWithEveryReason() {
        TestConfig c = new TestConfig();
        c.zone = "BE";
        c.token = "$[secret:entsoe.token]";
        c.publicationTime = "1pm";
        c.maxRequestsPerMinute = 1000;
        c.retryMaxSeconds = 10;
        feed.start(dir, c);
        assertThat(feed.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(feed.health().details().get(0)).contains("refused", "16-character EIC", "unresolved secret reference",
                "publicationTime", "1..400", "below retryInitialSeconds");
        assertThat(feed.prices(Instant.MIN, Instant.MAX).isEmpty()).isTrue();
    }

    @Test
    void aLaterInvalidConfigurationKeepsThePreviousOne() {
        TestConfig good = new TestConfig();
        good.baseUrl = "http://127.0.0.1:9/api"; // nothing listens on the discard port: requests fail fast
        good.id = "entsoe-be";
        feed.start(dir, good);
        TestConfig bad = new TestConfig();
        bad.baseUrl = "ftp://example";
        bad.id = "other";
        feed.configure(bad);
        assertThat(feed.id()).isEqualTo("entsoe-be");
        assertThat(feed.settings().baseUrl().toString()).isEqualTo("http://127.0.0.1:9/api");
        assertThat(feed.health().details().get(0)).contains("refused", "stays in force", "baseUrl")
                .doesNotContain("test-token-0f3e");
        feed.configure(good);
        assertThat(feed.health().details().get(0)).doesNotContain("refused");
    }

    @Test
    void reconfiguringDoesNotResetTheRequestRate() throws Exception {
        try (PriceServer server = new PriceServer("text/xml")) {
            server.answer(PriceServer.Answer.status(500, ""));
            TestConfig c = new TestConfig();
            c.baseUrl = server.url("/api").toString();
            c.maxRequestsPerMinute = 3;
            feed.start(dir, c);
            awaitRequests(server, 1);
            feed.configure(c); // each new fetcher asks at once, through the feed's one limiter
            awaitRequests(server, 2);
            feed.configure(c);
            awaitRequests(server, 3);
            feed.configure(c);
            feed.configure(c);
            Thread.sleep(300);
            assertThat(server.requests).hasSize(3);
        }
    }

    static void awaitRequests(PriceServer server, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.requests.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.requests).hasSize(n);
    }
}
