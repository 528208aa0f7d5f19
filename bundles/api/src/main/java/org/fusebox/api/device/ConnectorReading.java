package org.fusebox.api.device;

import java.time.Instant;
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
 * @param measuredAt   when the charger last measured {@code power} and {@code currents}, in the driver's clock
 *                     (the one that stamps {@link ChargerReading#timestamp()}); {@code null} when the driver
 *                     does not know better than the reading's own timestamp. A charger that stops sending
 *                     meter values leaves this in the past while the reading itself stays fresh: planners
 *                     must not count such currents as measured draw (see {@link ChargerReading#ageOf}).
 */
public record ConnectorReading(int connectorId, ConnectorState state, Power power, PhaseCurrents currents,
        Current currentLimit, Energy meterTotal, EvSession session, Instant measuredAt) {

    /** A reading whose power and currents are as fresh as the charger reading that holds it. */
    public ConnectorReading(int connectorId, ConnectorState state, Power power, PhaseCurrents currents,
            Current currentLimit, Energy meterTotal, EvSession session) {
        this(connectorId, state, power, currents, currentLimit, meterTotal, session, null);
    }

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
