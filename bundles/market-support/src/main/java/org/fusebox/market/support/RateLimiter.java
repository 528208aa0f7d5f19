package org.fusebox.market.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * At most {@code limit} requests in any sliding {@code window}, whatever the schedule asks. A feed keeps
 * one across reconfigurations, so that a burst of configuration changes cannot exceed the rate either.
 */
public final class RateLimiter {

    private final int limit;
    private final Duration window;
    private final Deque<Instant> sent = new ArrayDeque<>();

    public RateLimiter(int limit, Duration window) {
        if (limit < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a rate limit needs at least 1 request in a positive window, got "
                    + limit + " in " + window);
        }
        this.limit = limit;
        this.window = window;
    }

    public static RateLimiter perMinute(int limit) {
        return new RateLimiter(limit, Duration.ofMinutes(1));
    }

    public int limit() {
        return limit;
    }

    public Duration window() {
        return window;
    }

    /** Whether this limiter allows the same as one of {@code limit} in {@code window} (a new one is not needed). */
    public boolean sameAs(int otherLimit, Duration otherWindow) {
        return limit == otherLimit && window.equals(otherWindow);
    }

    /** The earliest time a request may go, {@code now} if it may go now. */
    public synchronized Instant earliest(Instant now) {
        while (!sent.isEmpty() && !sent.peekFirst().plus(window).isAfter(now)) {
            sent.removeFirst();
        }
        return sent.size() < limit ? now : sent.peekFirst().plus(window);
    }

    /** Takes a place for a request at {@code now}; false (nothing taken) when the window is full. */
    public synchronized boolean tryAcquire(Instant now) {
        if (earliest(now).isAfter(now)) {
            return false;
        }
        sent.addLast(now);
        return true;
    }
}
