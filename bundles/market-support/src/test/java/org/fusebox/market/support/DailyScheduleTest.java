package org.fusebox.market.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The schedule: which window, when complete, when next; a Retry-After and the minimum spacing; the rate limiter. */
class DailyScheduleTest {

    final DailySchedule plan = new DailySchedule(ZoneId.of("Europe/Brussels"), LocalTime.of(13, 0), Duration.ofMinutes(1), Duration.ofMinutes(30));

    @Test
    void beforePublicationTodayIsEnoughAndTheNextRequestIsAtPublication() {
        Instant morning = Instant.parse("2025-10-25T06:00:00Z"); // 08:00 CEST
        Instant endOfToday = Instant.parse("2025-10-25T22:00:00Z");
        assertThat(plan.windowStart(morning)).isEqualTo(Instant.parse("2025-10-24T22:00:00Z"));
        assertThat(plan.windowEnd(morning)).isEqualTo(Instant.parse("2025-10-26T23:00:00Z"));
        assertThat(plan.wantedUntil(morning)).isEqualTo(endOfToday);
        assertThat(plan.next(morning, endOfToday, 0)).isEqualTo(Instant.parse("2025-10-25T11:00:00Z"));
    }

    @Test
    void afterPublicationTomorrowIsWantedAndItsAbsenceRetriesWithDoublingWaits() {
        Instant afternoon = Instant.parse("2025-10-25T11:05:00Z");
        Instant endOfToday = Instant.parse("2025-10-25T22:00:00Z");
        assertThat(plan.wantedUntil(afternoon)).isEqualTo(Instant.parse("2025-10-26T23:00:00Z"));
        assertThat(plan.next(afternoon, endOfToday, 1)).isEqualTo(afternoon.plus(Duration.ofMinutes(1)));
        assertThat(plan.next(afternoon, endOfToday, 2)).isEqualTo(afternoon.plus(Duration.ofMinutes(2)));
        assertThat(plan.next(afternoon, endOfToday, 5)).isEqualTo(afternoon.plus(Duration.ofMinutes(16)));
        assertThat(plan.next(afternoon, endOfToday, 6)).isEqualTo(afternoon.plus(Duration.ofMinutes(30)));
        assertThat(plan.next(afternoon, endOfToday, 1000)).isEqualTo(afternoon.plus(Duration.ofMinutes(30)));
        // publication is 13:00 CET on the Sunday after the change: 12:00Z
        assertThat(plan.next(afternoon, Instant.parse("2025-10-26T23:00:00Z"), 0)).isEqualTo(Instant.parse("2025-10-26T12:00:00Z"));
    }

    @Test
    void theRateLimiterCountsASlidingMinute() {
        RateLimiter r = RateLimiter.perMinute(2);
        Instant t = Instant.parse("2025-10-25T11:00:00Z");
        assertThat(r.tryAcquire(t)).isTrue();
        assertThat(r.tryAcquire(t.plusSeconds(30))).isTrue();
        assertThat(r.tryAcquire(t.plusSeconds(59))).isFalse();
        assertThat(r.earliest(t.plusSeconds(59))).isEqualTo(t.plusSeconds(60));
        assertThat(r.tryAcquire(t.plusSeconds(60))).isTrue();
        assertThat(r.tryAcquire(t.plusSeconds(61))).isFalse();
    }

    @Test
    void aWaitTheSourceAskedForIsHonouredUpToADay() {
        Instant afternoon = Instant.parse("2025-10-25T11:05:00Z");
        Instant endOfToday = Instant.parse("2025-10-25T22:00:00Z");
        assertThat(plan.next(afternoon, endOfToday, 1, Duration.ofMinutes(10))).isEqualTo(afternoon.plus(Duration.ofMinutes(10)));
        // shorter than the back-off: the back-off stands
        assertThat(plan.next(afternoon, endOfToday, 3, Duration.ofSeconds(5))).isEqualTo(afternoon.plus(Duration.ofMinutes(4)));
        assertThat(plan.next(afternoon, endOfToday, 1, Duration.ofDays(30))).isEqualTo(afternoon.plus(Duration.ofDays(1)));
    }

    @Test
    void requestsAreNeverCloserThanTheMinimumSpacing() {
        DailySchedule spaced = new DailySchedule(ZoneId.of("Europe/Berlin"), LocalTime.of(14, 0), Duration.ofMinutes(1),
                Duration.ofHours(1), Duration.ofMinutes(15));
        Instant t = Instant.parse("2025-10-25T11:59:00Z"); // 13:59 CEST, a minute before publication
        Instant endOfToday = Instant.parse("2025-10-25T22:00:00Z");
        assertThat(spaced.next(t, endOfToday, 1)).isEqualTo(t.plus(Duration.ofMinutes(15)));
        assertThat(spaced.next(t, endOfToday, 0)).isEqualTo(t.plus(Duration.ofMinutes(15)));
        assertThat(spaced.next(t, endOfToday, 7)).isEqualTo(t.plus(Duration.ofMinutes(60)));
    }

    @Test
    void aWindowOtherThanAMinuteCountsTheSameWay() {
        RateLimiter day = new RateLimiter(3, Duration.ofDays(1));
        Instant t = Instant.parse("2025-10-25T00:00:00Z");
        assertThat(day.tryAcquire(t)).isTrue();
        assertThat(day.tryAcquire(t.plusSeconds(3600))).isTrue();
        assertThat(day.tryAcquire(t.plusSeconds(7200))).isTrue();
        assertThat(day.tryAcquire(t.plusSeconds(80_000))).isFalse();
        assertThat(day.earliest(t.plusSeconds(80_000))).isEqualTo(t.plus(Duration.ofDays(1)));
        assertThat(day.sameAs(3, Duration.ofDays(1))).isTrue();
        assertThat(day.sameAs(3, Duration.ofMinutes(1))).isFalse();
    }
}
