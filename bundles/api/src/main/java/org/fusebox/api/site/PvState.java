package org.fusebox.api.site;

import java.util.Objects;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.PvReading;
import org.fusebox.api.units.Power;

/**
 * A PV inverter in a snapshot.
 *
 * @param id          device id
 * @param name        display name
 * @param status      device status
 * @param ratedPower  nameplate AC power
 * @param curtailable whether its output can be capped
 * @param reading     latest reading, or {@code null} when none is fresh
 */
public record PvState(String id, String name, DeviceStatus status, Power ratedPower, boolean curtailable,
        PvReading reading) {
    public PvState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(ratedPower, "ratedPower");
    }
}
