package org.fusebox.api.site;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.DeviceStatus;

/**
 * An EV charger in a snapshot.
 *
 * @param id         device id
 * @param name       display name
 * @param status     device status
 * @param connectors connector ratings
 * @param reading    latest reading, or {@code null} when none is fresh
 */
public record ChargerState(String id, String name, DeviceStatus status, List<ConnectorInfo> connectors,
        ChargerReading reading) {

    public ChargerState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        connectors = List.copyOf(connectors);
    }

    public Optional<ConnectorInfo> connector(int connectorId) {
        return connectors.stream().filter(c -> c.connectorId() == connectorId).findFirst();
    }

    public Optional<ConnectorReading> connectorReading(int connectorId) {
        return reading == null ? Optional.empty() : reading.connector(connectorId);
    }
}
