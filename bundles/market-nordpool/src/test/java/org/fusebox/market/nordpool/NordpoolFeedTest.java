package org.fusebox.market.nordpool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.market.support.FeedFetcher;
import org.fusebox.market.support.RateLimiter;
import org.fusebox.testing.MutableClock;
import org.fusebox.testing.PriceServer;
import org.fusebox.testing.PriceServer.Answer;
import org.fusebox.testing.PriceServer.Truncation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feed against a real HTTP server on loopback speaking the data portal's shape, one answer per
 * delivery day: the requests it sends, 204 before publication, Preliminary and Final, what it keeps when
 * an answer is bad, its cache over a restart. Saturday 24 Oct 2026; Sunday has 100 quarter hours.
 */
class NordpoolFeedTest {

    static final LocalDate SATURDAY = LocalDate.of(2026, 10, 24);
    static final LocalDate SUNDAY = SATURDAY.plusDays(1);
    static final Instant SAT = Instant.parse("2026-10-23T22:00:00Z");
    static final Instant SUN = Instant.parse("2026-10-24T22:00:00Z");
    static final Instant MON = Instant.parse("2026-10-25T23:00:00Z");
    static final Instant MORNING = Instant.parse("2026-10-24T07:00:00Z"); // 09:00 CEST
    static final Instant AFTERNOON = Instant.parse("2026-10-24T11:30:00Z"); // 13:30 CEST

