package org.fusebox.market.tibber;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.fusebox.api.health.Health;
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
 * The feed against a real HTTP server on loopback speaking Tibber's GraphQL shape: the request it sends,
 * what it keeps when an answer is bad, its cache over a restart, its schedule and its health. Saturday
 * 24 Oct 2026 in Oslo, the day before the autumn clock change: tomorrow has 100 quarter hours.
 */
class TibberFeedTest {

    static final LocalDate SATURDAY = LocalDate.of(2026, 10, 24);
    static final Instant SAT = Instant.parse("2026-10-23T22:00:00Z"); // 24 Oct 00:00 CEST
    static final Instant SUN = Instant.parse("2026-10-24T22:00:00Z");
    static final Instant MON = Instant.parse("2026-10-25T23:00:00Z"); // 26 Oct 00:00 CET
    static final Instant MORNING = Instant.parse("2026-10-24T07:00:00Z"); // 09:00 CEST, before publication
    static final Instant AFTERNOON = Instant.parse("2026-10-24T11:30:00Z"); // 13:30 CEST, after 13:15

    @TempDir
    Path dir;
    PriceServer server;
    final MutableClock clock = new MutableClock(AFTERNOON);
    final TestConfig config = new TestConfig();

    @BeforeEach
    void start() throws Exception {
        server = new PriceServer("application/json");
        config.apiUrl = server.url("/v1-beta/gql").toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    FeedFetcher fetcher() {
        TibberSettings s = TibberSettings.from(config);
        return TibberPriceFeed.fetcher(s, dir, clock, RateLimiter.perMinute(s.maxRequestsPerMinute()));
    }

    /** The last request's outcome as health shows it. */
    static String last(FeedFetcher f) {
        FeedFetcher.Outcome o = f.lastOutcome();
        return (o.ok() ? "" : "FAILED, ") + o.text();
    }

    static String bothDays() {
        return Answers.oneHome(SATURDAY, true);
    }

    @Test
    void postsTheQueryWithTheTokenAndKeepsTodayAndTomorrow() throws Exception {
        server.answer(Answer.ok(bothDays()));
        FeedFetcher f = fetcher();
        Instant next = f.fetchOnce();

        assertThat(server.received()).hasSize(1);
        PriceServer.Request r = server.received().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.uri().getPath()).isEqualTo("/v1-beta/gql");
        assertThat(r.header("Authorization")).isEqualTo("Bearer tibber-test-token-5K2a");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(f.prices(SAT, MON).slots()).hasSize(96 + 100);
        assertThat(f.prices(SUN, MON).slots()).hasSize(100);
        PriceSlot first = f.prices(SAT, SAT.plusSeconds(1)).slots().get(0);
        assertThat(first.price()).isEqualTo(EnergyPrice.perMegawattHour("100.0", "NOK"));
        // complete: the next request is at tomorrow's publication, 13:15 CET
        assertThat(next).isEqualTo(Instant.parse("2026-10-25T12:15:00Z"));
        Health h = f.health();
        assertThat(h.status()).isEqualTo(HealthStatus.UP);
        assertThat(h.details().get(0)).contains("prices known until 2026-10-25T23:00:00Z (35 h 30 min ahead)");
        assertThat(String.join("\n", h.details())).contains("tomorrow 100 slots").doesNotContain("tibber-test-token-5K2a");
    }

    @Test
    void theBodyAsksForTheConfiguredResolution() throws Exception {
        config.resolution = "HOURLY";
        server.answer(Answer.ok(Answers.answer(Answers.home(Answers.HOME, Answers.OSLO,
                Answers.day(SATURDAY, Answers.OSLO, Duration.ofHours(1), "NOK", Answers::price), List.of()))));
        clock.set(MORNING);
        FeedFetcher f = fetcher();
        f.fetchOnce();
        assertThat(f.prices(SAT, SUN).slots()).hasSize(24);
        // the query text travels as a JSON string; the server saw the request, the client built the body
        assertThat(TibberQuery.text(Resolution.HOURLY)).contains("priceInfo(resolution: HOURLY)", "today {", "tomorrow {",
                "total", "startsAt", "currency", "timeZone");
    }

