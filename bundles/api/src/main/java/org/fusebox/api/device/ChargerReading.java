package org.fusebox.api.device;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A charger reading: one entry per connector.
 *
 * @param timestamp  when it was measured
 * @param connectors per-connector readings
 */
public record ChargerReading(Instant timestamp, List<ConnectorReading> connectors) {

    public ChargerReading {
        Objects.requireNonNull(timestamp, "timestamp");
        connectors = List.copyOf(connectors);
    }

    public Optional<ConnectorReading> connector(int connectorId) {
        return connectors.stream().filter(c -> c.connectorId() == connectorId).findFirst();
    }
}
