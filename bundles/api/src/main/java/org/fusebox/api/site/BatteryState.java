package org.fusebox.api.site;

import java.util.Objects;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.DeviceStatus;

/**
 * A battery in a snapshot.
 *
 * @param id      device id
 * @param name    display name
 * @param status  device status
 * @param ratings what it can do
 * @param reading latest reading, or {@code null} when none is fresh
 */
public record BatteryState(String id, String name, DeviceStatus status, BatteryRatings ratings,
        BatteryReading reading) {
    public BatteryState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(ratings, "ratings");
    }
}
