package org.fusebox.market.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** The component logic every feed shares: refusal keeps the previous configuration, the limiter outlives fetchers. */
class FeedRunnerTest {

    record Settings(String id, int perMinute) {
        static Settings checked(String id, int perMinute) {
            ConfigCheck check = new ConfigCheck();
            String checkedId = check.id("id", id);
            check.range("maxRequestsPerMinute", perMinute, 1, 10, "");
            check.throwIfAny();
            return new Settings(checkedId, perMinute);
        }
    }

    /** Collects what the runner posts; EventAdmin is an interface the test implements like any listener. */
    static final class RecordingEvents implements EventAdmin {
        final List<Event> posted = new ArrayList<>();

        @Override
        public void postEvent(Event event) {
            posted.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            posted.add(event);
        }
    }

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2025-10-25T12:30:00Z"));
    final List<FeedFetcher> built = new ArrayList<>();
    final List<RateLimiter> limiters = new ArrayList<>();
    final FeedRunner<Settings> runner = new FeedRunner<>(FeedRunnerTest.class, "fusebox.market.test", "Test", "test", clock,
            Settings::id, s -> RateLimiter.perMinute(s.perMinute()), (s, dataDir, limiter, c) -> {
                limiters.add(limiter);
                FeedFetcher f = new FeedFetcher("Test " + s.id(), (from, to) -> FetchResult.noData("not yet"),
                        new DailySchedule(ZoneId.of("Europe/Berlin"), LocalTime.of(14, 0), Duration.ofHours(1), Duration.ofHours(1)),
                        limiter, new PriceCache(dataDir, "fusebox-test", "X"), Duration.ofHours(6), c);
                built.add(f);
                return f;
            });

    @AfterEach
    void stop() {
        runner.stop();
    }

    @Test
    void beforeAnyConfigurationTheFeedIsDegradedAndEmpty() {
        assertThat(runner.id()).isEqualTo("test");
        assertThat(runner.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(runner.health().details()).containsExactly("not configured");
        assertThat(runner.prices(Instant.MIN, Instant.MAX).isEmpty()).isTrue();
        assertThat(runner.fetcher()).isNull();
    }

    @Test
    void aRefusedFirstConfigurationSaysEveryReasonAndPostsTheEvent() {
        RecordingEvents events = new RecordingEvents();
        runner.setEventAdmin(events);
        assertThat(runner.start(dir, () -> Settings.checked("a b", 99))).isFalse();
        assertThat(runner.health().details().get(0)).startsWith("configuration fusebox.market.test refused: ")
                .contains("id must be", "maxRequestsPerMinute must be 1..10").doesNotContain("stays in force");
        assertThat(events.posted).hasSize(1);
        Event e = events.posted.get(0);
        assertThat(e.getTopic()).isEqualTo(FuseboxEvents.CONFIG_REJECTED);
        assertThat(e.getProperty(FuseboxEvents.PID)).isEqualTo("fusebox.market.test");
        assertThat((String) e.getProperty(FuseboxEvents.REASON)).contains("maxRequestsPerMinute");
        assertThat(built).isEmpty();
    }

    @Test
    void aLaterRefusalKeepsThePreviousSettingsAndFetcherAndAnAcceptedOneClearsIt() {
        assertThat(runner.start(dir, () -> Settings.checked("first", 5))).isTrue();
        FeedFetcher first = runner.fetcher();
        assertThat(runner.configure(() -> Settings.checked("", 5))).isFalse();
        assertThat(runner.id()).isEqualTo("first");
        assertThat(runner.fetcher()).isSameAs(first);
        assertThat(runner.health().details().get(0)).contains("refused", "the previous one (Settings[id=first, perMinute=5]) stays in force");
        assertThat(runner.configError()).contains("id must be");

        assertThat(runner.configure(() -> Settings.checked("second", 5))).isTrue();
        assertThat(runner.id()).isEqualTo("second");
        assertThat(runner.configError()).isNull();
        assertThat(runner.health().details().get(0)).doesNotContain("refused");
        assertThat(runner.fetcher()).isNotSameAs(first);
    }

    @Test
    void theLimiterOutlivesFetchersWhileTheLimitStaysTheSame() {
        runner.start(dir, () -> Settings.checked("a", 5));
        runner.configure(() -> Settings.checked("b", 5));
        runner.configure(() -> Settings.checked("c", 7));
        assertThat(limiters).hasSize(3);
        assertThat(limiters.get(1)).isSameAs(limiters.get(0));
        assertThat(limiters.get(2)).isNotSameAs(limiters.get(0));
        assertThat(limiters.get(2).limit()).isEqualTo(7);
    }

    @Test
    void anotherEventAdminGoingAwayDoesNotSilenceTheOneInUse() {
        RecordingEvents inUse = new RecordingEvents();
        runner.setEventAdmin(inUse);
        runner.unsetEventAdmin(new RecordingEvents());
        runner.start(dir, () -> Settings.checked("", 5));
        assertThat(inUse.posted).hasSize(1);
        runner.unsetEventAdmin(inUse);
        runner.configure(() -> Settings.checked("", 5));
        assertThat(inUse.posted).hasSize(1);
    }
}
