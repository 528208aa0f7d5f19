package org.fusebox.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Intervention;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.PvState;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;

/**
 * The last word on every setpoint. Whatever the optimisers asked, what leaves the guard respects:
 * <ul>
 * <li>every connector is either paused (0 A) or within its minimum and maximum current;</li>
 * <li>every battery within its power ratings, never discharging at or below the minimum SoC nor charging
 * at or above the maximum, and never asked for more energy than is left to those bounds over the
 * horizon;</li>
 * <li>the current each phase would carry (counted by {@link PhaseBudget}) within the fuse less the
 * margin, unless the uncontrolled load alone exceeds it, in which case nothing controllable adds to it
 * (chargers paused, batteries not charging, no PV curtailment).</li>
 * </ul>
 * The guard only ever cuts: it never raises a charging current or starts a discharge on its own.
 */
final class SafetyGuard {

    /** Ends the cut loop even if rounding keeps a phase a hair over; each pass only lowers currents. */
    private static final int MAX_PASSES = 64;
    private static final double EPSILON_AMPS = 1e-6;

    record Result(Setpoints applied, List<Intervention> interventions) {
    }

    /** As {@link #apply(SiteSnapshot, Setpoints, Duration, PhaseCurrents)} with no reserve. */
    Result apply(SiteSnapshot site, Setpoints proposed, Duration horizon) {
        return apply(site, proposed, horizon, PhaseCurrents.ZERO);
    }

    /**
     * @param horizon how long a setpoint may stay in force before the next one (at least one cycle); the
     *                SoC bounds must hold over it
     * @param reserve current per phase kept free on top of the measured uncontrolled load, for load the
     *                readings may not show yet (see {@link UncontrolledWindow}); zero or positive
     */
    Result apply(SiteSnapshot site, Setpoints proposed, Duration horizon, PhaseCurrents reserve) {
        List<Intervention> notes = new ArrayList<>();
        Map<ConnectorRef, Current> chargers = new LinkedHashMap<>();
        Map<ConnectorRef, ConnectorInfo> infos = new LinkedHashMap<>();
        for (ChargerState charger : site.chargers()) {
            for (ConnectorInfo info : charger.connectors()) {
                ConnectorRef ref = new ConnectorRef(charger.id(), info.connectorId());
                infos.put(ref, info);
                chargers.put(ref, connectorWithinRatings(ref, info, proposed.chargerLimit(ref).orElse(Current.ZERO), notes));
            }
        }
        Map<String, Power> batteries = new LinkedHashMap<>();
        for (BatteryState battery : site.batteries()) {
            batteries.put(battery.id(), batteryWithinBounds(battery, site.limits(), proposed.batteryPower(battery.id()).orElse(Power.ZERO), horizon, notes));
        }
        Map<String, Power> pvCaps = new LinkedHashMap<>();
        for (PvState pv : site.pv()) {
            proposed.pvLimit(pv.id()).ifPresent(cap -> pvCaps.put(pv.id(), cap.min(pv.ratedPower())));
        }

        if (PhaseBudget.uncontrolled(site).isEmpty()) {
            // Without a fresh grid reading nothing can be checked against the fuse: add nothing to it.
            for (Map.Entry<ConnectorRef, Current> e : chargers.entrySet()) {
                if (e.getValue().amps() > 0) {
                    notes.add(new Intervention(e.getKey().toString(), "no-meter", "no fresh grid reading: " + e.getValue() + " -> 0 A"));
                    e.setValue(Current.ZERO);
                }
            }
            batteries.replaceAll((id, p) -> {
                if (!p.isPositive()) {
                    return p;
                }
                notes.add(new Intervention(id, "no-meter", "no fresh grid reading: charging " + p + " -> 0 W"));
                return Power.ZERO;
            });
            pvCaps.clear();
            return new Result(build(chargers, batteries, pvCaps), notes);
        }

        enforceFuse(site, infos, chargers, batteries, pvCaps, positive(reserve), notes);
        return new Result(build(chargers, batteries, pvCaps), notes);
    }

    private static Current connectorWithinRatings(ConnectorRef ref, ConnectorInfo info, Current asked, List<Intervention> notes) {
        if (asked.isGreaterThan(info.maxCurrent())) {
            notes.add(new Intervention(ref.toString(), "rating", "asked " + asked + ", connector rated " + info.maxCurrent()));
            return info.maxCurrent();
        }
        if (asked.amps() > 0 && asked.isLessThan(info.minCurrent())) {
            notes.add(new Intervention(ref.toString(), "min-current",
                    "asked " + asked + ", below the minimum " + info.minCurrent() + ": paused"));
            return Current.ZERO;
        }
        return asked;
    }

