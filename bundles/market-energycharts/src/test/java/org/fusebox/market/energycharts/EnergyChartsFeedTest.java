package org.fusebox.market.energycharts;

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
class EnergyChartsFeedTest {

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
        config.baseUrl = server.url("/price").toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    FeedFetcher fetcher() {
        EnergyChartsSettings s = EnergyChartsSettings.from(config);
        return EnergyChartsPriceFeed.newFetcher(s, dir, new RateLimiter(s.maxRequestsPerHour(), Duration.ofHours(1)), clock);
    }

    static String twoDays() {
        return Documents.days(SATURDAY, SATURDAY.plusDays(1), QH, i -> String.valueOf(60 + i % 9) + ".5");
    }

    @Test
    void asksForTodayAndTomorrowByDateAndKeepsBothDays() throws Exception {
        // the answer carries a third day (end read as inclusive): left out, never kept
        server.answer(Answer.ok(Documents.days(SATURDAY, SATURDAY.plusDays(2), QH, i -> String.valueOf(60 + i % 9) + ".5")));
        FeedFetcher f = fetcher();
        Instant next = f.fetchOnce();
        assertThat(server.requests).hasSize(1);
        assertThat(server.requests.get(0).getPath()).isEqualTo("/price");
        assertThat(server.requests.get(0).getQuery()).isEqualTo("bzn=DE-LU&start=2025-10-25&end=2025-10-27");
        assertThat(f.prices(SAT, MON).slots()).hasSize(96 + 100);
        assertThat(next).isEqualTo(Instant.parse("2025-10-26T12:30:00Z")); // Sunday 13:30 CET
        assertThat(f.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(String.join("\n", f.health().details())).contains("Energy-Charts DE-LU: prices known until 2025-10-26T23:00:00Z");
    }

    @Test
    void tomorrowAs404OrAsNullsIsNotYetPublishedNotAFailure() throws Exception {
        server.answer(Answer.ok(Documents.days(SATURDAY, SATURDAY.plusDays(1), QH, i -> i < 96 ? "70" : "null")));
        FeedFetcher f = fetcher();
        Instant next = f.fetchOnce();
        assertThat(f.prices(SAT, MON).slots()).hasSize(96);
        assertThat(next).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(String.join("\n", f.health().details())).contains("100 null price(s) stay unknown").doesNotContain("FAILED");

        server.answer(Answer.status(404, "{\"detail\":\"No data for requested time period\"}"));
        clock.advance(Duration.ofMinutes(10));
        f.fetchOnce();
        assertThat(f.prices(SAT, MON).slots()).hasSize(96);
        assertThat(String.join("\n", f.health().details())).contains("no prices published", "HTTP 404").doesNotContain("FAILED");
    }

    @Test
    void badAnswersChangeNothingAndSayWhy() throws Exception {
        server.answer(Answer.ok(twoDays()));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        List<PriceSlot> before = f.prices(SAT, MON).slots();
        String cached = Files.readString(EnergyChartsPriceFeed.cache(dir, "DE-LU").file());
        String good = twoDays();
        List<Answer> bad = List.of(
                Answer.status(401, ""),
                Answer.status(429, "").header("Retry-After", "1800"),
                Answer.status(500, "oops"),
                Answer.ok(good).truncated(Truncation.CLEAN_HALF),
                Answer.ok(good).truncated(Truncation.BROKEN_HALF),
                Answer.ok(good.replace("[", "{")),
                Answer.ok(good.replace("EUR / MWh", "EUR / kWh")),
                Answer.ok(good.replace("64.5", "\"64.5\"")),
                Answer.ok(good).delayed(2_500));
        List<String> expected = List.of("HTTP 401", "HTTP 429", "HTTP 500", "truncated JSON", "truncated", "malformed JSON",
                "unit", "not a number", "timeout");
        for (int i = 0; i < bad.size(); i++) {
            clock.advance(Duration.ofMinutes(10));
            server.answer(bad.get(i));
            Instant next = f.fetchOnce();
            String health = String.join("\n", f.health().details());
            assertThat(health).as("answer %d", i).contains("FAILED", "refused", "the 196 known slots stay in force", expected.get(i));
            assertThat(f.prices(SAT, MON).slots()).as("answer %d", i).isEqualTo(before);
            assertThat(Files.readString(EnergyChartsPriceFeed.cache(dir, "DE-LU").file())).isEqualTo(cached);
            if (i == 1) {
                assertThat(next).as("Retry-After honoured").isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
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
    void theHourlyLimitHoldsWhateverTheScheduleAsks() throws Exception {
        config.maxRequestsPerHour = 2;
        config.minSpacingSeconds = 60;
        config.retryInitialSeconds = 60;
        server.answer(Answer.status(500, ""));
        FeedFetcher f = fetcher();
        Instant t0 = clock.instant();
        assertThat(f.fetchOnce()).isEqualTo(t0.plusSeconds(60));
        clock.advance(Duration.ofMinutes(1));
        f.fetchOnce();
        clock.advance(Duration.ofMinutes(4));
        assertThat(f.fetchOnce()).isEqualTo(t0.plus(Duration.ofHours(1)));
        assertThat(server.requests).hasSize(2);
    }

    @Test
    void anInvalidConfigurationIsRefusedWithEveryReasonAndTheFeedIsASpotFeed() throws Exception {
        EnergyChartsPriceFeed feed = new EnergyChartsPriceFeed(clock);
        try {
            TestConfig c = new TestConfig();
            c.biddingZone = "de lu";
            c.marketTimeZone = "Mars/Olympus";
            c.maxRequestsPerHour = 0;
            c.minSpacingSeconds = 1;
            feed.start(dir, c);
            assertThat(feed.health().status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(feed.health().details().get(0)).contains("refused", "biddingZone", "marketTimeZone",
                    "maxRequestsPerHour must be 1..60", "minSpacingSeconds");

            config.id = "ec-de";
            config.baseUrl = "http://127.0.0.1:9/price";
            feed.configure(config);
            feed.configure(c);
            assertThat(feed.id()).isEqualTo("ec-de");
            assertThat(feed.health().details().get(0)).contains("refused", "stays in force");
        } finally {
            feed.deactivate();
        }
        for (String zone : List.of("DE-LU", "AT", "IT-North", "DK1", "NO2", "SE4")) {
            assertZoneAccepted(zone);
        }
        String descriptor = new String(EnergyChartsFeedTest.class.getResourceAsStream(
                "/OSGI-INF/org.fusebox.market.energycharts.EnergyChartsPriceFeed.xml").readAllBytes(), StandardCharsets.UTF_8);
        assertThat(descriptor).contains("name=\"fusebox.price.kind\"", "value=\"spot\"", "fusebox.market.energycharts");
    }

    private static void assertZoneAccepted(String zone) {
        TestConfig c = new TestConfig();
        c.biddingZone = zone;
        assertThat(EnergyChartsSettings.from(c).biddingZone()).isEqualTo(zone);
        assertThat(new EnergyChartsSource(EnergyChartsSettings.from(c)).uri(SAT, MON).getQuery()).startsWith("bzn=" + zone + "&");
    }
}
