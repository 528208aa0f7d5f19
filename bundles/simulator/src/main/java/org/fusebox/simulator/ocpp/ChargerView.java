package org.fusebox.simulator.ocpp;

import java.time.Instant;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.units.Phase;
import org.fusebox.simulator.model.ChargePoint;
import org.fusebox.simulator.model.ChargingSession;

/**
 * What a simulated charger looked like after one step, copied on the simulation thread for the OCPP thread.
 *
 * @param now          simulated time of the step
 * @param state        the connector's state
 * @param amps         current drawn on L1, L2, L3
 * @param watts        power drawn
 * @param meterWattHours the energy register
 * @param sessionId    the plugged-in EV's session, or {@code null}
 * @param idTag        its driver's token, or {@code null}
 * @param socPercent   its state of charge, or {@code null}
 * @param authorised   whether the EV may charge
 */
public record ChargerView(Instant now, ConnectorState state, double[] amps, double watts, double meterWattHours,
        String sessionId, String idTag, Double socPercent, boolean authorised) {

    public static ChargerView of(ChargePoint p, Instant now) {
        ChargingSession s = p.session().orElse(null);
        double[] amps = { p.amps(Phase.L1), p.amps(Phase.L2), p.amps(Phase.L3) };
        return new ChargerView(now, p.state(), amps, p.watts(), p.meterWattHours(), s == null ? null : s.sessionId(),
                s == null ? null : s.idTag(), s == null ? null : s.socPercent(), s != null && s.authorised());
    }

    /** Whether an EV is plugged in and not yet on its way out. */
    boolean evWaiting() {
        return sessionId != null && state != ConnectorState.FINISHING;
    }
}
