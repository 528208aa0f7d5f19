package org.fusebox.simulator.ocpp;

import java.time.Duration;

/**
 * Real-time pacing of a simulated charge point's connection.
 *
 * @param reconnectMin    first wait after the socket drops or a connection attempt fails
 * @param reconnectMax    the wait doubles up to this
 * @param callTimeout     how long to wait for the central system's answer to one call
 * @param bootRetryDefault wait before another BootNotification when Pending/Rejected came with interval 0
 * @param connectTimeout  TCP and WebSocket handshake limit of one attempt
 */
public record OcppTiming(Duration reconnectMin, Duration reconnectMax, Duration callTimeout, Duration bootRetryDefault,
        Duration connectTimeout) {

    public static final OcppTiming DEFAULT = new OcppTiming(Duration.ofMillis(500), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(10));

    /** The wait before attempt {@code failures + 1}: doubling from the minimum, capped at the maximum. */
    Duration backoff(int failures) {
        long millis = reconnectMin.toMillis() << Math.min(20, Math.max(0, failures));
        return Duration.ofMillis(Math.min(millis, reconnectMax.toMillis()));
    }
}
