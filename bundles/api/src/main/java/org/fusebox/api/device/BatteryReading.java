package org.fusebox.api.device;

import java.time.Instant;
import java.util.Objects;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Power;

/**
 * A battery reading.
 *
 * @param timestamp when it was measured
 * @param power     AC power, charging positive
 * @param soc       state of charge
 * @param setpoint  the power the battery was last told to hold
 */
public record BatteryReading(Instant timestamp, Power power, Percent soc, Power setpoint) {

    public BatteryReading {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(power, "power");
        Objects.requireNonNull(soc, "soc");
        Objects.requireNonNull(setpoint, "setpoint");
    }
}
