package org.fusebox.api.control;

import java.time.Instant;
import java.util.Objects;
import org.fusebox.api.units.Energy;

/**
 * What a driver asked for the EV on one connector: how much more energy, and by when. It belongs to the
 * session that was running when it was made, and replaces that session's own request and departure (if
 * the charger reported any) in every snapshot until the session ends or the request is withdrawn.
 *
 * @param connector   the connector the EV is plugged into
 * @param energy      energy wanted from now on (on top of what the session has already delivered), positive
 * @param departure   when the driver leaves
 * @param requestedAt when the driver asked
 */
public record ChargingRequest(ConnectorRef connector, Energy energy, Instant departure, Instant requestedAt) {

    public ChargingRequest {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(energy, "energy");
        Objects.requireNonNull(departure, "departure");
        Objects.requireNonNull(requestedAt, "requestedAt");
        // Energy is always finite; zero or less would ask for nothing.
        if (energy.wattHours() <= 0) {
            throw new IllegalArgumentException("requested energy must be positive, got " + energy);
        }
    }
}
