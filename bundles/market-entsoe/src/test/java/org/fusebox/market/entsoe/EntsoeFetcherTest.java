package org.fusebox.market.entsoe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fusebox.market.entsoe.Documents.BE;
import static org.fusebox.market.entsoe.Documents.NS_7_3;
import static org.fusebox.market.entsoe.Documents.fullPeriod;
import static org.fusebox.market.entsoe.Documents.publication;
import static org.fusebox.market.entsoe.Documents.series;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.testing.MutableClock;
import org.fusebox.testing.PriceServer;
import org.fusebox.testing.PriceServer.Answer;
import org.fusebox.testing.PriceServer.Truncation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetcher against a real HTTP server on loopback: the request it sends, what it keeps when the
 * answer is bad, its cache over a restart, its schedule and its health. Saturday 25 Oct 2025, the
 * day before the autumn clock change: tomorrow has 100 quarter hours.
 */
class EntsoeFetcherTest {

    static final Duration QH = Duration.ofMinutes(15);
    static final Instant SAT = Instant.parse("2025-10-24T22:00:00Z"); // 25 Oct 00:00 CEST
    static final Instant SUN = Instant.parse("2025-10-25T22:00:00Z"); // 26 Oct 00:00 CEST
    static final Instant MON = Instant.parse("2025-10-26T23:00:00Z"); // 27 Oct 00:00 CET
    static final Instant AFTER_PUBLICATION = Instant.parse("2025-10-25T11:30:00Z"); // 13:30 CEST

    @TempDir
    Path dir;
    PriceServer server;
    MutableClock clock = new MutableClock(AFTER_PUBLICATION);
    TestConfig config = new TestConfig();

