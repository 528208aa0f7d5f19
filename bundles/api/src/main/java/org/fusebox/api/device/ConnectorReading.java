package org.fusebox.api.device;

import java.util.Objects;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;

/**
 * What one connector is doing.
 *
 * @param connectorId  1-based
 * @param state        OCPP-style state
 * @param power        power drawn
 * @param currents     current drawn on each grid phase (zero on phases it does not use)
 * @param currentLimit the limit the charger is applying now
 * @param meterTotal   the connector's energy register
 * @param session      the EV session, or {@code null} when no EV is plugged in
 */
public record ConnectorReading(int connectorId, ConnectorState state, Power power, PhaseCurrents currents,
        Current currentLimit, Energy meterTotal, EvSession session) {

    public ConnectorReading {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(power, "power");
        Objects.requireNonNull(currents, "currents");
        Objects.requireNonNull(currentLimit, "currentLimit");
        Objects.requireNonNull(meterTotal, "meterTotal");
    }

    public boolean hasSession() {
        return session != null;
    }
}
