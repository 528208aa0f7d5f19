package org.fusebox.market.nordpool;

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
class NordpoolPriceFeedTest {

    @TempDir
    Path dir;
    final NordpoolPriceFeed feed = new NordpoolPriceFeed(new MutableClock(Instant.parse("2026-10-24T11:30:00Z")));

    @AfterEach
    void stop() {
        feed.deactivate();
    }

    @Test
    void theServiceSaysItsPricesAreSpot() throws Exception {
        // the descriptor bnd generated from the annotations is what Declarative Services reads
        String descriptor = java.nio.file.Files.readString(Path.of("target/classes/OSGI-INF/org.fusebox.market.nordpool.NordpoolPriceFeed.xml"));
        assertThat(descriptor).contains("name=\"fusebox.price.kind\"").contains("value=\"spot\"")
                .contains("configuration-pid=\"fusebox.market.nordpool\"");
    }

    @Test
    void anInvalidFirstConfigurationIsRefusedWithEveryReason() {
        TestConfig c = new TestConfig();
        c.deliveryArea = "SE5";
        c.currency = "USD";
        c.publicationTime = "1pm";
        c.maxRequestsPerMinute = 60;
        c.retryMaxSeconds = 10;
        c.minRequestSpacingSeconds = -1;
        feed.start(dir, c);
        assertThat(feed.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(feed.health().details().get(0)).contains("refused", "deliveryArea must be one of", "SE4", "SYS",
                "currency must be one of", "'USD'", "publicationTime", "maxRequestsPerMinute must be 1..10",
                "below retryInitialSeconds", "minRequestSpacingSeconds");
        assertThat(feed.prices(Instant.MIN, Instant.MAX).isEmpty()).isTrue();
    }

    @Test
    void aLaterInvalidConfigurationKeepsThePreviousOne() {
        TestConfig good = new TestConfig();
        good.baseUrl = "http://127.0.0.1:9/api/DayAheadPrices"; // the discard port: requests fail fast
        good.deliveryArea = "se3";
        feed.start(dir, good);
        assertThat(feed.settings().area()).isEqualTo("SE3");
        TestConfig bad = new TestConfig();
        bad.deliveryArea = "";
        feed.configure(bad);
        assertThat(feed.settings().baseUrl().toString()).isEqualTo("http://127.0.0.1:9/api/DayAheadPrices");
        assertThat(feed.health().details().get(0)).contains("refused", "stays in force", "deliveryArea");
        feed.configure(good);
        assertThat(feed.health().details().get(0)).doesNotContain("refused");
    }

    @Test
    void reconfiguringKeepsTheRequestRate() throws Exception {
        try (PriceServer server = new PriceServer("application/json")) {
            server.answer(PriceServer.Answer.status(500, ""));
            TestConfig c = new TestConfig();
            c.baseUrl = server.url("/api/DayAheadPrices").toString();
            c.maxRequestsPerMinute = 2;
            feed.start(dir, c);
            awaitRequests(server, 1);
            feed.configure(c); // a new fetcher asks at once, through the feed's one limiter
            awaitRequests(server, 2);
            feed.configure(c);
            feed.configure(c);
            Thread.sleep(300);
            assertThat(server.requests).hasSize(2);
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
