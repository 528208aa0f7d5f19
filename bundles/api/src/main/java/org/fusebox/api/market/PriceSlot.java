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
 * @param source the id of the price feed that gave the slot, empty when not known (since 1.1)
 */
public record PriceSlot(Instant start, Duration length, EnergyPrice price, String source) {

    public PriceSlot {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(price, "price");
        source = source == null ? "" : source;
        if (length.isZero() || length.isNegative()) {
            throw new IllegalArgumentException("slot length must be positive, got " + length);
        }
    }

    /** A slot whose source is not named, as in version 1.0. */
    public PriceSlot(Instant start, Duration length, EnergyPrice price) {
        this(start, length, price, "");
    }

    public Instant end() {
        return start.plus(length);
    }

    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end());
    }

    /**
     * The same slot, named as coming from {@code source}.
     *
     * @since 1.1
     */
    public PriceSlot withSource(String source) {
        return new PriceSlot(start, length, price, source);
    }

    /**
     * The same interval and source at another price.
     *
     * @since 1.1
     */
    public PriceSlot withPrice(EnergyPrice price) {
        return new PriceSlot(start, length, price, source);
    }
}
