package org.fusebox.api.control;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Drivers' charging requests, registered by the core. A request holds for the session in which it was
 * made: when that session ends (the EV leaves, or another session starts on the connector) it is dropped.
 * While it holds, the snapshot shows it in the connector's {@link org.fusebox.api.device.EvSession}:
 * {@code energyRequested} is what had been delivered when it was made plus {@link ChargingRequest#energy()},
 * and {@code departure} is {@link ChargingRequest#departure()}. At most one request per connector: a new
 * one replaces the previous.
 *
 * @since 1.2
 */
@ProviderType
public interface ChargingRequests {

    /**
     * Records a request for the session now running on its connector and runs a control cycle soon.
     *
     * @throws IllegalArgumentException when the charger or connector is unknown, no EV is plugged in, or
     *                                  the departure is not after the site clock's now; the message says which
     * @throws IllegalStateException    when the charger cannot be read now (a driver error); nothing is recorded
     */
    void submit(ChargingRequest request);

    /** The request holding for that connector, if any. */
    Optional<ChargingRequest> get(ConnectorRef connector);

    /** Every request holding now, ordered by charger id and connector id. */
    List<ChargingRequest> all();

    /**
     * Drops the request for that connector; the charger's own values (or a configured default) apply again.
     *
     * @return whether there was one
     */
    boolean withdraw(ConnectorRef connector);
}
