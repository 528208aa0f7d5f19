package org.fusebox.optimiser.fuse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;

/**
 * Dynamic load management: shares the current left under the fuse among the EVs that want it.
 *
 * <ol>
 * <li>Room per phase = the fuse less the margin, the uncontrolled load, and what batteries are asked to
 * draw (battery charging is cut first when there is no room: EVs have departures, batteries can wait).</li>
 * <li>Admission: EVs are taken by weight, then those already charging, then by arrival, as long as every
 * one admitted can get its minimum current on each of its phases; a paused EV needs its minimum plus the
 * resume hysteresis, so chargers are not flapped on and off.</li>
 * <li>Sharing: weighted max-min fairness by progressive filling: every admitted EV's current rises in
 * proportion to its weight until it reaches what it asked for or one of its phases is full.</li>
 * </ol>
 * A pure function of the snapshot, the proposal and the settings; the state it needs (who is paused,
 * what limit is in force) comes from the chargers' readings.
 */
final class FuseSharing {

    private static final double EPS = 1e-7;

    private record Candidate(ConnectorRef ref, ConnectorInfo info, double min, double demand, int weight, boolean running,
            double currentLimit, Instant arrived) {
    }

    Setpoints share(SiteSnapshot site, Setpoints proposal, FuseSettings settings) {
        Optional<PhaseCurrents> uncontrolled = PhaseBudget.uncontrolled(site);
        if (uncontrolled.isEmpty()) {
            return proposal; // no measurement: the core holds failsafe, nothing to share
        }
        List<Phase> phases = site.limits().phases() == 1 ? List.of(Phase.L1) : List.of(Phase.values());
        double[] room = new double[3];
        for (Phase p : phases) {
            room[p.ordinal()] = site.limits().planningLimit().amps() - uncontrolled.get().on(p).amps();
        }
        for (Phase p : Phase.values()) {
            if (!phases.contains(p)) {
                room[p.ordinal()] = 0;
            }
        }
        Setpoints out = proposal;
        out = fitBatteries(site, out, room);

        List<Candidate> candidates = new ArrayList<>();
        for (ChargerState charger : site.chargers()) {
            for (ConnectorInfo info : charger.connectors()) {
                ConnectorRef ref = new ConnectorRef(charger.id(), info.connectorId());
                Optional<ConnectorReading> reading = charger.connectorReading(info.connectorId());
                if (!charger.status().isOnline() || reading.isEmpty()) {
                    // Not ours to steer this cycle: it draws what it draws, count it and leave it be.
                    reading.ifPresent(r -> subtract(room, r.currents()));
                    continue;
                }
                double asked = Math.min(out.chargerLimit(ref).orElse(Current.ZERO).amps(), info.maxCurrent().amps());
                ConnectorReading r = reading.get();
                if (!r.state().wantsCurrent() || asked < info.minCurrent().amps()) {
                    out = out.withChargerLimit(ref, Current.ZERO);
                    continue;
                }
                double limitNow = r.currentLimit().amps();
                Instant arrived = r.session() != null ? r.session().startedAt() : Instant.MAX;
                candidates.add(new Candidate(ref, info, info.minCurrent().amps(), asked, settings.weightOf(charger.id()),
                        limitNow >= info.minCurrent().amps(), limitNow, arrived));
            }
        }

        candidates.sort(Comparator.comparingInt(Candidate::weight).reversed()
                .thenComparing(c -> !c.running())
                .thenComparing(Candidate::arrived)
                .thenComparing(c -> c.ref().toString()));
        List<Candidate> admitted = new ArrayList<>();
        double[] used = new double[3];
        for (Candidate c : candidates) {
            double need = c.min() + (c.running() ? 0 : settings.resumeHysteresisAmps());
            boolean fits = c.info().phases().stream().allMatch(p -> used[p.ordinal()] + need <= room[p.ordinal()] + EPS);
            if (fits) {
                admitted.add(c);
                c.info().phases().forEach(p -> used[p.ordinal()] += c.min());
            } else {
                out = out.withChargerLimit(c.ref(), Current.ZERO);
            }
        }

        double[] alloc = fill(admitted, room);
        for (int i = 0; i < admitted.size(); i++) {
            Candidate c = admitted.get(i);
            double amps = Math.floor(alloc[i] * 10 + 1e-9) / 10;
            amps = Math.max(amps, c.min());
            // Small raises are not worth a write, and keeping the lower limit is always safe.
            if (c.running() && amps > c.currentLimit() && amps - c.currentLimit() < settings.minIncreaseAmps()
                    && c.currentLimit() <= c.demand()) {
                amps = c.currentLimit();
            }
            out = out.withChargerLimit(c.ref(), Current.ofAmps(amps));
        }
        return out;
    }

