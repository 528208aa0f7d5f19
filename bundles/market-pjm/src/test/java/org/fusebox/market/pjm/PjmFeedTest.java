package org.fusebox.market.pjm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.market.support.FeedFetcher;
import org.fusebox.market.support.PriceCache;
import org.fusebox.market.support.RateLimiter;
import org.fusebox.testing.MutableClock;
import org.fusebox.testing.PriceServer;
import org.fusebox.testing.PriceServer.Answer;
import org.fusebox.testing.PriceServer.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PJM source in the feed fetcher against a real HTTP server on loopback that pages like Data Miner
 * (by startRow and rowCount, with next links): the request, paging, what is kept when an answer is bad,
 * the cache over a restart, the schedule and health. Tuesday 14 July 2026, 14:00 EDT: after publication.
 */
class PjmFeedTest {

    static final LocalDate TODAY = LocalDate.of(2026, 7, 14);
    static final LocalDate TOMORROW = TODAY.plusDays(1);
    static final Instant AFTER_PUBLICATION = Instant.parse("2026-07-14T18:00:00Z");
    static final Instant TODAY_START = Instant.parse("2026-07-14T04:00:00Z");
    static final Instant DAY_AFTER_START = Instant.parse("2026-07-16T04:00:00Z");
    static final String PATH = "/api/v1/da_hrl_lmps";
    private static final Pattern START_ROW = Pattern.compile("startRow=(\\d+)");
    private static final Pattern ROW_COUNT = Pattern.compile("rowCount=(\\d+)");

    @TempDir
    Path dir;
    PriceServer server;
    MutableClock clock = new MutableClock(AFTER_PUBLICATION);
    TestConfig config = new TestConfig();

