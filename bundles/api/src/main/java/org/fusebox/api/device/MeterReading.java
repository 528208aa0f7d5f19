package org.fusebox.api.device;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;

/**
 * A grid meter reading. Import is positive.
 *
 * @param timestamp    when it was measured
 * @param power        active power, import positive, export negative
 * @param currents     RMS current per phase, signed like {@code power} (import positive)
 * @param voltage      phase-to-neutral voltage (average over phases)
 * @param importedTotal energy register, imported
 * @param exportedTotal energy register, exported
 * @param frequencyHz  the grid frequency the meter measured, in Hz, within (0, 100); {@code NaN} when the
 *                     meter does not measure it (since 1.2; prefer {@link #frequency()})
 */
public record MeterReading(Instant timestamp, Power power, PhaseCurrents currents, Voltage voltage,
        Energy importedTotal, Energy exportedTotal, double frequencyHz) {

    /** The highest frequency a reading may carry: above it a value is a unit or decoding error, not a grid. */
    static final double MAX_FREQUENCY_HZ = 100;

    public MeterReading {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(power, "power");
        Objects.requireNonNull(currents, "currents");
        Objects.requireNonNull(voltage, "voltage");
        Objects.requireNonNull(importedTotal, "importedTotal");
        Objects.requireNonNull(exportedTotal, "exportedTotal");
        if (!Double.isNaN(frequencyHz) && !(frequencyHz > 0 && frequencyHz < MAX_FREQUENCY_HZ)) {
            throw new IllegalArgumentException("frequencyHz must be within 0 and " + (int) MAX_FREQUENCY_HZ
                    + " Hz (both excluded), or NaN when the meter does not measure it, got " + frequencyHz);
        }
    }

    /** A reading without the grid frequency, as in version 1.1. */
    public MeterReading(Instant timestamp, Power power, PhaseCurrents currents, Voltage voltage,
            Energy importedTotal, Energy exportedTotal) {
        this(timestamp, power, currents, voltage, importedTotal, exportedTotal, Double.NaN);
    }

    /**
     * The grid frequency in Hz, empty when the meter does not measure it.
     *
     * @since 1.2
     */
    public OptionalDouble frequency() {
        return Double.isNaN(frequencyHz) ? OptionalDouble.empty() : OptionalDouble.of(frequencyHz);
    }

    /**
     * This reading with {@code frequencyHz} as its frequency ({@code NaN}: not measured).
     *
     * @since 1.2
     */
    public MeterReading withFrequency(double frequencyHz) {
        return new MeterReading(timestamp, power, currents, voltage, importedTotal, exportedTotal, frequencyHz);
    }
}
