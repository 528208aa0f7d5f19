package org.fusebox.api.device;

import java.time.Instant;
import java.util.Objects;
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
 */
public record MeterReading(Instant timestamp, Power power, PhaseCurrents currents, Voltage voltage,
        Energy importedTotal, Energy exportedTotal) {

    public MeterReading {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(power, "power");
        Objects.requireNonNull(currents, "currents");
        Objects.requireNonNull(voltage, "voltage");
        Objects.requireNonNull(importedTotal, "importedTotal");
        Objects.requireNonNull(exportedTotal, "exportedTotal");
    }
}
