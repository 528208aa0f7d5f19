package org.fusebox.api.device;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.fusebox.api.units.Current;
import org.osgi.annotation.versioning.ConsumerType;

/** An EV charger (charge point) with one or more connectors, each able to charge one EV. */
@ConsumerType
public interface EvCharger extends Device {

    /** The connectors and their ratings; fixed while the service is registered. */
    List<ConnectorInfo> connectors();

    Optional<ChargerReading> reading();

    /**
     * Caps the current a connector may draw, per phase. Zero pauses charging. A value between zero and
     * the connector's minimum is not valid for AC charging; the core never sends one.
     */
    CompletionStage<WriteResult> setCurrentLimit(int connectorId, Current limit);
}
