package org.fusebox.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Intervention;
import org.fusebox.api.control.Optimiser;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;

/**
 * One cycle's decision, free of OSGi so it can be tested and measured on its own: start from the default
 * proposal, let each optimiser refine it in precedence order, and let the SafetyGuard have the last word.
 */
final class ControlCycle {

    record Decision(List<String> optimiserNotes, List<String> failures, Setpoints proposed, Setpoints applied,
            List<Intervention> interventions, List<Plan> plans) {
    }

    private final SafetyGuard guard = new SafetyGuard();

    /**
     * @param optimisers already in the order to apply them (lowest precedence first)
     * @param horizon    how long the resulting setpoints may stay in force
     */
    Decision decide(SiteSnapshot site, List<Optimiser> optimisers, Duration horizon) {
        return decide(site, optimisers, horizon, PhaseCurrents.ZERO);
    }

    /**
     * @param reserve current per phase the guard keeps free for load the readings may not show yet
     */
    Decision decide(SiteSnapshot site, List<Optimiser> optimisers, Duration horizon, PhaseCurrents reserve) {
        Setpoints proposal = defaultProposal(site);
        List<String> notes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<Plan> plans = new ArrayList<>();
        for (Optimiser o : optimisers) {
            String name = safeName(o);
            long t0 = System.nanoTime();
            try {
                Setpoints out = o.optimise(site, proposal);
                if (out != null) {
                    proposal = proposal.overriddenBy(out);
                }
                planOf(o, name, notes).ifPresent(plans::add);
                notes.add(String.format(Locale.ROOT, "%s (%s) %.2f ms", name, o.tier(), (System.nanoTime() - t0) / 1e6));
            } catch (RuntimeException | LinkageError e) {
                // A failing or half-uninstalled optimiser must not stop the cycle: keep the proposal so far.
                String why = name + " failed: " + e;
                notes.add(why);
                failures.add(why);
            }
        }
        SafetyGuard.Result guarded = guard.apply(site, proposal, horizon, reserve);
        return new Decision(notes, failures, proposal, guarded.applied(), guarded.interventions(), plans);
    }

    /** Every connector with an EV that wants current at its rating, the others paused; batteries idle. */
    static Setpoints defaultProposal(SiteSnapshot site) {
        Setpoints.Builder s = Setpoints.builder();
        for (ChargerState charger : site.chargers()) {
            for (ConnectorInfo info : charger.connectors()) {
                boolean wants = charger.connectorReading(info.connectorId()).map(ConnectorReading::state)
                        .map(st -> st.wantsCurrent()).orElse(false);
                s.chargerLimit(new ConnectorRef(charger.id(), info.connectorId()), wants ? info.maxCurrent() : Current.ZERO);
            }
        }
        for (BatteryState b : site.batteries()) {
            s.batteryPower(b.id(), Power.ZERO);
        }
        return s.build();
    }

    /** A broken plan() only loses the plan: the setpoints the optimiser gave still count. */
    private static Optional<Plan> planOf(Optimiser o, String name, List<String> notes) {
        try {
            Optional<Plan> p = o.plan();
            return p == null ? Optional.empty() : p;
        } catch (RuntimeException | LinkageError e) {
            notes.add(name + " plan unavailable: " + e);
            return Optional.empty();
        }
    }

    private static String safeName(Optimiser o) {
        try {
            return o.name();
        } catch (RuntimeException | LinkageError e) {
            return o.getClass().getName();
        }
    }
}
