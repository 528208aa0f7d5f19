package org.fusebox.api.device;

import java.time.Duration;
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

    /**
     * How old {@code connector}'s power and currents were when this reading was taken: the gap between
     * this reading's timestamp and the connector's {@link ConnectorReading#measuredAt()} (zero when the
     * connector does not say, never negative). Both come from the driver's clock, so the age holds
     * whatever clock the site runs on.
     */
    public Duration ageOf(ConnectorReading connector) {
        Instant measured = connector.measuredAt();
        if (measured == null || !measured.isBefore(timestamp)) {
            return Duration.ZERO;
        }
        return Duration.between(measured, timestamp);
    }
}
