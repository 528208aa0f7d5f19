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
 * margin, or the grid side's import limit if that is lower ({@link SiteLimits#planningLimit()}), unless the
 * uncontrolled load alone exceeds it, in which case nothing controllable adds to it (chargers paused,
 * batteries not charging, no PV curtailment);</li>
 * <li>when the grid side limits the export, the current each phase would send out within that limit
 * ({@link SiteLimits#exportPlanningLimit()}): battery discharge is lessened, then PV capped, never so far that
 * a phase goes over its import limit; what no controllable device can fix (PV that takes no cap) is reported.</li>
 * </ul>
 * The guard only ever cuts: it never raises a charging current or starts a discharge on its own. The import
 * limit comes first: the export is fixed within the room the import leaves.
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

        PhaseCurrents kept = positive(reserve);
        enforceFuse(site, infos, chargers, batteries, pvCaps, kept, notes);
        enforceExport(site, chargers, batteries, pvCaps, kept, notes);
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
            String why = String.format(Locale.ROOT, "%s planned %.1f A over the %s %.1f A", worst, planned.on(worst).amps(),
                    site.limits().gridLimitsImport() ? "grid import limit" : "limit", limit.amps());
            double left = cutBatteries(site, worst, worstExcess, batteries, why, notes);
            left = releaseCurtailment(site, left, exportRoom(site, exportPlanned(site, build(chargers, batteries, pvCaps))), pvCaps, why, notes);
            left = cutChargers(worst, left, infos, chargers, why, notes);
            // the import limit comes before the export limit: what is still over frees PV beyond the export room
            left = releaseCurtailment(site, left, Double.POSITIVE_INFINITY, pvCaps, why, notes);
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

    /**
     * Raises PV caps below what the panels make now, by no more than the excess and, under an export limit, no
     * more than {@code exportRoomAmps}: freeing import must not push the site over its export limit.
     */
    private static double releaseCurtailment(SiteSnapshot site, double excessAmps, double exportRoomAmps, Map<String, Power> pvCaps,
            String why, List<Intervention> notes) {
        double left = excessAmps;
        double room = exportRoomAmps;
        for (PvState pv : site.pv()) {
            Power cap = pvCaps.get(pv.id());
            if (left <= EPSILON_AMPS || room <= EPSILON_AMPS) {
                break;
            }
            if (cap != null && pv.reading() != null && cap.compareTo(pv.reading().power()) < 0) {
                double wattsPerAmp = site.limits().nominalVoltage().volts() * site.limits().phases();
                double lostAmps = pv.reading().power().minus(cap).watts() / wattsPerAmp;
                double amps = Math.min(lostAmps, Math.min(left, room));
                if (amps >= lostAmps - EPSILON_AMPS) {
                    notes.add(new Intervention(pv.id(), "fuse", why + ": PV cap " + cap + " lifted"));
                    pvCaps.remove(pv.id());
                } else {
                    Power raised = cap.plus(Power.ofWatts(amps * wattsPerAmp));
                    notes.add(new Intervention(pv.id(), "fuse", why + ": PV cap " + cap + " -> " + raised));
                    pvCaps.put(pv.id(), raised);
                }
                left -= amps;
                room -= amps;
            }
        }
        return left;
    }

    /** How much more current each phase may send out before the export limit, the least over the phases; unbounded without one. */
    private static double exportRoom(SiteSnapshot site, PhaseCurrents planned) {
        Optional<Current> cap = site.limits().exportPlanningLimit();
        if (cap.isEmpty()) {
            return Double.POSITIVE_INFINITY;
        }
        double room = Double.POSITIVE_INFINITY;
        for (Phase p : phasesOf(site)) {
            room = Math.min(room, planned.on(p).amps() + cap.get().amps());
        }
        return Math.max(0, room);
    }

    /**
     * Keeps the current each phase sends out within the export limit: lessens battery discharge, then caps PV,
     * each by no more than the import room of the phases it feeds (the import limit with the reserve stays
     * first). The chargers are not touched: the guard never raises a current.
     */
    private static void enforceExport(SiteSnapshot site, Map<ConnectorRef, Current> chargers, Map<String, Power> batteries,
            Map<String, Power> pvCaps, PhaseCurrents reserve, List<Intervention> notes) {
        Optional<Current> cap = site.limits().exportPlanningLimit();
        if (cap.isEmpty()) {
            return;
        }
        double floor = -cap.get().amps();
        double importLimit = site.limits().planningLimit().amps();
        java.util.Set<Phase> beyondControl = java.util.EnumSet.noneOf(Phase.class);
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            Setpoints now = build(chargers, batteries, pvCaps);
            PhaseCurrents planned = exportPlanned(site, now);
            Phase worst = null;
            double worstExcess = EPSILON_AMPS;
            for (Phase p : phasesOf(site)) {
                double excess = floor - planned.on(p).amps();
                if (!beyondControl.contains(p) && excess > worstExcess) {
                    worst = p;
                    worstExcess = excess;
                }
            }
            if (worst == null) {
                return;
            }
            PhaseCurrents withReserve = PhaseBudget.planned(site, now).orElseThrow().plus(pvCurtailmentDraw(site, pvCaps)).plus(reserve);
            String why = String.format(Locale.ROOT, "%s planned to export %.1f A, over the grid export limit %.1f A", worst,
                    -planned.on(worst).amps(), -floor);
            double left = lessenDischarge(site, worst, worstExcess, batteries, withReserve, importLimit, why, notes);
            PhaseCurrents afterBatteries = PhaseBudget.planned(site, build(chargers, batteries, pvCaps)).orElseThrow()
                    .plus(pvCurtailmentDraw(site, pvCaps)).plus(reserve);
            left = capPv(site, left, pvCaps, afterBatteries, importLimit, why, notes);
            if (left > EPSILON_AMPS) {
                notes.add(new Intervention("site", "export", why + ": nothing controllable can lower it further"
                        + " (batteries not discharging, PV capped as far as the import limit allows)"));
                beyondControl.add(worst);
            }
        }
    }

    /**
     * The current each phase would carry if {@code setpoints} were applied, counted the other way round from
     * {@link PhaseBudget#planned}, so that the export is never underestimated: a connector at the lower of its
     * limit and what it is believed to draw now (an EV may not take what it is offered), battery discharge at its
     * setpoint in full, battery charging only up to what is measured now, PV caps below the output as the output
     * they take away. PV that is not capped is counted at its output now; a rise within one cycle is what the
     * margin is for. Empty setpoints count as measured. Fails without a fresh grid reading.
     */
    static PhaseCurrents exportPlanned(SiteSnapshot site, Setpoints setpoints) {
        PhaseCurrents total = PhaseBudget.uncontrolled(site).orElseThrow();
        for (ChargerState charger : site.chargers()) {
            for (ConnectorInfo info : charger.connectors()) {
                PhaseCurrents measured = charger.connectorReading(info.connectorId())
                        .map(c -> PhaseBudget.measuredDraw(site.limits(), charger, c)).orElse(PhaseCurrents.ZERO);
                Optional<Current> limit = setpoints.chargerLimit(new ConnectorRef(charger.id(), info.connectorId()));
                if (limit.isEmpty()) {
                    total = total.plus(measured);
                    continue;
                }
                PhaseCurrents offered = PhaseBudget.connectorDraw(info, limit.get());
                for (Phase p : Phase.values()) {
                    total = total.with(p, total.on(p).plus(Current.ofAmps(Math.max(0, Math.min(offered.on(p).amps(), measured.on(p).amps())))));
                }
            }
        }
        for (BatteryState b : site.batteries()) {
            Power measured = b.reading() == null ? Power.ZERO : b.reading().power();
            Power asked = setpoints.batteryPower(b.id()).orElse(measured);
            // the charging of a stale battery is not believed (PhaseBudget.measuredBatteryDraw): it stays in the uncontrolled load
            Power believed = measured.isPositive() && !b.status().stale() ? measured : Power.ZERO;
            Power counted = asked.isPositive() ? asked.min(believed) : asked;
            total = total.plus(PhaseBudget.batteryDraw(b.ratings(), counted, site.limits().nominalVoltage()));
        }
        Map<String, Power> caps = new LinkedHashMap<>();
        for (PvState pv : site.pv()) {
            setpoints.pvLimit(pv.id()).ifPresent(c -> caps.put(pv.id(), c));
        }
        return total.plus(pvCurtailmentDraw(site, caps));
    }

    /** The least room below the import limit over {@code phases}. */
    private static double importRoom(PhaseCurrents planned, double importLimit, List<Phase> phases) {
        double room = Double.POSITIVE_INFINITY;
        for (Phase p : phases) {
            room = Math.min(room, importLimit - planned.on(p).amps());
        }
        return Math.max(0, room);
    }

    private static double lessenDischarge(SiteSnapshot site, Phase phase, double excessAmps, Map<String, Power> batteries,
            PhaseCurrents planned, double importLimit, String why, List<Intervention> notes) {
        double left = excessAmps;
        for (BatteryState b : site.batteries()) {
            Power p = batteries.get(b.id());
            boolean single = b.ratings().phases() == 1;
            if (left <= EPSILON_AMPS || !p.isNegative() || (single && phase != Phase.L1)) {
                continue;
            }
            double wattsPerAmp = site.limits().nominalVoltage().volts() * b.ratings().phases();
            // the import count credits discharge only up to what is measured: lessening the rest costs no import room
            double free = Math.max(0, PhaseBudget.creditedBatteryPower(p, b.reading()).watts() - p.watts()) / wattsPerAmp;
            double room = importRoom(planned, importLimit, single ? List.of(Phase.L1) : phasesOf(site));
            double amps = Math.min(-p.watts() / wattsPerAmp, Math.min(left, free + room));
            if (amps <= EPSILON_AMPS) {
                continue;
            }
            Power lessened = Power.ofWatts(Math.min(0, p.watts() + amps * wattsPerAmp));
            notes.add(new Intervention(b.id(), "export", why + ": discharging " + p + " -> " + lessened));
            batteries.put(b.id(), lessened.watts() == 0 ? Power.ZERO : lessened);
            Current added = Current.ofAmps(Math.max(0, amps - free));
            planned = planned.plus(single ? PhaseCurrents.ZERO.with(Phase.L1, added) : PhaseCurrents.uniform(added));
            left -= amps;
        }
        return left;
    }

    private static double capPv(SiteSnapshot site, double excessAmps, Map<String, Power> pvCaps, PhaseCurrents planned,
            double importLimit, String why, List<Intervention> notes) {
        double left = excessAmps;
        double wattsPerAmp = site.limits().nominalVoltage().volts() * site.limits().phases();
        for (PvState pv : site.pv()) {
            if (left <= EPSILON_AMPS || pv.reading() == null) {
                continue;
            }
            Power making = pv.reading().power();
            Power cap = pvCaps.get(pv.id());
            Power output = cap == null ? making : making.min(cap);
            double room = importRoom(planned, importLimit, phasesOf(site));
            double amps = Math.min(Math.max(0, output.watts()) / wattsPerAmp, Math.min(left, room));
            if (amps <= EPSILON_AMPS) {
                continue;
            }
            Power capped = Power.ofWatts(Math.max(0, output.watts() - amps * wattsPerAmp));
            notes.add(new Intervention(pv.id(), "export", why + ": PV " + (cap == null ? "uncapped" : "cap " + cap) + " -> " + capped));
            pvCaps.put(pv.id(), capped);
            planned = planned.plus(PhaseCurrents.uniform(Current.ofAmps(amps)));
            left -= amps;
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
