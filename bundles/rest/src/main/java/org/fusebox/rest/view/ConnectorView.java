package org.fusebox.rest.view;

import java.util.List;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;

/**
 * One connector of a charger: its ratings and what it is doing, side by side. The ratings are null for a
 * connector the charger reports on but did not declare.
 *
 * @param connectorId     1-based, as in OCPP
 * @param phases          the grid phases it draws from
 * @param minCurrent      the lowest current an EV charges at
 * @param maxCurrent      its rating per phase
 * @param failsafeCurrent what the charger falls back to without a controller
 * @param reading         what it is doing, or null when the charger has no fresh reading
 * @param pausedBecause   why a plugged-in EV gets 0 A in the last cycle (the plan holding it back, the guard,
 *                        or the fuse share), null when it is not paused
 * @param metered         the active session as the gateway metered it: energy and cost so far; null when no
 *                        session is active or the session recorder (fusebox-sessions) is not installed
 */
public record ConnectorView(int connectorId, List<Phase> phases, Current minCurrent, Current maxCurrent,
        Current failsafeCurrent, Reading reading, String pausedBecause, SessionRecordView.SoFarView metered) {

    /**
     * @param state        OCPP state
     * @param power        power drawn
     * @param currents     current drawn per grid phase
     * @param currentLimit the limit the charger applies now
     * @param meterTotal   energy register
     * @param session      the EV session, or null when no EV is plugged in
     */
    public record Reading(ConnectorState state, Power power, PhaseCurrents currents, Current currentLimit,
            Energy meterTotal, SessionView session) {

        static Reading of(ConnectorReading r) {
            return r == null ? null
                    : new Reading(r.state(), r.power(), r.currents(), r.currentLimit(), r.meterTotal(),
                            SessionView.of(r.session()));
        }
    }

    static ConnectorView of(ConnectorInfo info, ConnectorReading reading, String pausedBecause,
            SessionRecordView.SoFarView metered) {
        return new ConnectorView(info.connectorId(), info.phases(), info.minCurrent(), info.maxCurrent(),
                info.failsafeCurrent(), Reading.of(reading), pausedBecause, metered);
    }

    static ConnectorView undeclared(ConnectorReading reading, String pausedBecause, SessionRecordView.SoFarView metered) {
        return new ConnectorView(reading.connectorId(), null, null, null, null, Reading.of(reading), pausedBecause, metered);
    }
}
