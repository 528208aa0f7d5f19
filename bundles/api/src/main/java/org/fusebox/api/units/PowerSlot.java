package org.fusebox.api.units;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A power held over an interval: one step of a forecast or a plan.
 *
 * @param start  start, inclusive
 * @param length length, positive
 * @param power  the average power over the interval
 */
public record PowerSlot(Instant start, Duration length, Power power) {

    public PowerSlot {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(power, "power");
        if (length.isZero() || length.isNegative()) {
            throw new IllegalArgumentException("slot length must be positive, got " + length);
        }
    }

    public Instant end() {
        return start.plus(length);
    }

    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end());
    }

    /** The energy this slot holds (negative for a negative power). */
    public Energy energy() {
        return Energy.ofWattHours(power.watts() * length.toMillis() / 3_600_000.0);
    }
}
