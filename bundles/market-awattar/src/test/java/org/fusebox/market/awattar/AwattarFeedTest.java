package org.fusebox.market.awattar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.market.PriceSlot;
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
 * The feed against a real HTTP server on loopback. Saturday 25 Oct 2025, 14:30 in Berlin, after
 * publication; tomorrow is the 25-hour day of the autumn clock change.
 */
class AwattarFeedTest {

    static final LocalDate SATURDAY = LocalDate.of(2025, 10, 25);
    static final Instant SAT = Instant.parse("2025-10-24T22:00:00Z");
    static final Instant MON = Instant.parse("2025-10-26T23:00:00Z");
    static final Duration QH = Duration.ofMinutes(15);

    @TempDir
    Path dir;
    PriceServer server;
    final MutableClock clock = new MutableClock(Instant.parse("2025-10-25T12:30:00Z"));
    final TestConfig config = new TestConfig();

    @BeforeEach
    void start() throws Exception {
        server = new PriceServer("application/json");
        config.baseUrl = server.url("/v1/marketdata").toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    FeedFetcher fetcher() {
        AwattarSettings s = AwattarSettings.from(config);
        return AwattarPriceFeed.newFetcher(s, dir, new RateLimiter(s.maxRequestsPerDay(), Duration.ofDays(1)), clock);
    }

    static String twoDays() {
        return Documents.list(Documents.days(SATURDAY, SATURDAY.plusDays(1), QH, i -> String.valueOf(40 + i % 7)));
    }

    @Test
    void asksForTodayAndTomorrowInEpochMillisAndKeepsBothDays() throws Exception {
        server.answer(Answer.ok(twoDays()));
        FeedFetcher f = fetcher();
        Instant next = f.fetchOnce();
        assertThat(server.requests).hasSize(1);
        assertThat(server.requests.get(0).getPath()).isEqualTo("/v1/marketdata");
        assertThat(server.requests.get(0).getQuery()).isEqualTo("start=" + SAT.toEpochMilli() + "&end=" + MON.toEpochMilli());
        assertThat(f.prices(SAT, MON).slots()).hasSize(96 + 100);
        // complete: next at Sunday's publication, 14:00 CET
        assertThat(next).isEqualTo(Instant.parse("2025-10-26T13:00:00Z"));
        assertThat(f.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(String.join("\n", f.health().details())).contains("aWATTar DE: prices known until 2025-10-26T23:00:00Z");
    }

    @Test
    void theDefaultUrlFollowsTheCountry() {
        config.baseUrl = "";
        assertThat(AwattarSettings.from(config).baseUrl().toString()).isEqualTo("https://api.awattar.de/v1/marketdata");
        config.country = "at";
        AwattarSettings at = AwattarSettings.from(config);
        assertThat(at.baseUrl().toString()).isEqualTo("https://api.awattar.at/v1/marketdata");
        assertThat(at.marketZone().getId()).isEqualTo("Europe/Vienna");
        assertThat(new AwattarSource(at).uri(SAT, MON).toString())
                .isEqualTo("https://api.awattar.at/v1/marketdata?start=1761343200000&end=1761519600000");
    }

    @Test
    void badAnswersChangeNothingAndSayWhy() throws Exception {
        server.answer(Answer.ok(twoDays()));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        List<PriceSlot> before = f.prices(SAT, MON).slots();
        String cached = Files.readString(AwattarPriceFeed.cache(dir, "DE").file());
        String good = twoDays();
        List<Answer> bad = List.of(
                Answer.status(401, "{}"),
                Answer.status(429, "").header("Retry-After", "3600"),
                Answer.status(500, "oops"),
                Answer.ok(good).truncated(Truncation.CLEAN_HALF),
                Answer.ok(good).truncated(Truncation.BROKEN_HALF),
                Answer.ok(good.replace("\"marketprice\":41", "\"marketprice\":4x1")),
                Answer.ok(good.replace("Eur/MWh\"}]", "EUR/kWh\"}]")),
                Answer.ok(good).delayed(2_500));
        List<String> expected = List.of("HTTP 401", "HTTP 429", "HTTP 500", "truncated JSON", "truncated", "malformed JSON",
                "unit", "timeout");
        for (int i = 0; i < bad.size(); i++) {
            clock.advance(Duration.ofMinutes(10));
            server.answer(bad.get(i));
            Instant next = f.fetchOnce();
            String health = String.join("\n", f.health().details());
            assertThat(health).as("answer %d", i).contains("FAILED", "refused", "the 196 known slots stay in force", expected.get(i));
            assertThat(f.prices(SAT, MON).slots()).as("answer %d", i).isEqualTo(before);
            assertThat(Files.readString(AwattarPriceFeed.cache(dir, "DE").file())).isEqualTo(cached);
            if (i == 1) {
                assertThat(next).as("Retry-After honoured").isEqualTo(clock.instant().plus(Duration.ofHours(1)));
            }
        }
    }

    @Test
    void aRestartWithoutTheServerKeepsTheCachedPrices() throws Exception {
        server.answer(Answer.ok(twoDays()));
        fetcher().fetchOnce();
        server.close();
        FeedFetcher restarted = fetcher();
        assertThat(restarted.prices(SAT, MON).slots()).hasSize(196);
        restarted.fetchOnce();
        assertThat(restarted.prices(SAT, MON).slots()).hasSize(196);
        assertThat(String.join("\n", restarted.health().details())).contains("FAILED", "request failed");
        assertThat(restarted.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void tomorrowNotOutYetRetriesNoSoonerThanTheSpacingAndTheDailyLimitHolds() throws Exception {
        config.maxRequestsPerDay = 3;
        config.retryInitialSeconds = 60;
        config.minSpacingSeconds = 600;
        server.answer(Answer.ok(Documents.day(SATURDAY, QH, "50")));
        FeedFetcher f = fetcher();
        Instant t0 = clock.instant();
        // after publication, tomorrow missing: the retry waits the spacing (10 min), not the first retry (1 min)
        assertThat(f.fetchOnce()).isEqualTo(t0.plus(Duration.ofMinutes(10)));
        assertThat(f.prices(SAT, MON).slots()).hasSize(96);
        clock.advance(Duration.ofMinutes(10));
        f.fetchOnce();
        clock.advance(Duration.ofMinutes(10));
        f.fetchOnce();
        clock.advance(Duration.ofMinutes(10));
        // a fourth within 24 h is not sent: the next may go a day after the first
        assertThat(f.fetchOnce()).isEqualTo(t0.plus(Duration.ofDays(1)));
        assertThat(server.requests).hasSize(3);
    }

    @Test
    void anInvalidConfigurationIsRefusedWithEveryReasonAndTheFeedIsASpotFeed() throws Exception {
        AwattarPriceFeed feed = new AwattarPriceFeed(clock);
        try {
            TestConfig c = new TestConfig();
            c.country = "CH";
            c.maxRequestsPerDay = 500;
            c.publicationTime = "2pm";
            c.retryMaxSeconds = 60;
            c.baseUrl = "ftp://x";
            feed.start(dir, c);
            assertThat(feed.health().status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(feed.health().details().get(0)).contains("refused", "country must be DE or AT", "1..100",
                    "fair-use", "publicationTime", "below retryInitialSeconds", "baseUrl");

            config.id = "awattar-de";
            config.baseUrl = "http://127.0.0.1:9/v1/marketdata"; // the discard port: requests fail fast
            feed.configure(config);
            feed.configure(c);
            assertThat(feed.id()).isEqualTo("awattar-de");
            assertThat(feed.health().details().get(0)).contains("refused", "stays in force");
        } finally {
            feed.deactivate();
        }
        // the DS annotations are not kept at run time: the descriptor bnd wrote is what SCR reads
        String descriptor = new String(AwattarFeedTest.class.getResourceAsStream(
                "/OSGI-INF/org.fusebox.market.awattar.AwattarPriceFeed.xml").readAllBytes(), StandardCharsets.UTF_8);
        assertThat(descriptor).contains("name=\"fusebox.price.kind\"", "value=\"spot\"", "fusebox.market.awattar");
    }
}