    private static Power batteryWithinBounds(BatteryState battery, SiteLimits limits, Power asked, Duration horizon,
            List<Intervention> notes) {
        String id = battery.id();
        if (battery.reading() == null) {
            if (!asked.equals(Power.ZERO)) {
                notes.add(new Intervention(id, "no-reading", "state of charge unknown: " + asked + " -> 0 W"));
            }
            return Power.ZERO;
        }
        Power p = asked;
        Power maxCharge = battery.ratings().maxChargePower();
        Power maxDischarge = battery.ratings().maxDischargePower().negate();
        if (p.compareTo(maxCharge) > 0 || p.compareTo(maxDischarge) < 0) {
            Power clamped = p.min(maxCharge).max(maxDischarge);
            notes.add(new Intervention(id, "rating", "asked " + p + ", rated " + maxDischarge + ".." + maxCharge + ": " + clamped));
            p = clamped;
        }
        double soc = battery.reading().soc().value();
        double capacityWh = battery.ratings().capacity().wattHours();
        double hours = horizon.toNanos() / 3.6e12;
        if (p.isNegative()) {
            // Energy left above the minimum, spread over the horizon, bounds the discharge.
            double roomWh = Math.max(0, (soc - limits.batteryMinSoc().value()) / 100.0 * capacityWh);
            Power allowed = Power.ofWatts(-roomWh / hours);
            if (p.compareTo(allowed) < 0) {
                notes.add(new Intervention(id, "min-soc", String.format(Locale.ROOT,
                        "SoC %.1f %% with minimum %.1f %%: discharge %s -> %s", soc, limits.batteryMinSoc().value(), p, allowed)));
                p = allowed;
            }
        } else if (p.isPositive()) {
            double roomWh = Math.max(0, (limits.batteryMaxSoc().value() - soc) / 100.0 * capacityWh);
            Power allowed = Power.ofWatts(roomWh / hours);
            if (p.compareTo(allowed) > 0) {
                notes.add(new Intervention(id, "max-soc", String.format(Locale.ROOT,
                        "SoC %.1f %% with maximum %.1f %%: charge %s -> %s", soc, limits.batteryMaxSoc().value(), p, allowed)));
                p = allowed;
            }
        }
        return p.watts() == 0 ? Power.ZERO : p;
    }

    private static PhaseCurrents positive(PhaseCurrents reserve) {
        PhaseCurrents r = PhaseCurrents.ZERO;
        for (Phase p : Phase.values()) {
            r = r.with(p, Current.ofAmps(Math.max(0, reserve.on(p).amps())));
        }
        return r;
    }

