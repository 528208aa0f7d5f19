package org.fusebox.optimiser.evdeadline;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One planning interval.
 *
 * @param start       start, inclusive
 * @param length      length (the first slot may be shorter: it starts now)
 * @param pricePerKwh energy price, any sign
 * @param capKw       power available for EV charging during the whole slot (negative counts as none)
 */
record Slot(Instant start, Duration length, double pricePerKwh, double capKw) {

    Slot {
        Objects.requireNonNull(start, "start");
        if (length.isZero() || length.isNegative()) {
            throw new IllegalArgumentException("slot length must be positive, got " + length);
        }
        if (!Double.isFinite(pricePerKwh) || !Double.isFinite(capKw)) {
            throw new IllegalArgumentException("price and cap must be finite");
        }
    }

    Instant end() {
        return start.plus(length);
    }

    double hours() {
        return length.toNanos() / 3.6e12;
    }
}
