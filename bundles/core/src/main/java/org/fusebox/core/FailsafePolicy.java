package org.fusebox.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Intervention;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.PvState;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;

/**
 * The safe state the core holds devices in while it cannot control the site (no grid meter, no valid
 * configuration): batteries idle, PV uncapped, and EVs at their connectors' failsafe current as long as
 * those currents fit under the fuse given the last uncontrolled load seen; connectors that do not fit
 * are paused. Without known limits every connector is paused.
 */
final class FailsafePolicy {

    record Result(Setpoints setpoints, List<Intervention> interventions) {
    }

    /**
     * @param limits            the site limits, or {@code null} when no valid configuration exists
     * @param lastUncontrolled  the uncontrolled current of the last good cycle, or {@code null} if never seen
     */
    Result safeState(List<ChargerState> chargers, List<BatteryState> batteries, List<PvState> pv, SiteLimits limits,
            PhaseCurrents lastUncontrolled, String reason) {
        List<Intervention> notes = new ArrayList<>();
        Setpoints s = Setpoints.empty();
        PhaseCurrents budget = null;
        if (limits != null) {
            PhaseCurrents used = lastUncontrolled == null ? PhaseCurrents.ZERO : lastUncontrolled;
            budget = PhaseCurrents.uniform(limits.planningLimit()).minus(used);
        }
        List<ChargerState> ordered = new ArrayList<>(chargers);
        ordered.sort(Comparator.comparing(ChargerState::id));
        for (ChargerState charger : ordered) {
            for (ConnectorInfo info : charger.connectors()) {
                ConnectorRef ref = new ConnectorRef(charger.id(), info.connectorId());
                Current amps = Current.ZERO;
                boolean wants = charger.connectorReading(info.connectorId()).map(ConnectorReading::state)
                        .map(st -> st.wantsCurrent()).orElse(true);
                if (budget != null && wants && fits(budget, info)) {
                    amps = info.failsafeCurrent();
                    for (Phase p : info.phases()) {
                        budget = budget.with(p, budget.on(p).minus(amps));
                    }
                }
                s = s.withChargerLimit(ref, amps);
                notes.add(new Intervention(ref.toString(), "failsafe", reason + ": " + amps));
            }
        }
        for (BatteryState b : batteries) {
            s = s.withBatteryPower(b.id(), Power.ZERO);
            notes.add(new Intervention(b.id(), "failsafe", reason + ": 0 W"));
        }
        for (PvState inverter : pv) {
            if (inverter.curtailable()) {
                s = s.withPvLimit(inverter.id(), inverter.ratedPower());
            }
        }
        return new Result(s, notes);
    }

    private static boolean fits(PhaseCurrents budget, ConnectorInfo info) {
        for (Phase p : info.phases()) {
            if (budget.on(p).isLessThan(info.failsafeCurrent())) {
                return false;
            }
        }
        return true;
    }
}
