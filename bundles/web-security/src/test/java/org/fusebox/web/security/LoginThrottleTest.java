package org.fusebox.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(clock, 3, Duration.ofMinutes(5), 100);

    @Test
    void theLimitHoldsUntilTheOldestFailureLeavesTheWindow() {
        throttle.failed("k");
        clock.advance(Duration.ofMinutes(1));
        throttle.failed("k");
        assertThat(throttle.retryAfter("k")).isEmpty();
        throttle.failed("k");
        assertThat(throttle.retryAfter("k")).contains(Duration.ofMinutes(4));
        clock.advance(Duration.ofMinutes(3).plusSeconds(59));
        assertThat(throttle.retryAfter("k")).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.retryAfter("k")).isEmpty();
    }

    @Test
    void keysAreCountedApartAndASuccessClearsOnlyItsKey() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("user:ann");
            throttle.failed("address:10.0.0.9");
        }
        assertThat(throttle.retryAfter("user:bob")).isEmpty();
        throttle.succeeded("user:ann");
        assertThat(throttle.retryAfter("user:ann")).isEmpty();
        assertThat(throttle.retryAfter("address:10.0.0.9")).isPresent();
    }

    @Test
    void memoryIsBoundedByForgettingTheLeastRecentKeys() {
        LoginThrottle small = new LoginThrottle(clock, 1, Duration.ofMinutes(5), 2);
        small.failed("a");
        small.failed("b");
        small.failed("c");
        assertThat(small.retryAfter("a")).isEmpty();
        assertThat(small.retryAfter("b")).isPresent();
        assertThat(small.retryAfter("c")).isPresent();
    }
}
