package org.fusebox.rest.view;

import java.time.Instant;
import org.fusebox.api.control.ChargingRequest;
import org.fusebox.api.units.Energy;

/**
 * A driver's charging request as the core holds it.
 *
 * @param chargerId   the charger
 * @param connectorId the connector the EV is plugged into
 * @param energy      energy wanted from the moment of the request on
 * @param departure   when the driver leaves
 * @param requestedAt when the request was made
 */
public record ChargingRequestView(String chargerId, int connectorId, Energy energy, Instant departure, Instant requestedAt) {

    public static ChargingRequestView of(ChargingRequest r) {
        return new ChargingRequestView(r.connector().chargerId(), r.connector().connectorId(), r.energy(), r.departure(),
                r.requestedAt());
    }
}