    @Test
    void beforePublicationTodayIsEnoughAndTheNextRequestIsAtPublication() throws Exception {
        clock.set(MORNING);
        server.answer(Answer.ok(Answers.oneHome(SATURDAY, false)));
        FeedFetcher f = fetcher();
        assertThat(f.fetchOnce()).isEqualTo(Instant.parse("2026-10-24T11:15:00Z"));
        assertThat(f.prices(SAT, MON).slots()).hasSize(96);
    }

    @Test
    void afterPublicationWithoutTomorrowItRetriesWithBackOff() throws Exception {
        server.answer(Answer.ok(Answers.oneHome(SATURDAY, false)));
        FeedFetcher f = fetcher();
        assertThat(f.fetchOnce()).isEqualTo(AFTERNOON.plusSeconds(300));
        clock.advance(Duration.ofSeconds(300));
        assertThat(f.fetchOnce()).isEqualTo(clock.instant().plusSeconds(600));
        assertThat(f.health().status()).isEqualTo(HealthStatus.UP); // 10 h of today are still known
        server.answer(Answer.ok(bothDays()));
        clock.advance(Duration.ofSeconds(600));
        assertThat(f.fetchOnce()).isEqualTo(Instant.parse("2026-10-25T12:15:00Z"));
        assertThat(f.prices(SUN, MON).slots()).hasSize(100);
    }

    @Test
    void graphQlErrorsWithHttp200KeepThePreviousPrices() throws Exception {
        server.answer(Answer.ok(bothDays()));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        List<PriceSlot> before = f.prices(SAT, MON).slots();
        server.answer(Answer.ok(Answers.errors("Too many requests", "RATE_LIMITED")));
        clock.advance(Duration.ofMinutes(5));
        Instant next = f.fetchOnce();
        assertThat(f.prices(SAT, MON).slots()).isEqualTo(before);
        assertThat(last(f)).contains("FAILED", "the 196 known slots stay in force",
                "GraphQL errors: Too many requests [RATE_LIMITED]");
        assertThat(next).isEqualTo(clock.instant().plusSeconds(300));
    }

    @Test
    void http401SaysTheTokenWasRefusedWithoutShowingIt() throws Exception {
        server.answer(Answer.status(401, Answers.errors("invalid token tibber-test-token-5K2a", "UNAUTHENTICATED")));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        String health = String.join("\n", f.health().details());
        assertThat(health).contains("HTTP 401", "the token was refused", "UNAUTHENTICATED")
                .doesNotContain("tibber-test-token-5K2a");
        assertThat(f.prices(SAT, MON).isEmpty()).isTrue();
    }

    @Test
    void http429WithRetryAfterIsHonoured() throws Exception {
        server.answer(Answer.status(429, "").header("Retry-After", "900"));
        FeedFetcher f = fetcher();
        Instant next = f.fetchOnce();
        assertThat(next).isEqualTo(AFTERNOON.plusSeconds(900));
        assertThat(last(f)).contains("HTTP 429", "too many requests");
    }

    @Test
    void http500AndTimeoutsAndCutBodiesAreRefused() throws Exception {
        FeedFetcher f = fetcher();
        server.answer(Answer.status(500, "<html>oops</html>"));
        f.fetchOnce();
        assertThat(last(f)).contains("HTTP 500");

        server.answer(Answer.ok(bothDays()).delayed(3_000));
        clock.advance(Duration.ofMinutes(10));
        f.fetchOnce();
        assertThat(last(f)).contains("timeout");

        server.answer(Answer.ok(bothDays()).truncated(Truncation.CLEAN_HALF));
        clock.advance(Duration.ofMinutes(10));
        f.fetchOnce();
        assertThat(last(f)).contains("malformed or truncated JSON");

        server.answer(Answer.ok(bothDays()).truncated(Truncation.BROKEN_HALF));
        clock.advance(Duration.ofMinutes(10));
        f.fetchOnce();
        assertThat(last(f)).contains("FAILED", "response body cut off (truncated)");

        // larger than any price answer: reading stops at the limit
        server.answer(Answer.ok("{\"data\":\"" + "x".repeat(TibberClient.MAX_BODY_BYTES) + "\"}"));
        clock.advance(Duration.ofMinutes(10));
        f.fetchOnce();
        assertThat(last(f)).contains("FAILED", "larger than " + TibberClient.MAX_BODY_BYTES + " bytes");
        assertThat(f.prices(SAT, MON).isEmpty()).isTrue();
    }

