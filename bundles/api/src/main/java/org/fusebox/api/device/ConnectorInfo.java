package org.fusebox.api.device;

import java.util.List;
import java.util.Objects;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;

/**
 * A charger connector and what it may draw.
 *
 * @param connectorId     1-based, as in OCPP
 * @param phases          the grid phases it draws from (one or three), after the installer's phase rotation
 * @param minCurrent      the lowest current at which an EV charges (6 A for AC under IEC 61851)
 * @param maxCurrent      its rating per phase
 * @param failsafeCurrent what the charger falls back to on its own when it loses its controller
 */
public record ConnectorInfo(int connectorId, List<Phase> phases, Current minCurrent, Current maxCurrent,
        Current failsafeCurrent) {

    public ConnectorInfo {
        if (connectorId < 1) {
            throw new IllegalArgumentException("connectorId must be 1 or more, got " + connectorId);
        }
        phases = List.copyOf(phases);
        if (phases.isEmpty() || phases.size() > 3 || phases.stream().distinct().count() != phases.size()) {
            throw new IllegalArgumentException("phases must be 1 to 3 distinct phases, got " + phases);
        }
        Objects.requireNonNull(minCurrent, "minCurrent");
        Objects.requireNonNull(maxCurrent, "maxCurrent");
        Objects.requireNonNull(failsafeCurrent, "failsafeCurrent");
        if (minCurrent.amps() < 0 || maxCurrent.amps() < minCurrent.amps()) {
            throw new IllegalArgumentException("need 0 <= minCurrent <= maxCurrent, got " + minCurrent + " and " + maxCurrent);
        }
        if (failsafeCurrent.amps() < 0 || failsafeCurrent.amps() > maxCurrent.amps()) {
            throw new IllegalArgumentException("failsafeCurrent must be within 0.." + maxCurrent + ", got " + failsafeCurrent);
        }
    }
}
