package org.fusebox.market.tibber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.testing.MutableClock;
import org.fusebox.testing.PriceServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component: its service properties, and a refused configuration keeps the previous one. */
class TibberPriceFeedTest {

    @TempDir
    Path dir;
    final TibberPriceFeed feed = new TibberPriceFeed(new MutableClock(Instant.parse("2026-10-24T11:30:00Z")));

    @AfterEach
    void stop() {
        feed.deactivate();
    }

    @Test
    void theServiceSaysItsPricesAreRetail() throws Exception {
        // the descriptor bnd generated from the annotations is what Declarative Services reads
        Path xml = Path.of("target/classes/OSGI-INF/org.fusebox.market.tibber.TibberPriceFeed.xml");
        String descriptor = Files.readString(xml);
        assertThat(descriptor).contains("name=\"fusebox.price.kind\"").contains("value=\"retail\"")
                .contains("org.fusebox.api.market.PriceFeed").contains("org.fusebox.api.health.HealthIndicator")
                .contains("configuration-policy=\"require\"").contains("configuration-pid=\"fusebox.market.tibber\"");
    }

    @Test
    void anInvalidFirstConfigurationIsRefusedWithEveryReason() {
        TestConfig c = new TestConfig();
        c.token = "$[secret:tibber.token]";
        c.resolution = "DAILY";
        c.currency = "kr";
        c.publicationTime = "1pm";
        c.maxRequestsPerMinute = 100;
        c.retryInitialSeconds = 600;
        c.retryMaxSeconds = 300;
        c.homeId = "my home";
        feed.start(dir, c);
        assertThat(feed.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(feed.health().details().get(0)).contains("refused", "unresolved secret reference",
                "QUARTER_HOURLY or HOURLY", "ISO 4217", "publicationTime", "maxRequestsPerMinute must be 1..10",
                "below retryInitialSeconds", "homeId");
        assertThat(feed.prices(Instant.MIN, Instant.MAX).isEmpty()).isTrue();
    }

    @Test
    void aLaterInvalidConfigurationKeepsThePreviousOne() {
        TestConfig good = new TestConfig();
        good.apiUrl = "http://127.0.0.1:9/gql"; // nothing listens on the discard port: requests fail fast
        good.id = "tibber-home";
        feed.start(dir, good);
        TestConfig bad = new TestConfig();
        bad.apiUrl = "ftp://example";
        bad.token = "";
        feed.configure(bad);
        assertThat(feed.id()).isEqualTo("tibber-home");
        assertThat(feed.settings().apiUrl().toString()).isEqualTo("http://127.0.0.1:9/gql");
        assertThat(feed.health().details().get(0)).contains("refused", "stays in force", "apiUrl", "token is required")
                .doesNotContain("tibber-test-token-5K2a");
        feed.configure(good);
        assertThat(feed.health().details().get(0)).doesNotContain("refused");
    }

    @Test
    void settingsNeverShowTheToken() {
        TibberSettings s = TibberSettings.from(new TestConfig());
        assertThat(s.toString()).doesNotContain("tibber-test-token-5K2a").contains("QUARTER_HOURLY");
        TestConfig spaced = new TestConfig();
        spaced.token = "abc def";
        assertThatThrownBy(() -> TibberSettings.from(spaced)).hasMessageContaining("token contains spaces")
                .hasMessageNotContaining("abc def");
    }

    @Test
    void reconfiguringKeepsTheRequestRate() throws Exception {
        try (PriceServer server = new PriceServer("application/json")) {
            server.answer(PriceServer.Answer.status(500, ""));
            TestConfig c = new TestConfig();
            c.apiUrl = server.url("/v1-beta/gql").toString();
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
