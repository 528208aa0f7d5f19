package org.fusebox.api.units;

import java.time.Duration;

/**
 * Energy, in watt-hours.
 *
 * @param wattHours energy in Wh, finite
 */
public record Energy(double wattHours) implements Comparable<Energy> {

    public static final Energy ZERO = new Energy(0);

    public Energy {
        Quantities.requireFinite(wattHours, "energy");
    }

    public static Energy ofWattHours(double wattHours) {
        return new Energy(wattHours);
    }

    public static Energy ofKilowattHours(double kilowattHours) {
        return new Energy(kilowattHours * 1000.0);
    }

    public double kilowattHours() {
        return wattHours / 1000.0;
    }

    public Energy plus(Energy other) {
        return new Energy(wattHours + other.wattHours);
    }

    public Energy minus(Energy other) {
        return new Energy(wattHours - other.wattHours);
    }

    public Energy times(double factor) {
        return new Energy(wattHours * factor);
    }

    public Energy min(Energy other) {
        return wattHours <= other.wattHours ? this : other;
    }

    public Energy max(Energy other) {
        return wattHours >= other.wattHours ? this : other;
    }

    /** The constant power that moves this energy in {@code duration}. */
    public Power per(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("duration must be positive, got " + duration);
        }
        return new Power(wattHours * 3.6e12 / duration.toNanos());
    }

    @Override
    public int compareTo(Energy o) {
        return Double.compare(wattHours, o.wattHours);
    }

    @Override
    public String toString() {
        return Quantities.format(wattHours, "Wh");
    }
}