    @TempDir
    Path dir;
    PriceServer server;
    final MutableClock clock = new MutableClock(AFTERNOON);
    final TestConfig config = new TestConfig();
    /** The answer per requested date; a date not in it gets 204. */
    final Map<String, Answer> byDate = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = new PriceServer("application/json");
        config.baseUrl = server.url("/api/DayAheadPrices").toString();
        server.answer(r -> {
            String q = r.uri().getQuery();
            String date = q.replaceAll(".*date=([0-9-]+).*", "$1");
            return byDate.getOrDefault(date, Answer.status(204, ""));
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    FeedFetcher fetcher() {
        NordpoolSettings s = NordpoolSettings.from(config);
        return NordpoolPriceFeed.fetcher(s, dir, clock, RateLimiter.perMinute(s.maxRequestsPerMinute()));
    }

    static Answer day(LocalDate d, String state) {
        return Answer.ok(Days.answer(d, "EUR", state, Days.entries(d, Days.QH, Days::price)));
    }

    List<String> askedDates() {
        return server.received().stream().map(r -> r.uri().getQuery().replaceAll(".*date=([0-9-]+).*", "$1")).toList();
    }

    @Test
    void asksEachDeliveryDayAndKeepsBoth() throws Exception {
        byDate.put("2026-10-24", day(SATURDAY, "Final"));
        byDate.put("2026-10-25", day(SUNDAY, "Final"));
        FeedFetcher f = fetcher();
        Instant next = f.fetchOnce();

        assertThat(askedDates()).containsExactly("2026-10-24", "2026-10-25");
        PriceServer.Request r = server.received().get(0);
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.uri().getPath()).isEqualTo("/api/DayAheadPrices");
        assertThat(r.uri().getQuery()).isEqualTo("date=2026-10-24&market=DayAhead&deliveryArea=SE3&currency=EUR");
        assertThat(f.prices(SAT, MON).slots()).hasSize(96 + 100);
        assertThat(f.prices(SAT, SAT.plusSeconds(1)).slots().get(0).price()).isEqualTo(EnergyPrice.perMegawattHour("41.20", "EUR"));
        assertThat(next).isEqualTo(Instant.parse("2026-10-25T12:00:00Z")); // 13:00 CET on Sunday
        assertThat(f.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(f.health().details().get(0)).contains("Nord Pool SE3 EUR: prices known until 2026-10-25T23:00:00Z");
    }

    @Test
    void aDayKnownWholeIsNotAskedAgain() throws Exception {
        byDate.put("2026-10-24", day(SATURDAY, "Final"));
        clock.set(MORNING);
        FeedFetcher f = fetcher();
        f.fetchOnce(); // today Final, tomorrow 204
        assertThat(askedDates()).containsExactly("2026-10-24", "2026-10-25");
        assertThat(f.lastOutcome().text()).contains("2026-10-25 not published yet");

        byDate.put("2026-10-25", day(SUNDAY, "Final"));
        clock.set(AFTERNOON);
        f.fetchOnce();
        assertThat(askedDates()).containsExactly("2026-10-24", "2026-10-25", "2026-10-25");
        assertThat(f.prices(SAT, MON).slots()).hasSize(196);
    }

    @Test
    void beforePublicationTodayIsEnough() throws Exception {
        byDate.put("2026-10-24", day(SATURDAY, "Final"));
        clock.set(MORNING);
        FeedFetcher f = fetcher();
        assertThat(f.fetchOnce()).isEqualTo(Instant.parse("2026-10-24T11:00:00Z"));
    }

    @Test
    void afterPublicationA204RetriesWithBackOff() throws Exception {
        byDate.put("2026-10-24", day(SATURDAY, "Final"));
        FeedFetcher f = fetcher();
        assertThat(f.fetchOnce()).isEqualTo(AFTERNOON.plusSeconds(300));
        clock.advance(Duration.ofSeconds(300));
        assertThat(f.fetchOnce()).isEqualTo(clock.instant().plusSeconds(600));
        assertThat(f.prices(SAT, MON).slots()).hasSize(96);
    }

    @Test
    void aPreliminaryDayWaitsForFinalByDefault() throws Exception {
        byDate.put("2026-10-24", day(SATURDAY, "Final"));
        byDate.put("2026-10-25", day(SUNDAY, "Preliminary"));
        FeedFetcher f = fetcher();
        assertThat(f.fetchOnce()).isEqualTo(AFTERNOON.plusSeconds(300));
        assertThat(f.prices(SUN, MON).isEmpty()).isTrue();
        assertThat(f.lastOutcome().text()).contains("2026-10-25 Preliminary, waiting for Final");

        byDate.put("2026-10-25", day(SUNDAY, "Final"));
        clock.advance(Duration.ofSeconds(300));
        f.fetchOnce();
        assertThat(f.prices(SUN, MON).slots()).hasSize(100);
    }

    @Test
    void aPreliminaryDayIsServedWhenAllowedAndAskedAgain() throws Exception {
        config.usePreliminary = true;
        byDate.put("2026-10-24", day(SATURDAY, "Final"));
        byDate.put("2026-10-25", day(SUNDAY, "Preliminary"));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        assertThat(f.prices(SUN, MON).slots()).hasSize(100);
        assertThat(f.lastOutcome().text()).contains("2026-10-25 Preliminary (100 slots");

        // next day: Sunday is today and known whole, but was Preliminary: asked again, and Final replaces it
        byDate.put("2026-10-25", Answer.ok(Days.answer(SUNDAY, "EUR", "Final", Days.entries(SUNDAY, Days.QH, i -> Days.price(i + 1)))));
        clock.set(Instant.parse("2026-10-25T12:00:00Z"));
        f.fetchOnce();
        assertThat(askedDates()).containsExactly("2026-10-24", "2026-10-25", "2026-10-25", "2026-10-26");
        assertThat(f.prices(SUN, SUN.plusSeconds(1)).slots().get(0).price().perMegawattHour().amount())
                .isEqualByComparingTo("41.57");
    }

    @Test
    void oneBadDayRefusesTheWholeFetch() throws Exception {
        byDate.put("2026-10-24", day(SATURDAY, "Final"));
        clock.set(MORNING);
        FeedFetcher f = fetcher();
        f.fetchOnce();
        List<PriceSlot> before = f.prices(SAT, MON).slots();
        String cached = Files.readString(NordpoolPriceFeed.cache(dir, NordpoolSettings.from(config)).file());

        // a restart-like state: Saturday must be asked again, and comes with new prices, but Sunday is cut
        clock.set(AFTERNOON);
        FeedFetcher again = fetcher();
        byDate.put("2026-10-24", Answer.ok(Days.answer(SATURDAY, "EUR", "Final", Days.entries(SATURDAY, Days.QH, i -> Days.price(i + 3)))));
        byDate.put("2026-10-25", day(SUNDAY, "Final").truncated(Truncation.CLEAN_HALF));
        again.fetchOnce();
        assertThat(again.prices(SAT, MON).slots()).isEqualTo(before);
        assertThat(Files.readString(NordpoolPriceFeed.cache(dir, NordpoolSettings.from(config)).file())).isEqualTo(cached);
        assertThat(again.lastOutcome().ok()).isFalse();
        assertThat(again.lastOutcome().text()).contains("the 96 known slots stay in force", "2026-10-25: malformed or truncated JSON");
    }

    @Test
    void aWrongCurrencyOrAreaIsRefused() throws Exception {
        byDate.put("2026-10-24", Answer.ok(Days.answer(SATURDAY, "NOK", "Final", Days.entries(SATURDAY, Days.QH, Days::price))));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        assertThat(f.lastOutcome().text()).contains("prices are in 'NOK', asked for EUR");
        assertThat(f.prices(SAT, MON).isEmpty()).isTrue();

        config.deliveryArea = "NO1";
        byDate.put("2026-10-24", day(SATURDAY, "Final"));
        FeedFetcher no1 = fetcher();
        no1.fetchOnce();
        assertThat(no1.lastOutcome().text()).contains("area NO1 has no state");
    }

    @Test
    void errorsTimeoutsAndCutBodiesAreRefused() throws Exception {
        FeedFetcher f = fetcher();
        byDate.put("2026-10-24", Answer.status(429, "").header("Retry-After", "1200"));
        assertThat(f.fetchOnce()).isEqualTo(AFTERNOON.plusSeconds(1200));
        assertThat(f.lastOutcome().text()).contains("2026-10-24: HTTP 429: too many requests");

        byDate.put("2026-10-24", Answer.status(500, ""));
        clock.advance(Duration.ofMinutes(30));
        f.fetchOnce();
        assertThat(f.lastOutcome().text()).contains("HTTP 500");

        byDate.put("2026-10-24", Answer.status(401, ""));
        clock.advance(Duration.ofMinutes(30));
        f.fetchOnce();
        assertThat(f.lastOutcome().text()).contains("HTTP 401");

        byDate.put("2026-10-24", day(SATURDAY, "Final").delayed(3_000));
        clock.advance(Duration.ofMinutes(30));
        f.fetchOnce();
        assertThat(f.lastOutcome().text()).contains("timeout");

        byDate.put("2026-10-24", day(SATURDAY, "Final").truncated(Truncation.BROKEN_HALF));
        clock.advance(Duration.ofMinutes(30));
        f.fetchOnce();
        assertThat(f.lastOutcome().ok()).isFalse();

        byDate.put("2026-10-24", Answer.ok("{\"deliveryDateCET\":\"2026-10-24\",,}"));
        clock.advance(Duration.ofMinutes(30));
        f.fetchOnce();
        assertThat(f.lastOutcome().text()).contains("malformed or truncated JSON");
        assertThat(f.prices(SAT, MON).isEmpty()).isTrue();
        assertThat(f.health().status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void theCacheKeepsThePricesOverARestartWithoutTheServer() throws Exception {
        byDate.put("2026-10-24", day(SATURDAY, "Final"));
        byDate.put("2026-10-25", day(SUNDAY, "Final"));
        fetcher().fetchOnce();
        server.close();
        clock.advance(Duration.ofHours(3));
        FeedFetcher restarted = fetcher();
        assertThat(restarted.prices(SAT, MON).slots()).hasSize(196);
        restarted.fetchOnce();
        assertThat(restarted.prices(SAT, MON).slots()).hasSize(196);
        assertThat(restarted.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void anotherCurrencyDoesNotReadThisCache() throws Exception {
        byDate.put("2026-10-24", day(SATURDAY, "Final"));
        fetcher().fetchOnce();
        config.currency = "SEK";
        assertThat(fetcher().prices(SAT, MON).isEmpty()).isTrue();
    }
}
