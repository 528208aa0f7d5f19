package org.fusebox.api.units;

/**
 * A share between 0 and 100 percent, for state of charge and efficiencies.
 *
 * @param value percent, 0..100
 */
public record Percent(double value) implements Comparable<Percent> {

    public static final Percent ZERO = new Percent(0);
    public static final Percent HUNDRED = new Percent(100);

    public Percent {
        Quantities.requireFinite(value, "percent");
        if (value < 0 || value > 100) {
            throw new IllegalArgumentException("percent must be within 0..100, got " + value);
        }
    }

    public static Percent of(double value) {
        return new Percent(value);
    }

    /** Clamps {@code value} into 0..100 instead of refusing it; for measurements that overshoot by rounding. */
    public static Percent clamped(double value) {
        Quantities.requireFinite(value, "percent");
        return new Percent(Math.max(0, Math.min(100, value)));
    }

    public double fraction() {
        return value / 100.0;
    }

    public boolean isBelow(Percent other) {
        return value < other.value;
    }

    public boolean isAbove(Percent other) {
        return value > other.value;
    }

    @Override
    public int compareTo(Percent o) {
        return Double.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Quantities.format(value, "%");
    }
}
