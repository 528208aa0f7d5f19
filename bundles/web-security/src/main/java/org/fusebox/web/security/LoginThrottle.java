package org.fusebox.web.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failed logins, counted per key (a client address, a user name): after {@code maxFailures} within
 * {@code window}, that key is refused until its oldest counted failure leaves the window. A success clears a
 * user's count, never an address's (one valid account must not reset a password guesser's address). At most
 * {@code maxKeys} keys are remembered, the least recently failed forgotten first, so a flood of names cannot grow
 * the memory.
 */
public final class LoginThrottle {

    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    private final int maxKeys;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true);

    public LoginThrottle(Clock clock, int maxFailures, Duration window, int maxKeys) {
        if (maxFailures < 1 || window.isNegative() || window.isZero() || maxKeys < 1) {
            throw new IllegalArgumentException("login throttle needs maxFailures >= 1, window > 0, maxKeys >= 1");
        }
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.window = window;
        this.maxKeys = maxKeys;
    }

    /** How long {@code key} must wait before it may try again; empty when it may try now. */
    public synchronized Optional<Duration> retryAfter(String key) {
        Deque<Instant> f = failures.get(key);
        if (f == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        expire(f, now);
        if (f.isEmpty()) {
            failures.remove(key);
            return Optional.empty();
        }
        if (f.size() < maxFailures) {
            return Optional.empty();
        }
        Duration wait = Duration.between(now, f.peekFirst().plus(window));
        return Optional.of(wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait);
    }

    public synchronized void failed(String key) {
        Instant now = clock.instant();
        Deque<Instant> f = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        expire(f, now);
        f.addLast(now);
        while (f.size() > maxFailures) {
            f.removeFirst();
        }
        Iterator<String> oldest = failures.keySet().iterator();
        while (failures.size() > maxKeys && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    public synchronized void succeeded(String key) {
        failures.remove(key);
    }

    private void expire(Deque<Instant> f, Instant now) {
        while (!f.isEmpty() && !f.peekFirst().plus(window).isAfter(now)) {
            f.removeFirst();
        }
    }
}
