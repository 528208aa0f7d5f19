package org.fusebox.market.caiso;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.market.caiso.ZipServer.Answer;
import org.fusebox.market.support.FeedFetcher;
import org.fusebox.market.support.PriceCache;
import org.fusebox.market.support.RateLimiter;
import org.fusebox.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CAISO source in the feed fetcher against a real HTTP server on loopback sending ZIPs built here:
 * the request, what is kept when an answer is bad, the cache over a restart, the schedule and health.
 * Tuesday 14 July 2026, 13:30 PDT: after publication, tomorrow is expected.
 */
class CaisoFeedTest {

    static final LocalDate TODAY = LocalDate.of(2026, 7, 14);
    static final LocalDate TOMORROW = TODAY.plusDays(1);
    static final Instant AFTER_PUBLICATION = Instant.parse("2026-07-14T20:30:00Z");
    static final Instant TODAY_START = Instant.parse("2026-07-14T07:00:00Z");
    static final Instant DAY_AFTER_START = Instant.parse("2026-07-16T07:00:00Z");

    @TempDir
    Path dir;
    ZipServer server;
    MutableClock clock = new MutableClock(AFTER_PUBLICATION);
    TestConfig config = new TestConfig();

    @BeforeEach
    void start() throws Exception {
        server = new ZipServer();
        config.baseUrl = server.baseUrl();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    FeedFetcher fetcher() {
        CaisoSettings s = CaisoSettings.from(config);
        return new FeedFetcher("CAISO " + s.node(), new CaisoClient(s), s.schedule(), RateLimiter.perMinute(100),
                new PriceCache(dir, CaisoPriceFeed.SOURCE, s.node()), s.healthHorizon(), clock);
    }

    @Test
    void asksForTodayAndTomorrowInPacificTimeAndKeepsBothDays() throws Exception {
        server.answer(Answer.ok(OasisFiles.zipOfCsv(TODAY, TOMORROW)));
        FeedFetcher f = fetcher();
        Instant next = f.fetchOnce();

        assertThat(server.requests).hasSize(1);
        String q = server.requests.get(0).getQuery();
        assertThat(q).contains("queryname=PRC_LMP", "market_run_id=DAM", "version=12", "resultformat=6",
                "startdatetime=20260714T07:00-0000", "enddatetime=20260716T07:00-0000", "node=" + OasisFiles.NODE);
        assertThat(f.prices(TODAY_START, DAY_AFTER_START).slots()).hasSize(48);
        PriceSlot first = f.prices(TODAY_START, TODAY_START.plusSeconds(1)).slots().get(0);
        assertThat(first.price().perMegawattHour().amount()).isEqualByComparingTo(OasisFiles.lmp(TODAY, 1));
        assertThat(first.price().currency().getCurrencyCode()).isEqualTo("USD");
        // complete: the next request is at tomorrow's publication time, 13:15 PDT
        assertThat(next).isEqualTo(Instant.parse("2026-07-15T20:15:00Z"));
        Health h = f.health();
        assertThat(h.status()).isEqualTo(HealthStatus.UP);
        assertThat(String.join("\n", h.details())).contains("known until 2026-07-16T07:00:00Z", "34 h 30 min ahead");
    }

    @Test
    void theSpringAndAutumnDaysArriveWhole() throws Exception {
        LocalDate spring = LocalDate.of(2026, 3, 8);
        clock.set(Instant.parse("2026-03-07T22:00:00Z")); // 14:00 PST the day before
        server.answer(Answer.ok(OasisFiles.zipOfCsv(spring.minusDays(1), spring)));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        assertThat(server.requests.get(0).getQuery()).contains("startdatetime=20260307T08:00-0000", "enddatetime=20260309T07:00-0000");
        assertThat(f.prices(Instant.parse("2026-03-08T08:00:00Z"), Instant.parse("2026-03-09T07:00:00Z")).slots()).hasSize(23);

        LocalDate autumn = LocalDate.of(2026, 11, 1);
        clock.set(Instant.parse("2026-10-31T21:00:00Z")); // 14:00 PDT the day before
        server.answer(Answer.ok(OasisFiles.zipOfCsv(autumn.minusDays(1), autumn)));
        f.fetchOnce();
        assertThat(server.requests.get(1).getQuery()).contains("startdatetime=20261031T07:00-0000", "enddatetime=20261102T08:00-0000");
        assertThat(f.prices(Instant.parse("2026-11-01T07:00:00Z"), Instant.parse("2026-11-02T08:00:00Z")).slots()).hasSize(25);
    }

    @Test
    void beforePublicationTodayAloneIsComplete() throws Exception {
        clock.set(Instant.parse("2026-07-14T16:00:00Z")); // 09:00 PDT
        server.answer(Answer.ok(OasisFiles.zipOfCsv(TODAY)));
        assertThat(fetcher().fetchOnce()).isEqualTo(Instant.parse("2026-07-14T20:15:00Z"));
    }

    @Test
    void tomorrowNotPublishedYetIsRetriedWithBackOff() throws Exception {
        server.answer(Answer.ok(OasisFiles.zipOfCsv(TODAY)));
        FeedFetcher f = fetcher();
        assertThat(f.fetchOnce()).isEqualTo(AFTER_PUBLICATION.plusSeconds(300));
        clock.advance(Duration.ofSeconds(300));
        assertThat(f.fetchOnce()).isEqualTo(clock.instant().plusSeconds(600));
        assertThat(f.health().status()).isEqualTo(HealthStatus.UP); // today is known 10 h ahead
    }

    @Test
    void noDataInsideTheZipKeepsThePricesAndRetries() throws Exception {
        FeedFetcher f = fetcher();
        server.answer(Answer.ok(OasisFiles.zipOfCsv(TODAY)));
        f.fetchOnce();
        server.answer(Answer.ok(OasisFiles.zip("INVALID_REQUEST.xml", OasisFiles.noData())));
        clock.advance(Duration.ofMinutes(5));
        Instant next = f.fetchOnce();
        assertThat(next).isAfter(clock.instant());
        assertThat(f.prices(TODAY_START, DAY_AFTER_START).slots()).hasSize(24);
        assertThat(f.lastOutcome().ok()).isTrue();
        assertThat(f.lastOutcome().text()).contains("no prices published", "OASIS 1000", "No data returned");
    }

    @Test
    void badAnswersAreRefusedAndThePreviousPricesStay() throws Exception {
        FeedFetcher f = fetcher();
        server.answer(Answer.ok(OasisFiles.zipOfCsv(TODAY)));
        f.fetchOnce();
        byte[] good = OasisFiles.zipOfCsv(TODAY, TOMORROW);
        String changedToday = OasisFiles.csv(TODAY, TOMORROW).replace("," + OasisFiles.lmp(TOMORROW, 24) + ",", ",x,");
        Answer[] bad = {
            Answer.status(429, "<html>Please retry your request after 5 seconds.</html>"),
            Answer.status(500, ""),
            Answer.status(503, "maintenance"),
            Answer.ok(OasisFiles.cut(good, good.length - 10)),
            new Answer(200, good, 0, true),
            new Answer(200, good, 3000, false),
            Answer.ok(OasisFiles.zip("INVALID_REQUEST.xml", OasisFiles.error("1004", "Data can be requested for period of 31 days only"))),
            Answer.ok(OasisFiles.zip("x.csv", changedToday)),
        };
        String[] reasons = { "HTTP 429", "HTTP 500", "HTTP 503", "truncated", "truncated", "timeout", "OASIS error 1004",
                "not a number" };
        for (int i = 0; i < bad.length; i++) {
            server.answer(bad[i]);
            clock.advance(Duration.ofMinutes(10));
            f.fetchOnce();
            assertThat(f.lastOutcome().ok()).as(reasons[i]).isFalse();
            assertThat(f.lastOutcome().text()).as(reasons[i]).contains(reasons[i], "the 24 known slots stay in force");
            // nothing of tomorrow from the refused answers, today's prices exactly as before
            assertThat(f.prices(TODAY_START, DAY_AFTER_START).slots()).as(reasons[i]).hasSize(24);
            assertThat(f.prices(TODAY_START, TODAY_START.plusSeconds(1)).slots().get(0).price().perMegawattHour().amount())
                    .isEqualByComparingTo(OasisFiles.lmp(TODAY, 1));
        }
    }

    @Test
    void http429SaysHowFarApartRequestsMustBe() throws Exception {
        FeedFetcher f = fetcher();
        server.answer(Answer.status(429, ""));
        f.fetchOnce();
        assertThat(f.lastOutcome().text()).contains("HTTP 429", "at least 5 s between requests");
    }

    @Test
    void aRestartWithoutTheServerKeepsThePrices() throws Exception {
        server.answer(Answer.ok(OasisFiles.zipOfCsv(TODAY, TOMORROW)));
        fetcher().fetchOnce();
        assertThat(Files.readString(dir.resolve("prices-TH_NP15_GEN_APND.txt"))).startsWith("# fusebox-market-caiso prices v1");
        server.close();
        FeedFetcher restarted = fetcher();
        assertThat(restarted.prices(TODAY_START, DAY_AFTER_START).slots()).hasSize(48);
        assertThat(restarted.health().status()).isEqualTo(HealthStatus.UP);
        restarted.fetchOnce(); // connection refused
        assertThat(restarted.lastOutcome().ok()).isFalse();
        assertThat(restarted.prices(TODAY_START, DAY_AFTER_START).slots()).hasSize(48);
    }

    @Test
    void healthIsDegradedWhenPricesDoNotReachTheHorizon() throws Exception {
        server.answer(Answer.ok(OasisFiles.zipOfCsv(TODAY)));
        FeedFetcher f = fetcher();
        f.fetchOnce();
        clock.set(Instant.parse("2026-07-15T03:00:00Z")); // 20:00 PDT: 4 h left of today
        Health h = f.health();
        assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(h.details().get(0)).contains("next 6 h are not all known");
        assertThat(String.join("\n", h.details())).contains("4 h 0 min ahead");
    }
}
