package org.fusebox.api.market;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.fusebox.api.units.EnergyPrice;

/**
 * One price interval.
 *
 * @param start  start, inclusive
 * @param length length (15 minutes or an hour for day-ahead markets)
 * @param price  the price in force
 */
public record PriceSlot(Instant start, Duration length, EnergyPrice price) {

    public PriceSlot {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(price, "price");
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
}
