package org.fusebox.api.control;

import java.util.Objects;
import org.fusebox.api.units.Power;

/**
 * The AC power one battery should hold: charging positive, discharging negative.
 *
 * @param batteryId device id
 * @param power     power
 */
public record BatterySetpoint(String batteryId, Power power) {
    public BatterySetpoint {
        Objects.requireNonNull(batteryId, "batteryId");
        Objects.requireNonNull(power, "power");
    }
}
