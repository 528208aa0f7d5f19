package org.fusebox.api.units;

/**
 * Active power. Sign convention is set by the owner of the value and documented there; across the site
 * API import, charging and consumption are positive, export, discharging and generation negative.
 *
 * @param watts power in watts, finite
 */
public record Power(double watts) implements Comparable<Power> {

    public static final Power ZERO = new Power(0);

    public Power {
        Quantities.requireFinite(watts, "power");
    }

    public static Power ofWatts(double watts) {
        return new Power(watts);
    }

    public static Power ofKilowatts(double kilowatts) {
        return new Power(kilowatts * 1000.0);
    }

    public double kilowatts() {
        return watts / 1000.0;
    }

    public Power plus(Power other) {
        return new Power(watts + other.watts);
    }

    public Power minus(Power other) {
        return new Power(watts - other.watts);
    }

    public Power times(double factor) {
        return new Power(watts * factor);
    }

    public Power negate() {
        return new Power(-watts);
    }

    public Power abs() {
        return new Power(Math.abs(watts));
    }

    public Power min(Power other) {
        return watts <= other.watts ? this : other;
    }

    public Power max(Power other) {
        return watts >= other.watts ? this : other;
    }

    /** Energy delivered at this power over {@code duration}. */
    public Energy over(java.time.Duration duration) {
        return new Energy(watts * duration.toNanos() / 3.6e12);
    }

    /** Current per phase drawn at this power, balanced over {@code phases} phases at {@code voltage} phase-to-neutral. */
    public Current perPhaseCurrent(Voltage voltage, int phases) {
        if (phases < 1 || phases > 3) {
            throw new IllegalArgumentException("phases must be 1, 2 or 3, got " + phases);
        }
        return new Current(watts / (voltage.volts() * phases));
    }

    public boolean isPositive() {
        return watts > 0;
    }

    public boolean isNegative() {
        return watts < 0;
    }

    @Override
    public int compareTo(Power o) {
        return Double.compare(watts, o.watts);
    }

    @Override
    public String toString() {
        return Quantities.format(watts, "W");
    }
}
