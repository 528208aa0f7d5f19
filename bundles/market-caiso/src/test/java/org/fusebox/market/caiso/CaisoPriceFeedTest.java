package org.fusebox.market.caiso;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component: configuration bounds, a refused configuration keeps the previous one, request spacing. */
class CaisoPriceFeedTest {

    @TempDir
    Path dir;
    final CaisoPriceFeed feed = new CaisoPriceFeed(new MutableClock(Instant.parse("2026-07-14T20:30:00Z")));

    @AfterEach
    void stop() {
        feed.deactivate();
    }

    @Test
    void anInvalidFirstConfigurationIsRefusedWithEveryReason() {
        TestConfig c = new TestConfig();
        c.node = "TH NP15; DROP";
        c.publicationTime = "1pm";
        c.minRequestSpacingSeconds = 1;
        c.retryMaxSeconds = 10;
        c.baseUrl = "ftp://x";
        feed.start(dir, c);
        assertThat(feed.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(feed.health().details().get(0)).contains("refused", "node must be an OASIS node id", "publicationTime",
                "minRequestSpacingSeconds must be 5..3600", "below retryInitialSeconds", "baseUrl");
        assertThat(feed.prices(Instant.MIN, Instant.MAX).isEmpty()).isTrue();
    }

    @Test
    void aLaterInvalidConfigurationKeepsThePreviousOne() {
        TestConfig good = new TestConfig();
        good.baseUrl = "http://127.0.0.1:9/oasisapi/SingleZip"; // nothing listens on the discard port
        good.id = "caiso-np15";
        feed.start(dir, good);
        TestConfig bad = new TestConfig();
        bad.node = "";
        bad.id = "other";
        feed.configure(bad);
        assertThat(feed.id()).isEqualTo("caiso-np15");
        assertThat(feed.settings().node()).isEqualTo(OasisFiles.NODE);
        assertThat(feed.health().details().get(0)).contains("refused", "stays in force", "node must be");
        feed.configure(good);
        assertThat(feed.health().details().get(0)).doesNotContain("refused");
    }

    @Test
    void reconfiguringDoesNotSendRequestsCloserThanTheSpacing() throws Exception {
        try (ZipServer server = new ZipServer()) {
            server.answer(ZipServer.Answer.status(500, ""));
            TestConfig c = new TestConfig();
            c.baseUrl = server.baseUrl();
            feed.start(dir, c);
            waitFor(() -> server.requests.size() == 1);
            for (int i = 0; i < 5; i++) {
                c.id = "caiso-" + i;
                feed.configure(c);
            }
            Thread.sleep(800);
            // the clock stands still: the next place in the limiter is 10 s away
            assertThat(server.requests).hasSize(1);
            assertThat(feed.fetcher().nextAttempt()).isEqualTo(Instant.parse("2026-07-14T20:30:10Z"));
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(20);
        }
    }
}