    /** Counts the batteries' asked power against the room, cutting their charging where it does not fit. */
    private static Setpoints fitBatteries(SiteSnapshot site, Setpoints out, double[] room) {
        for (BatteryState b : site.batteries()) {
            Power measured = b.reading() == null ? Power.ZERO : b.reading().power();
            Power asked = out.batteryPower(b.id()).orElse(measured);
            Power credited = PhaseBudget.creditedBatteryPower(asked, b.reading());
            PhaseCurrents draw = PhaseBudget.batteryDraw(b.ratings(), credited, site.limits().nominalVoltage());
            if (credited.isPositive()) {
                double worstRoom = Double.MAX_VALUE;
                for (Phase p : Phase.values()) {
                    if (draw.on(p).amps() > 0) {
                        worstRoom = Math.min(worstRoom, room[p.ordinal()]);
                    }
                }
                double perPhase = draw.max().amps();
                if (perPhase > worstRoom) {
                    double keep = Math.max(0, worstRoom) / perPhase;
                    Power reduced = credited.times(keep);
                    out = out.withBatteryPower(b.id(), reduced);
                    draw = PhaseBudget.batteryDraw(b.ratings(), reduced, site.limits().nominalVoltage());
                }
            }
            subtract(room, draw);
        }
        return out;
    }

    private static void subtract(double[] room, PhaseCurrents draw) {
        for (Phase p : Phase.values()) {
            room[p.ordinal()] -= draw.on(p).amps();
        }
    }

    /**
     * Progressive filling: raise a common level, each admitted EV at weight x level clamped to [min, demand];
     * when a phase fills, the EVs on it stop rising and the others go on.
     */
    static double[] fill(List<Candidate> admitted, double[] room) {
        int n = admitted.size();
        double[] alloc = new double[n];
        boolean[] frozen = new boolean[n];
        for (int i = 0; i < n; i++) {
            alloc[i] = admitted.get(i).min();
            frozen[i] = admitted.get(i).demand() <= admitted.get(i).min();
        }
        for (int round = 0; round <= n; round++) {
            List<Integer> rising = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!frozen[i]) {
                    rising.add(i);
                }
            }
            if (rising.isEmpty()) {
                break;
            }
            double lo = 0;
            double hi = 0;
            for (int i : rising) {
                hi = Math.max(hi, admitted.get(i).demand() / admitted.get(i).weight());
            }
            if (feasible(admitted, alloc, frozen, hi, room)) {
                for (int i : rising) {
                    alloc[i] = admitted.get(i).demand();
                    frozen[i] = true;
                }
                break;
            }
            for (int k = 0; k < 60; k++) {
                double mid = (lo + hi) / 2;
                if (feasible(admitted, alloc, frozen, mid, room)) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            for (int i : rising) {
                alloc[i] = level(admitted.get(i), lo);
            }
            // Freeze every rising EV on a phase that is now full, and every EV at its demand.
            double[] load = load(admitted, alloc);
            boolean any = false;
            for (int i : rising) {
                Candidate c = admitted.get(i);
                boolean onFullPhase = c.info().phases().stream().anyMatch(p -> room[p.ordinal()] - load[p.ordinal()] < 1e-4);
                if (onFullPhase || alloc[i] >= c.demand() - EPS) {
                    frozen[i] = true;
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return alloc;
    }

    private static double level(Candidate c, double lambda) {
        return Math.max(c.min(), Math.min(c.demand(), c.weight() * lambda));
    }

    private static boolean feasible(List<Candidate> admitted, double[] alloc, boolean[] frozen, double lambda, double[] room) {
        double[] load = new double[3];
        for (int i = 0; i < admitted.size(); i++) {
            double a = frozen[i] ? alloc[i] : level(admitted.get(i), lambda);
            for (Phase p : admitted.get(i).info().phases()) {
                load[p.ordinal()] += a;
            }
        }
        for (int p = 0; p < 3; p++) {
            if (load[p] > room[p] + EPS && load[p] > 0) {
                return false;
            }
        }
        return true;
    }

    private static double[] load(List<Candidate> admitted, double[] alloc) {
        double[] load = new double[3];
        for (int i = 0; i < admitted.size(); i++) {
            for (Phase p : admitted.get(i).info().phases()) {
                load[p.ordinal()] += alloc[i];
            }
        }
        return load;
    }
}
