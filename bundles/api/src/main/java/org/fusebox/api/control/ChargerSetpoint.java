package org.fusebox.api.control;

import java.util.Objects;
import org.fusebox.api.units.Current;

/**
 * The current limit per phase for one connector; zero pauses charging.
 *
 * @param connector the connector
 * @param limit     current per phase
 */
public record ChargerSetpoint(ConnectorRef connector, Current limit) {
    public ChargerSetpoint {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(limit, "limit");
        if (limit.amps() < 0) {
            throw new IllegalArgumentException("charger limit must not be negative, got " + limit);
        }
    }
}