    private static void enforceFuse(SiteSnapshot site, Map<ConnectorRef, ConnectorInfo> infos, Map<ConnectorRef, Current> chargers,
            Map<String, Power> batteries, Map<String, Power> pvCaps, PhaseCurrents reserve, List<Intervention> notes) {
        Current limit = site.limits().planningLimit();
        java.util.Set<Phase> beyondControl = java.util.EnumSet.noneOf(Phase.class);
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            PhaseCurrents planned = PhaseBudget.planned(site, build(chargers, batteries, pvCaps)).orElseThrow()
                    .plus(pvCurtailmentDraw(site, pvCaps)).plus(reserve);
            Phase worst = null;
            double worstExcess = EPSILON_AMPS;
            for (Phase p : phasesOf(site)) {
                if (beyondControl.contains(p)) {
                    continue;
                }
                double excess = planned.on(p).amps() - limit.amps();
                if (excess > worstExcess) {
                    worst = p;
                    worstExcess = excess;
                }
            }
            if (worst == null) {
                return;
            }
            String why = String.format(Locale.ROOT, "%s planned %.1f A over the limit %.1f A", worst, planned.on(worst).amps(), limit.amps());
            double left = cutBatteries(site, worst, worstExcess, batteries, why, notes);
            left = releaseCurtailment(site, left, pvCaps, why, notes);
            left = cutChargers(worst, left, infos, chargers, why, notes);
            if (left > EPSILON_AMPS) {
                notes.add(new Intervention("site", "fuse", why + ": the uncontrolled load alone is too high; every controllable load on it is at its minimum"));
                beyondControl.add(worst);
            }
        }
    }

    private static List<Phase> phasesOf(SiteSnapshot site) {
        return site.limits().phases() == 1 ? List.of(Phase.L1) : List.of(Phase.values());
    }

    /** Lowering a PV cap below what the panels produce now adds import: count it. */
    private static PhaseCurrents pvCurtailmentDraw(SiteSnapshot site, Map<String, Power> pvCaps) {
        PhaseCurrents draw = PhaseCurrents.ZERO;
        for (PvState pv : site.pv()) {
            Power cap = pvCaps.get(pv.id());
            if (cap == null || pv.reading() == null) {
                continue;
            }
            Power lost = pv.reading().power().minus(cap);
            if (lost.isPositive()) {
                draw = draw.plus(PhaseCurrents.uniform(lost.perPhaseCurrent(site.limits().nominalVoltage(), site.limits().phases())));
            }
        }
        return draw;
    }

    private static double cutBatteries(SiteSnapshot site, Phase phase, double excessAmps, Map<String, Power> batteries,
            String why, List<Intervention> notes) {
        double left = excessAmps;
        for (BatteryState b : site.batteries()) {
            Power p = batteries.get(b.id());
            if (left <= EPSILON_AMPS || !p.isPositive() || (b.ratings().phases() == 1 && phase != Phase.L1)) {
                continue;
            }
            double wattsPerAmp = site.limits().nominalVoltage().volts() * b.ratings().phases();
            double ampsNow = p.watts() / wattsPerAmp;
            double cut = Math.min(ampsNow, left);
            Power reduced = Power.ofWatts(Math.max(0, (ampsNow - cut) * wattsPerAmp));
            notes.add(new Intervention(b.id(), "fuse", why + ": charging " + p + " -> " + reduced));
            batteries.put(b.id(), reduced);
            left -= cut;
        }
        return left;
    }

    private static double releaseCurtailment(SiteSnapshot site, double excessAmps, Map<String, Power> pvCaps, String why,
            List<Intervention> notes) {
        if (excessAmps <= EPSILON_AMPS) {
            return excessAmps;
        }
        double left = excessAmps;
        for (PvState pv : site.pv()) {
            Power cap = pvCaps.get(pv.id());
            if (cap != null && pv.reading() != null && cap.compareTo(pv.reading().power()) < 0) {
                double amps = pv.reading().power().minus(cap).perPhaseCurrent(site.limits().nominalVoltage(), site.limits().phases()).amps();
                notes.add(new Intervention(pv.id(), "fuse", why + ": PV cap " + cap + " lifted"));
                pvCaps.remove(pv.id());
                left -= amps;
            }
        }
        return left;
    }

    /**
     * Lowers the connectors on {@code phase} to a common level that frees {@code excessAmps}; a connector
     * that would fall below its minimum is paused instead (smallest first, then by name, so the choice is
     * stable), and the level is found again for the rest.
     */
    private static double cutChargers(Phase phase, double excessAmps, Map<ConnectorRef, ConnectorInfo> infos,
            Map<ConnectorRef, Current> chargers, String why, List<Intervention> notes) {
        if (excessAmps <= EPSILON_AMPS) {
            return excessAmps;
        }
        List<ConnectorRef> onPhase = new ArrayList<>();
        double total = 0;
        for (Map.Entry<ConnectorRef, Current> e : chargers.entrySet()) {
            if (e.getValue().amps() > 0 && infos.get(e.getKey()).phases().contains(phase)) {
                onPhase.add(e.getKey());
                total += e.getValue().amps();
            }
        }
        if (onPhase.isEmpty()) {
            return excessAmps;
        }
        Map<ConnectorRef, Current> before = new LinkedHashMap<>();
        onPhase.forEach(r -> before.put(r, chargers.get(r)));
        double target = Math.max(0, total - excessAmps);
        List<ConnectorRef> running = new ArrayList<>(onPhase);
        running.sort(Comparator.comparingDouble((ConnectorRef r) -> before.get(r).amps()).thenComparing(ConnectorRef::toString));
        while (true) {
            double level = waterLevel(running, before, target);
            Optional<ConnectorRef> tooLow = running.stream()
                    .filter(r -> Math.min(before.get(r).amps(), level) < infos.get(r).minCurrent().amps() - EPSILON_AMPS)
                    .findFirst();
            if (tooLow.isEmpty()) {
                for (ConnectorRef r : onPhase) {
                    double amps = running.contains(r) ? Math.min(before.get(r).amps(), level) : 0;
                    // Round down to 0.1 A: chargers take tenths, and rounding up could cross the limit.
                    amps = Math.floor(amps * 10 + 1e-9) / 10;
                    if (amps > 0 && amps < infos.get(r).minCurrent().amps()) {
                        amps = 0;
                    }
                    chargers.put(r, Current.ofAmps(amps));
                }
                break;
            }
            running.remove(tooLow.get());
        }
        double freed = 0;
        for (ConnectorRef r : onPhase) {
            Current now = chargers.get(r);
            if (!now.equals(before.get(r))) {
                notes.add(new Intervention(r.toString(), "fuse", why + ": " + before.get(r) + " -> " + now));
            }
            freed += before.get(r).amps() - now.amps();
        }
        return excessAmps - freed;
    }

    /** The level L with sum(min(limit_i, L)) = target over {@code running}, or 0 when the target is 0. */
    private static double waterLevel(List<ConnectorRef> running, Map<ConnectorRef, Current> limits, double target) {
        if (running.isEmpty() || target <= 0) {
            return 0;
        }
        double lo = 0;
        double hi = running.stream().mapToDouble(r -> limits.get(r).amps()).max().orElse(0);
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            double sum = 0;
            for (ConnectorRef r : running) {
                sum += Math.min(limits.get(r).amps(), mid);
            }
            if (sum > target) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return lo;
    }

    private static Setpoints build(Map<ConnectorRef, Current> chargers, Map<String, Power> batteries, Map<String, Power> pvCaps) {
        Setpoints.Builder s = Setpoints.builder();
        chargers.forEach(s::chargerLimit);
        batteries.forEach(s::batteryPower);
        pvCaps.forEach(s::pvLimit);
        return s.build();
    }
}
