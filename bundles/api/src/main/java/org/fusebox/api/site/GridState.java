package org.fusebox.api.site;

import java.util.Objects;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.MeterReading;

/**
 * The grid meter in a snapshot.
 *
 * @param id      device id
 * @param name    display name
 * @param status  device status
 * @param reading latest reading, or {@code null} when none is fresh
 */
public record GridState(String id, String name, DeviceStatus status, MeterReading reading) {
    public GridState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
    }
}