    @Test
    void aMalformedOrIncompleteAnswerChangesNothing() throws Exception {
        server.answer(Answer.ok(bothDays()));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        List<PriceSlot> before = f.prices(SAT, MON).slots();
        String cached = Files.readString(TibberPriceFeed.cache(dir, TibberSettings.from(config)).file());

        // tomorrow with prices a tenth lower, but one slot missing: refused whole, today's new prices too
        List<String> today = Answers.day(SATURDAY, Answers.OSLO, Duration.ofMinutes(15), "NOK", i -> Answers.price(i + 1));
        List<String> tomorrow = new java.util.ArrayList<>(Answers.day(SATURDAY.plusDays(1), Answers.OSLO,
                Duration.ofMinutes(15), "NOK", Answers::price));
        tomorrow.remove(50);
        server.answer(Answer.ok(Answers.answer(Answers.home(Answers.HOME, Answers.OSLO, today, tomorrow))));
        clock.advance(Duration.ofMinutes(5));
        f.fetchOnce();
        assertThat(f.prices(SAT, MON).slots()).isEqualTo(before);
        assertThat(Files.readString(TibberPriceFeed.cache(dir, TibberSettings.from(config)).file())).isEqualTo(cached);
        assertThat(last(f)).contains("tomorrow: missing slots");

        server.answer(Answer.ok("{\"data\":{\"viewer\":{\"homes\":[{\"id\":"));
        clock.advance(Duration.ofMinutes(5));
        f.fetchOnce();
        assertThat(f.prices(SAT, MON).slots()).isEqualTo(before);
    }

    @Test
    void aWrongCurrencyIsRefused() throws Exception {
        config.currency = "SEK";
        server.answer(Answer.ok(bothDays()));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        assertThat(f.prices(SAT, MON).isEmpty()).isTrue();
        assertThat(last(f)).contains("prices are in NOK, the configuration expects SEK");
    }

    @Test
    void severalHomesWithoutAHomeIdIsAClearError() throws Exception {
        server.answer(Answer.ok(Answers.answer(
                Answers.home(Answers.HOME, Answers.OSLO, Answers.day(SATURDAY, Answers.OSLO, Duration.ofMinutes(15), "NOK", Answers::price), List.of()),
                Answers.home(Answers.OTHER_HOME, Answers.OSLO, Answers.day(SATURDAY, Answers.OSLO, Duration.ofMinutes(15), "NOK", Answers::price), List.of()))));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        assertThat(last(f)).contains("2 homes and no homeId is configured", Answers.OTHER_HOME);
        config.homeId = Answers.OTHER_HOME;
        FeedFetcher chosen = fetcher();
        chosen.fetchOnce();
        assertThat(chosen.prices(SAT, SUN).slots()).hasSize(96);
    }

    @Test
    void theCacheKeepsThePricesOverARestartWithoutTheServer() throws Exception {
        server.answer(Answer.ok(bothDays()));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        List<PriceSlot> before = f.prices(SAT, MON).slots();
        server.close();

        clock.advance(Duration.ofHours(2));
        FeedFetcher restarted = fetcher();
        assertThat(restarted.prices(SAT, MON).slots()).isEqualTo(before);
        restarted.fetchOnce(); // nothing listens any more
        assertThat(restarted.prices(SAT, MON).slots()).isEqualTo(before);
        assertThat(restarted.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(last(restarted)).contains("FAILED", "request failed");
    }

    @Test
    void anotherHomeDoesNotReadThisHomesCache() throws Exception {
        server.answer(Answer.ok(bothDays()));
        fetcher().fetchOnce();
        config.homeId = Answers.OTHER_HOME;
        assertThat(fetcher().prices(SAT, MON).isEmpty()).isTrue();
    }

    @Test
    void theRateLimitAndTheMinimumSpacingHold() throws Exception {
        config.maxRequestsPerMinute = 1;
        config.retryInitialSeconds = 10;
        config.minRequestSpacingSeconds = 45;
        server.answer(Answer.status(500, ""));
        FeedFetcher f = fetcher();
        // a retry after 10 s is asked, but two fetches are at least 45 s apart
        assertThat(f.fetchOnce()).isEqualTo(AFTERNOON.plusSeconds(45));
        clock.advance(Duration.ofSeconds(10));
        // called early anyway: the limiter refuses to send
        assertThat(f.fetchOnce()).isEqualTo(AFTERNOON.plusSeconds(60));
        assertThat(server.received()).hasSize(1);
    }
}
