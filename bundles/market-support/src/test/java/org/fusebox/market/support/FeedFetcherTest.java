package org.fusebox.market.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;
import org.fusebox.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetch loop with a scripted source: what a refusal keeps, what "no data" means, the cache over a
 * restart and when damaged, Retry-After, and health from UP to DOWN. Saturday 25 Oct 2025, Berlin.
 */
class FeedFetcherTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Instant SAT = Instant.parse("2025-10-24T22:00:00Z");
    static final Instant SUN = Instant.parse("2025-10-25T22:00:00Z");
    static final Instant MON = Instant.parse("2025-10-26T23:00:00Z");

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2025-10-25T12:30:00Z")); // 14:30 CEST
    final DailySchedule schedule = new DailySchedule(BERLIN, LocalTime.of(14, 0), Duration.ofMinutes(1), Duration.ofMinutes(30));
    final Deque<Object> script = new ArrayDeque<>();
    final List<Instant[]> asked = new ArrayList<>();

    /** Answers from the script: a FetchResult, or a FeedException to throw. */
    final PriceSource source = (from, to) -> {
        asked.add(new Instant[] { from, to });
        Object next = script.removeFirst();
        if (next instanceof FeedException e) {
            throw e;
        }
        return (FetchResult) next;
    };

    FeedFetcher fetcher() {
        return new FeedFetcher("test DE", source, schedule, RateLimiter.perMinute(100), new PriceCache(dir, "fusebox-test", "DE"),
                Duration.ofHours(6), clock);
    }

    static List<PriceSlot> hours(Instant from, Instant to, int price) {
        List<PriceSlot> out = new ArrayList<>();
        for (Instant t = from; t.isBefore(to); t = t.plus(Duration.ofHours(1))) {
            out.add(new PriceSlot(t, Duration.ofHours(1), new EnergyPrice(new Money(BigDecimal.valueOf(price), java.util.Currency.getInstance("EUR")))));
        }
        return out;
    }

    @Test
    void aCompleteAnswerIsKeptAndTheNextRequestIsAtPublication() throws Exception {
        script.add(FetchResult.prices(hours(SAT, MON, 80)));
        FeedFetcher f = fetcher();
        Instant next = f.fetchOnce();
        assertThat(asked.get(0)).containsExactly(SAT, MON);
        assertThat(f.prices(SAT, MON).slots()).hasSize(24 + 25);
        assertThat(next).isEqualTo(Instant.parse("2025-10-26T13:00:00Z")); // Sunday 14:00 CET
        assertThat(f.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(f.health().details().get(0)).isEqualTo("test DE: prices known until 2025-10-26T23:00:00Z (34 h 30 min ahead)");
    }

    @Test
    void aRefusalOrABadMergeChangesNothingAndSaysWhy() throws Exception {
        script.add(FetchResult.prices(hours(SAT, MON, 80)));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        String cached = Files.readString(dir.resolve("prices-DE.txt"));
        List<PriceSlot> overlapping = new ArrayList<>(hours(SUN, MON, 90));
        overlapping.add(new PriceSlot(SUN.plusSeconds(1800), Duration.ofHours(1), overlapping.get(0).price()));
        script.add(FetchResult.prices(overlapping));
        script.add(new FeedException("malformed JSON at line 1"));
        for (String reason : List.of("overlap", "malformed JSON")) {
            f.fetchOnce();
            assertThat(String.join("\n", f.health().details())).contains("FAILED", "the 49 known slots stay in force", reason);
            assertThat(f.prices(SAT, MON).slots()).extracting(s -> s.price().perMegawattHour().amount().intValue()).containsOnly(80);
            assertThat(Files.readString(dir.resolve("prices-DE.txt"))).isEqualTo(cached);
        }
    }

    @Test
    void noDataIsNotAFailureAndTheRetryContinues() throws Exception {
        script.add(FetchResult.prices(hours(SAT, SUN, 80)));
        script.add(FetchResult.noData("HTTP 404: nothing for 2025-10-26"));
        FeedFetcher f = fetcher();
        assertThat(f.fetchOnce()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
        clock.advance(Duration.ofMinutes(1));
        assertThat(f.fetchOnce()).isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));
        assertThat(f.prices(SAT, MON).slots()).hasSize(24);
        assertThat(String.join("\n", f.health().details())).contains("no prices published", "HTTP 404: nothing").doesNotContain("FAILED");
    }

    @Test
    void retryAfterPushesTheNextRequestBack() throws Exception {
        script.add(new FeedException("HTTP 429: too many requests", Duration.ofMinutes(20)));
        assertThat(fetcher().fetchOnce()).isEqualTo(clock.instant().plus(Duration.ofMinutes(20)));
    }

    @Test
    void theCacheSurvivesARestartAndADamagedOneIsIgnoredNotFatal() throws Exception {
        script.add(FetchResult.prices(hours(SAT, MON, 80)));
        fetcher().fetchOnce();
        FeedFetcher restarted = fetcher();
        assertThat(restarted.prices(SAT, MON).slots()).hasSize(49);
        assertThat(restarted.health().status()).isEqualTo(HealthStatus.UP);

        Files.writeString(dir.resolve("prices-DE.txt"), "# fusebox-test prices v1 zone=DE\nnonsense\n");
        FeedFetcher damaged = fetcher();
        assertThat(damaged.prices(SAT, MON).isEmpty()).isTrue();
        assertThat(String.join("\n", damaged.health().details())).contains("price cache not used", "line 2");
        // the next good answer replaces it
        script.add(FetchResult.prices(hours(SAT, MON, 70)));
        damaged.fetchOnce();
        assertThat(fetcher().prices(SAT, MON).slots()).hasSize(49);

        Files.writeString(dir.resolve("prices-DE.txt"), "# fusebox-other prices v1 zone=DE\n");
        assertThat(String.join("\n", fetcher().health().details())).contains("not a price cache of this feed");
    }

    @Test
    void healthGoesDownOnlyWithNothingKnownAndRepeatedFailures() throws Exception {
        FeedFetcher f = fetcher();
        assertThat(f.health().status()).isEqualTo(HealthStatus.DEGRADED);
        for (int i = 1; i <= FeedFetcher.DOWN_AFTER_FAILURES; i++) {
            script.add(new FeedException("HTTP 500: the source is failing"));
            f.fetchOnce();
            assertThat(f.health().status()).isEqualTo(i < FeedFetcher.DOWN_AFTER_FAILURES ? HealthStatus.DEGRADED : HealthStatus.DOWN);
        }
        assertThat(f.health().details().get(0)).contains("no price known for now", "3 requests failed");
        script.add(FetchResult.prices(hours(SAT, SUN, 80)));
        f.fetchOnce();
        // known to midnight only, 9.5 h: more than the 6 h horizon
        assertThat(f.health().status()).isEqualTo(HealthStatus.UP);
        clock.set(SUN.minus(Duration.ofHours(2)));
        assertThat(f.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(FeedFetcher.withProblem(f.health(), "configuration refused").details().get(0)).isEqualTo("configuration refused");
    }

    @Test
    void theOwnThreadFetchesAndStops() throws Exception {
        script.add(FetchResult.prices(hours(SAT, MON, 80)));
        FeedFetcher f = fetcher();
        f.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Instant publication = Instant.parse("2025-10-26T13:00:00Z");
            // the prices are served first, then the thread plans its next request
            while (!publication.equals(f.nextAttempt()) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(f.prices(SAT, MON).slots()).hasSize(49);
            assertThat(f.nextAttempt()).isEqualTo(publication);
        } finally {
            f.stop();
        }
    }

}
