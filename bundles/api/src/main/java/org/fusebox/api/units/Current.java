package org.fusebox.api.units;

/**
 * Electric current, in amperes (RMS for AC).
 *
 * @param amps current in A, finite
 */
public record Current(double amps) implements Comparable<Current> {

    public static final Current ZERO = new Current(0);

    public Current {
        Quantities.requireFinite(amps, "current");
    }

    public static Current ofAmps(double amps) {
        return new Current(amps);
    }

    public Current plus(Current other) {
        return new Current(amps + other.amps);
    }

    public Current minus(Current other) {
        return new Current(amps - other.amps);
    }

    public Current times(double factor) {
        return new Current(amps * factor);
    }

    public Current min(Current other) {
        return amps <= other.amps ? this : other;
    }

    public Current max(Current other) {
        return amps >= other.amps ? this : other;
    }

    /** Power drawn at this current on each of {@code phases} phases at {@code voltage} phase-to-neutral. */
    public Power toPower(Voltage voltage, int phases) {
        return new Power(amps * voltage.volts() * phases);
    }

    public boolean isGreaterThan(Current other) {
        return amps > other.amps;
    }

    public boolean isLessThan(Current other) {
        return amps < other.amps;
    }

    @Override
    public int compareTo(Current o) {
        return Double.compare(amps, o.amps);
    }

    @Override
    public String toString() {
        return Quantities.format(amps, "A");
    }
}
