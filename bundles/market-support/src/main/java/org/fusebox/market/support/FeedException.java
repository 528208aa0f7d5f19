package org.fusebox.market.support;

import java.time.Duration;
import java.util.Optional;

/**
 * A response that cannot be used, with a reason fit for a log and for health (never a URL or a secret).
 * A source that asked to be left alone for a while (HTTP 429 with Retry-After) says how long.
 */
public class FeedException extends Exception {

    private static final long serialVersionUID = 1L;
    private final Duration retryAfter;

    public FeedException(String reason) {
        this(reason, (Duration) null);
    }

    public FeedException(String reason, Throwable cause) {
        super(reason, cause);
        this.retryAfter = null;
    }

    public FeedException(String reason, Duration retryAfter) {
        super(reason);
        this.retryAfter = retryAfter;
    }

    /** How long the source asked to wait before the next request, when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