    @BeforeEach
    void start() throws Exception {
        server = new PriceServer("text/xml");
        config.baseUrl = server.url("/api").toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    EntsoeFetcher fetcher() {
        return new EntsoeFetcher(EntsoeSettings.from(config), dir, clock);
    }

    static String twoDays() {
        return publication(NS_7_3, SAT, MON, series("1", BE, 1, fullPeriod(SAT, SUN, QH, 80)),
                series("2", BE, 1, fullPeriod(SUN, MON, QH, 90)));
    }

    static String today() {
        return publication(NS_7_3, SAT, SUN, series("1", BE, 1, fullPeriod(SAT, SUN, QH, 80)));
    }

    @Test
    void asksForTodayAndTomorrowInUtcAndKeepsBothDays() throws Exception {
        server.answer(Answer.ok(twoDays()));
        EntsoeFetcher f = fetcher();
        Instant next = f.fetchOnce();

        assertThat(server.requests).hasSize(1);
        String q = server.requests.get(0).getQuery();
        assertThat(q).contains("documentType=A44", "in_Domain=" + BE, "out_Domain=" + BE,
                "periodStart=202510242200", "periodEnd=202510262300", "securityToken=test-token-0f3e");
        PriceCurve all = f.prices(SAT, MON);
        assertThat(all.slots()).hasSize(96 + 100);
        assertThat(f.prices(SUN, MON).slots()).hasSize(100);
        // complete: the next request is at the next publication, Sunday 13:00 CET
        assertThat(next).isEqualTo(Instant.parse("2025-10-26T12:00:00Z"));
        Health h = f.health();
        assertThat(h.status()).isEqualTo(HealthStatus.UP);
        assertThat(String.join("\n", h.details())).contains("known until 2025-10-26T23:00:00Z").doesNotContain("test-token-0f3e");
    }

    @Test
    void badAnswersChangeNothingAndSayWhy() throws Exception {
        server.answer(Answer.ok(twoDays()));
        EntsoeFetcher f = fetcher();
        f.fetchOnce();
        List<PriceSlot> before = f.prices(SAT, MON).slots();
        String cached = Files.readString(EntsoeFetcher.cache(dir, BE).file());

        String good = twoDays();
        List<Answer> bad = List.of(
                Answer.status(401, "<html>Unauthorized</html>"),
                Answer.status(429, ""),
                Answer.status(500, "Internal error"),
                Answer.ok(good.substring(0, good.length() - 200)),
                Answer.ok(good).truncated(Truncation.CLEAN_HALF),
                Answer.ok(good).truncated(Truncation.BROKEN_HALF),
                Answer.ok(good.replace("<position>7</position>", "<position>7</positio>")),
                Answer.ok(good.replace("<position>7</position>", "<position>700</position>")));
        List<String> expected = List.of("HTTP 401", "HTTP 429", "HTTP 500", "truncated", "truncated", "truncated", "malformed", "positions 1..96");
        for (int i = 0; i < bad.size(); i++) {
            clock.advance(Duration.ofSeconds(10));
            server.answer(bad.get(i));
            f.fetchOnce();
            String health = String.join("\n", f.health().details());
            assertThat(health).as("answer %d", i).contains("FAILED", "refused", "the 196 known slots stay in force", expected.get(i))
                    .doesNotContain("test-token-0f3e");
            assertThat(f.prices(SAT, MON).slots()).as("answer %d", i).isEqualTo(before);
            assertThat(Files.readString(EntsoeFetcher.cache(dir, BE).file())).isEqualTo(cached);
        }
    }

    @Test
    void aTimeoutIsRefusedAndTheRetryWaitDoublesToTheCap() throws Exception {
        config.requestTimeoutSeconds = 1;
        config.retryInitialSeconds = 60;
        config.retryMaxSeconds = 200;
        server.answer(Answer.ok(twoDays()).delayed(2_500));
        EntsoeFetcher f = fetcher();
        Instant next = f.fetchOnce();
        assertThat(String.join("\n", f.health().details())).contains("timeout", "no prices known");
        assertThat(f.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(next).isEqualTo(clock.instant().plusSeconds(60));
        server.answer(Answer.status(500, ""));
        assertThat(f.fetchOnce()).isEqualTo(clock.instant().plusSeconds(120));
        assertThat(f.fetchOnce()).isEqualTo(clock.instant().plusSeconds(200));
        assertThat(f.fetchOnce()).isEqualTo(clock.instant().plusSeconds(200));
        // success resets the doubling
        server.answer(Answer.ok(twoDays()));
        assertThat(f.fetchOnce()).isEqualTo(Instant.parse("2025-10-26T12:00:00Z"));
    }

    @Test
    void notPublishedYetWithHttp200KeepsTodayAndRetries() throws Exception {
        server.answer(Answer.ok(today()));
        EntsoeFetcher f = fetcher();
        Instant next = f.fetchOnce();
        // tomorrow is missing after the publication time: try again soon, not tomorrow
        assertThat(next).isEqualTo(clock.instant().plusSeconds(60));
        assertThat(f.prices(SAT, MON).slots()).hasSize(96);

        server.answer(Answer.ok(Documents.noData()));
        clock.advance(Duration.ofMinutes(1));
        next = f.fetchOnce();
        assertThat(f.prices(SAT, MON).slots()).hasSize(96);
        assertThat(next).isEqualTo(clock.instant().plusSeconds(120));
        assertThat(String.join("\n", f.health().details())).contains("no prices published", "999").doesNotContain("FAILED");

        server.answer(Answer.ok(twoDays()));
        clock.advance(Duration.ofMinutes(2));
        f.fetchOnce();
        assertThat(f.prices(SAT, MON).slots()).hasSize(196);
    }

    @Test
    void aRestartWithoutTheServerKeepsTheCachedPrices() throws Exception {
        server.answer(Answer.ok(twoDays()));
        fetcher().fetchOnce();
        server.close();

        EntsoeFetcher restarted = fetcher();
        assertThat(restarted.prices(SAT, MON).slots()).hasSize(196);
        restarted.fetchOnce(); // connection refused
        assertThat(restarted.prices(SAT, MON).slots()).hasSize(196);
        assertThat(String.join("\n", restarted.health().details())).contains("FAILED", "request failed");
        assertThat(restarted.health().status()).isEqualTo(HealthStatus.UP);
        // Monday 0:00 CET less 5 h: known only 5 h ahead, below the 6 h horizon
        clock.set(MON.minus(Duration.ofHours(5)));
        assertThat(restarted.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(restarted.health().details().get(0)).contains("next 6 h are not all known");
    }

    @Test
    void aDamagedCacheIsNotUsedAndSaysSo() throws Exception {
        Path file = EntsoeFetcher.cache(dir, BE).file();
        Files.writeString(file, "# fusebox-market-entsoe prices v1 zone=" + BE + "\n2025-10-24T22:00:00Z;PT15M;80\n");
        EntsoeFetcher f = fetcher();
        assertThat(f.prices(SAT, MON).isEmpty()).isTrue();
        assertThat(String.join("\n", f.health().details())).contains("price cache not used", "line 2");
    }

    @Test
    void theScheduleRunsOnItsOwnThreadAndPricesNeverWait() throws Exception {
        server.answer(Answer.ok(twoDays()).delayed(300));
        EntsoeFetcher f = fetcher();
        f.start();
        try {
            // the request is in flight on the fetch thread; reading prices does not wait for it
            assertThat(f.prices(SAT, MON).isEmpty()).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (f.prices(SAT, MON).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(f.prices(SAT, MON).slots()).hasSize(196);
            assertThat(server.requests).hasSize(1);
        } finally {
            f.stop();
        }
    }

    @Test
    void theRateLimitHoldsWhateverTheScheduleAsks() throws Exception {
        config.maxRequestsPerMinute = 2;
        server.answer(Answer.status(500, ""));
        EntsoeFetcher f = fetcher();
        Instant t0 = clock.instant();
        f.fetchOnce();
        clock.advance(Duration.ofSeconds(1));
        f.fetchOnce();
        clock.advance(Duration.ofSeconds(1));
        Instant next = f.fetchOnce(); // a third within the minute is not sent
        assertThat(server.requests).hasSize(2);
        assertThat(next).isEqualTo(t0.plusSeconds(60));
    }
}
