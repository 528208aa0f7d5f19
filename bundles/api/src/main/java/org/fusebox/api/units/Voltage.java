package org.fusebox.api.units;

/**
 * Voltage, in volts (RMS, phase to neutral unless stated otherwise).
 *
 * @param volts voltage in V, finite and not negative
 */
public record Voltage(double volts) implements Comparable<Voltage> {

    /** The European nominal phase-to-neutral voltage. */
    public static final Voltage NOMINAL_230 = new Voltage(230);

    public Voltage {
        Quantities.requireFinite(volts, "voltage");
        if (volts < 0) {
            throw new IllegalArgumentException("voltage must not be negative, got " + volts);
        }
    }

    public static Voltage ofVolts(double volts) {
        return new Voltage(volts);
    }

    @Override
    public int compareTo(Voltage o) {
        return Double.compare(volts, o.volts);
    }

    @Override
    public String toString() {
        return Quantities.format(volts, "V");
    }
}