    @BeforeEach
    void start() throws Exception {
        server = new PriceServer("application/json");
        config.baseUrl = server.url(PATH).toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    FeedFetcher fetcher() {
        return fetcher(RateLimiter.perMinute(600));
    }

    FeedFetcher fetcher(RateLimiter limiter) {
        PjmSettings s = PjmSettings.from(config);
        return new FeedFetcher("PJM pnode " + s.pnodeId(), new PjmClient(s, limiter, clock), s.schedule(), limiter,
                new PriceCache(dir, PjmPriceFeed.SOURCE, Long.toString(s.pnodeId())), s.healthHorizon(), clock);
    }

    /** Pages of {@code items} as Data Miner serves them: by startRow (1-based) and rowCount, next link while rows remain. */
    Function<Request, Answer> paged(List<String> items) {
        return r -> {
            String q = r.uri().getRawQuery();
            int start = find(START_ROW, q);
            int count = find(ROW_COUNT, q);
            int from = Math.min(start - 1, items.size());
            int to = Math.min(from + count, items.size());
            String self = server.url(PATH + "?" + q).toString();
            String next = to < items.size() ? server.url(PATH + "?" + q.replace("startRow=" + start, "startRow=" + (to + 1))).toString() : null;
            return Answer.ok(DataMinerJson.page(items.subList(from, to), items.size(), self, next));
        };
    }

    static int find(Pattern p, String q) {
        Matcher m = p.matcher(q);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Test
    void asksForTodayAndTomorrowInEasternTimeWithTheKeyInAHeader() throws Exception {
        server.answer(paged(DataMinerJson.items(TODAY, TOMORROW)));
        FeedFetcher f = fetcher();
        Instant next = f.fetchOnce();

        assertThat(server.received()).hasSize(1);
        Request r = server.received().get(0);
        assertThat(r.header("Ocp-Apim-Subscription-Key")).isEqualTo("pjm-key-5c1e77");
        String q = r.uri().getQuery();
        assertThat(q).contains("rowCount=100", "startRow=1", "pnode_id=" + DataMinerJson.PNODE, "row_is_current=true",
                "datetime_beginning_ept=07-14-2026 00:00 to 07-15-2026 23:00", "fields=datetime_beginning_utc,", "total_lmp_da")
                .doesNotContain("pjm-key");
        assertThat(f.prices(TODAY_START, DAY_AFTER_START).slots()).hasSize(48);
        assertThat(f.prices(TODAY_START, TODAY_START.plusSeconds(1)).slots().get(0).price().perMegawattHour().amount())
                .isEqualByComparingTo(DataMinerJson.lmp(TODAY, 1));
        assertThat(next).isEqualTo(Instant.parse("2026-07-15T17:45:00Z")); // 13:45 EDT tomorrow
        assertThat(f.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(String.join("\n", f.health().details())).contains("known until 2026-07-16T04:00:00Z", "34 h 0 min ahead");
    }

    @Test
    void followsTheNextLinksAndCountsEveryPageInTheRateLimit() throws Exception {
        config.rowCount = 25;
        server.answer(paged(DataMinerJson.items(TODAY, TOMORROW)));
        RateLimiter limiter = RateLimiter.perMinute(600);
        FeedFetcher f = fetcher(limiter);
        f.fetchOnce();
        assertThat(server.received()).hasSize(2);
        assertThat(server.received().get(1).uri().getQuery()).contains("startRow=26");
        assertThat(server.received().get(1).header("Ocp-Apim-Subscription-Key")).isEqualTo("pjm-key-5c1e77");
        assertThat(f.prices(TODAY_START, DAY_AFTER_START).slots()).hasSize(48);
        assertThat(f.lastOutcome().text()).contains("2 pages");
        // both pages took a place: 598 remain in this minute
        for (int i = 0; i < 598; i++) {
            assertThat(limiter.tryAcquire(clock.instant())).isTrue();
        }
        assertThat(limiter.tryAcquire(clock.instant())).isFalse();
    }

    @Test
    void retriesAreSpreadOverTheMinute() throws Exception {
        config.retryInitialSeconds = 10;
        config.maxRequestsPerMinute = 2;
        server.answer(PriceServer.Answer.status(500, ""));
        // a 10 s retry is asked, but at 2 requests a minute two requests stay 30 s apart
        assertThat(fetcher().fetchOnce()).isEqualTo(AFTER_PUBLICATION.plusSeconds(30));
    }

    @Test
    void aSecondPageWaitsForItsPlaceInTheRateLimit() throws Exception {
        config.rowCount = 25;
        server.answer(paged(DataMinerJson.items(TODAY, TOMORROW)));
        RateLimiter onePerMinute = RateLimiter.perMinute(1);
        FeedFetcher f = fetcher(onePerMinute);
        java.util.concurrent.CompletableFuture<Instant> run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return f.fetchOnce();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        waitFor(() -> server.received().size() == 1);
        Thread.sleep(300);
        // the clock has not moved: the second page is still waiting for the next minute
        assertThat(server.received()).hasSize(1);
        assertThat(run).isNotDone();
        clock.advance(Duration.ofSeconds(61));
        run.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(server.received()).hasSize(2);
        assertThat(f.prices(TODAY_START, DAY_AFTER_START).slots()).hasSize(48);
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

    @Test
    void moreThanMaxPagesIsRefused() throws Exception {
        config.rowCount = 25;
        config.maxPages = 1;
        server.answer(paged(DataMinerJson.items(TODAY, TOMORROW)));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        assertThat(f.lastOutcome().ok()).isFalse();
        assertThat(f.lastOutcome().text()).contains("more than 1 pages");
        assertThat(f.prices(TODAY_START, DAY_AFTER_START).isEmpty()).isTrue();
    }

    @Test
    void aNextLinkToAnotherHostIsNotFollowed() throws Exception {
        List<String> items = DataMinerJson.items(TODAY);
        server.answer(Answer.ok(DataMinerJson.page(items.subList(0, 10), 24, "self", "http://evil.example:8080" + PATH + "?startRow=11")));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        assertThat(server.received()).hasSize(1);
        assertThat(f.lastOutcome().text()).contains("next link leads to http://evil.example:8080", "not followed");
        server.answer(Answer.ok(DataMinerJson.page(items.subList(0, 10), 24, "self", server.url("/other?startRow=11").toString())));
        clock.advance(Duration.ofMinutes(5));
        f.fetchOnce();
        assertThat(f.lastOutcome().text()).contains("not the configured feed");
    }

    @Test
    void aPageThatLinksBackIsRefused() throws Exception {
        List<String> items = DataMinerJson.items(TODAY);
        server.answer(r -> Answer.ok(DataMinerJson.page(items.subList(0, 10), 24, "self", r.uri().toString())));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        assertThat(f.lastOutcome().text()).contains("links back to a page already read");
    }

    @Test
    void nothingPublishedIsNotAFailure() throws Exception {
        server.answer(Answer.ok(DataMinerJson.page(List.of(), 0, "self", null)));
        FeedFetcher f = fetcher();
        Instant next = f.fetchOnce();
        assertThat(f.lastOutcome().ok()).isTrue();
        assertThat(f.lastOutcome().text()).contains("no prices published", "no rows for");
        assertThat(next).isEqualTo(AFTER_PUBLICATION.plusSeconds(300));
    }

    @Test
    void badAnswersAreRefusedAndThePreviousPricesStay() throws Exception {
        FeedFetcher f = fetcher();
        server.answer(paged(DataMinerJson.items(TODAY)));
        f.fetchOnce();
        List<String> both = DataMinerJson.items(TODAY, TOMORROW);
        String whole = DataMinerJson.page(both, 48, "s", null);
        Answer[] bad = {
            Answer.status(401, "{\"statusCode\":401,\"message\":\"Access denied due to invalid subscription key.\"}"),
            Answer.status(403, ""),
            Answer.status(429, "{\"statusCode\":429,\"message\":\"Rate limit is exceeded.\"}"),
            Answer.status(400, "{\"errors\":[{\"field\":\"Filters\",\"message\":\"Date range cannot exceed 366 days\"}]}"),
            Answer.status(500, ""),
            Answer.ok(whole).delayed(3000),
            Answer.ok(whole).truncated(PriceServer.Truncation.CLEAN_HALF),
            Answer.ok(whole).truncated(PriceServer.Truncation.BROKEN_HALF),
            Answer.ok("<html>maintenance</html>"),
            Answer.ok(DataMinerJson.page(both.subList(0, 30), 30, "s", null)),
            Answer.ok(DataMinerJson.page(both.subList(0, 40), 48, "s", null)),
        };
        String[] reasons = { "HTTP 401: the subscription key was refused", "HTTP 403", "non-members 6 requests a minute",
                "Date range cannot exceed 366 days", "HTTP 500", "timeout", "malformed or truncated JSON", "truncated",
                "malformed or truncated JSON", "trade day 2026-07-15 has 6 of its 24 hours", "paging ended after 40 of 48 rows" };
        for (int i = 0; i < bad.length; i++) {
            server.answer(bad[i]);
            clock.advance(Duration.ofMinutes(10));
            f.fetchOnce();
            assertThat(f.lastOutcome().ok()).as(reasons[i]).isFalse();
            assertThat(f.lastOutcome().text()).as(reasons[i]).contains(reasons[i], "the 24 known slots stay in force")
                    .doesNotContain("pjm-key-5c1e77");
            assertThat(f.prices(TODAY_START, DAY_AFTER_START).slots()).as(reasons[i]).hasSize(24);
        }
    }

    @Test
    void aFailingSecondPageAppliesNothingOfTheFirst() throws Exception {
        config.rowCount = 25;
        List<String> items = DataMinerJson.items(TODAY, TOMORROW);
        Function<Request, Answer> pages = paged(items);
        server.answer(r -> r.uri().getQuery().contains("startRow=1&") ? pages.apply(r) : Answer.status(500, ""));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        assertThat(server.received()).hasSize(2);
        assertThat(f.lastOutcome().text()).contains("page 2: HTTP 500");
        assertThat(f.prices(TODAY_START, DAY_AFTER_START).isEmpty()).isTrue();
        assertThat(Files.exists(dir.resolve("prices-" + DataMinerJson.PNODE + ".txt"))).isFalse();
    }

    @Test
    void aRestartWithoutTheServerKeepsThePrices() throws Exception {
        server.answer(paged(DataMinerJson.items(TODAY, TOMORROW)));
        fetcher().fetchOnce();
        server.close();
        FeedFetcher restarted = fetcher();
        assertThat(restarted.prices(TODAY_START, DAY_AFTER_START).slots()).hasSize(48);
        assertThat(restarted.health().status()).isEqualTo(HealthStatus.UP);
        restarted.fetchOnce();
        assertThat(restarted.lastOutcome().ok()).isFalse();
        assertThat(restarted.prices(TODAY_START, DAY_AFTER_START).slots()).hasSize(48);
    }

    @Test
    void theFallBackDayArrivesWhole() throws Exception {
        LocalDate fall = LocalDate.of(2026, 11, 1);
        clock.set(Instant.parse("2026-10-31T19:00:00Z")); // 15:00 EDT the day before
        server.answer(paged(DataMinerJson.items(fall.minusDays(1), fall)));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        assertThat(f.prices(Instant.parse("2026-11-01T04:00:00Z"), Instant.parse("2026-11-02T05:00:00Z")).slots()).hasSize(25);
        assertThat(URI.create(server.received().get(0).uri().toString()).getQuery())
                .contains("datetime_beginning_ept=10-31-2026 00:00 to 11-01-2026 23:00");
    }
}
