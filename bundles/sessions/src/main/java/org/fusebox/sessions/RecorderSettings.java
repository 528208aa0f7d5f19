package org.fusebox.sessions;

import java.time.Duration;

/**
 * How the recorder judges what chargers report.
 *
 * @param lostAfter        an active session not seen for this long is closed as lost, ending when last seen
 * @param gapAfter         a session found gone after a gap longer than this (the gateway was down) ended
 *                         unobserved: it is closed as lost, ending when last seen
 * @param readoptWithin    the same transaction seen again on its connector within this long after it closed
 *                         (a charger reboot) continues the closed session rather than starting a new one
 * @param maxConnectorWatts the most any connector can draw: a register step beyond it is a meter jump
 * @param unpricedSlot     the length of the slots energy is counted in while no price is known
 */
record RecorderSettings(Duration lostAfter, Duration gapAfter, Duration readoptWithin, double maxConnectorWatts,
        Duration unpricedSlot) {

    static final RecorderSettings DEFAULTS = new RecorderSettings(Duration.ofHours(1), Duration.ofMinutes(5),
            Duration.ofMinutes(30), 400_000, Duration.ofMinutes(15));

    RecorderSettings {
        requirePositive(lostAfter, "lostAfter");
        requirePositive(gapAfter, "gapAfter");
        if (readoptWithin.isNegative()) {
            throw new IllegalArgumentException("readoptWithin must not be negative");
        }
        requirePositive(unpricedSlot, "unpricedSlot");
        if (!(maxConnectorWatts > 0) || Double.isInfinite(maxConnectorWatts)) {
            throw new IllegalArgumentException("maxConnectorWatts must be positive, got " + maxConnectorWatts);
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
