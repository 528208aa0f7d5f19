package org.fusebox.api.control;

import java.util.Objects;
import org.fusebox.api.units.Power;

/**
 * The output cap for one PV inverter.
 *
 * @param inverterId device id
 * @param maxOutput  cap, not negative
 */
public record PvSetpoint(String inverterId, Power maxOutput) {
    public PvSetpoint {
        Objects.requireNonNull(inverterId, "inverterId");
        Objects.requireNonNull(maxOutput, "maxOutput");
        if (maxOutput.watts() < 0) {
            throw new IllegalArgumentException("PV output cap must not be negative, got " + maxOutput);
        }
    }
}
