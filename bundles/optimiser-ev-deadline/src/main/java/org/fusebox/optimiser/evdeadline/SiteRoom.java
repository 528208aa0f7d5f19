package org.fusebox.optimiser.evdeadline;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.PowerSlot;

/**
 * The power the site leaves for EVs in each slot: per phase, the planning limit (fuse less margin) less the
 * uncontrolled net load and the batteries' planned charging; the fullest phase, times the site's phases.
 * A pure function of the snapshot, the proposal and the other optimisers' plans.
 *
 * <p>The load per slot:
 * <ul>
 * <li>the current slot: the uncontrolled load measured now, per phase, as it is (a PV surplus measured now
 * is room now; the fuse optimiser and the SafetyGuard follow it each second);</li>
 * <li>a later slot, where the site load forecast knows it: load forecast less PV forecast (no PV where
 * that says nothing), spread evenly over the phases;</li>
 * <li>a later slot the load forecast says nothing about: the load measured now.</li>
 * </ul>
 * The batteries' planned charging is added, then, in later slots, each phase is taken at zero at least: a
 * forecast or measured PV surplus may cover the load and the battery's charging, but is never counted as
 * room beyond the fuse, since a cloud would take it away while the plan still counts on it. Discharging is
 * never counted as room (it may not happen). Each slot takes its worst moment: an EV holds one power for
 * the whole slot, so it must fit where the forecasts and the battery plan leave the least.
 */
final class SiteRoom {

    /**
     * One slot's power for EVs, and what it would be with less taken into account, so that a shortfall
     * can be put down to the forecast or to the battery.
     *
     * @param capKw           power for EVs, never negative
     * @param measuredKw      with the load measured now alone: no forecast, no battery plan
     * @param beforeBatteryKw with the load used for the slot (measured or forecast), but no battery plan
     */
    record Room(double capKw, double measuredKw, double beforeBatteryKw) {
    }

    /**
     * @param rooms per slot, in the order of the slot bounds given
     * @param notes which forecasts and battery plans were used or ignored, for the plan
     */
    record Result(List<Room> rooms, List<String> notes) {
    }

    /** One battery's planned power, sorted by start so it can be searched. */
    private record BatteryLine(String batteryId, List<PowerSlot> power) {
    }

    private SiteRoom() {
    }

    /**
     * @param measured   the uncontrolled current per phase measured now
     * @param bounds     each slot as {start, end}, in order, the first starting now
     * @param otherPlans the plans of the latest cycle; lines of other optimisers without a connector are
     *                   batteries' plans
     * @param maxAge     a battery plan computed longer ago than this is ignored
     */
    static Result of(SiteSnapshot site, PhaseCurrents measured, List<Instant[]> bounds, Setpoints proposal,
            List<Plan> otherPlans, Duration maxAge, ZoneId zone) {
        Instant now = site.timestamp();
        List<String> notes = new ArrayList<>();
        List<BatteryLine> batteries = batteryLines(otherPlans, now, maxAge, zone, notes);
        PowerForecast load = site.forecast(ForecastKind.SITE_LOAD);
        PowerForecast pv = site.forecast(ForecastKind.PV_PRODUCTION);
        List<PowerSlot> loadSlots = load.slots();
        List<PowerSlot> pvSlots = pv.slots();
        List<Phase> phases = site.limits().phases() == 1 ? List.of(Phase.L1) : List.of(Phase.values());
        double volts = site.limits().nominalVoltage().volts();
        double limit = site.limits().planningLimit().amps();

        List<Room> rooms = new ArrayList<>(bounds.size());
        boolean loadUsed = false;
        boolean pvUsed = false;
        Instant loadMissingFrom = null;
        for (int t = 0; t < bounds.size(); t++) {
            boolean first = t == 0;
            Instant start = bounds.get(t)[0];
            Instant end = bounds.get(t)[1];
            TreeSet<Instant> cuts = new TreeSet<>();
            cuts.add(start);
            if (!first) {
                addCuts(loadSlots, start, end, cuts);
                addCuts(pvSlots, start, end, cuts);
            }
            for (BatteryLine b : batteries) {
                addCuts(b.power(), start, end, cuts);
            }
            double cap = Double.MAX_VALUE;
            double beforeBattery = Double.MAX_VALUE;
            for (Instant at : cuts) {
                double[] base = new double[3];
                Double loadW = first ? null : wattsAt(loadSlots, at);
                if (loadW == null) {
                    for (Phase p : phases) {
                        base[p.ordinal()] = measured.on(p).amps();
                    }
                    if (!first && loadMissingFrom == null) {
                        loadMissingFrom = at;
                    }
                } else {
                    Double pvW = wattsAt(pvSlots, at);
                    loadUsed = true;
                    pvUsed |= pvW != null;
                    double net = Math.max(0, loadW) - (pvW == null ? 0 : Math.max(0, pvW));
                    for (Phase p : phases) {
                        base[p.ordinal()] = net / (volts * phases.size());
                    }
                }
                PhaseCurrents charging = charging(site, batteries, first ? proposal : null, at, phases, volts);
                double least = Double.MAX_VALUE;
                double leastBeforeBattery = Double.MAX_VALUE;
                for (Phase p : phases) {
                    double without = base[p.ordinal()];
                    double with = without + charging.on(p).amps();
                    if (!first) {
                        without = Math.max(0, without);
                        with = Math.max(0, with);
                    }
                    least = Math.min(least, limit - with);
                    leastBeforeBattery = Math.min(leastBeforeBattery, limit - without);
                }
                cap = Math.min(cap, least);
                beforeBattery = Math.min(beforeBattery, leastBeforeBattery);
            }
            double measuredRoom = Double.MAX_VALUE;
            for (Phase p : phases) {
                double amps = measured.on(p).amps();
                measuredRoom = Math.min(measuredRoom, limit - (first ? amps : Math.max(0, amps)));
            }
            double toKw = volts * phases.size() / 1000;
            rooms.add(new Room(Math.max(0, cap) * toKw, Math.max(0, measuredRoom) * toKw, Math.max(0, beforeBattery) * toKw));
        }
        if (bounds.size() > 1) {
            forecastNotes(load, pv, loadUsed, pvUsed, loadMissingFrom, now, zone, notes);
        }
        return new Result(rooms, notes);
    }

    /**
     * The battery lines of plans by other optimisers, each battery once; plans older than {@code maxAge}
     * are left out, and each plan used or left out is noted.
     */
    private static List<BatteryLine> batteryLines(List<Plan> plans, Instant now, Duration maxAge, ZoneId zone,
            List<String> notes) {
        List<BatteryLine> out = new ArrayList<>();
        for (Plan plan : plans) {
            if (plan == null || SitePlanning.NAME.equals(plan.optimiser())) {
                continue;
            }
            List<PlanLine> lines = plan.lines().stream().filter(l -> l.connectorId() == null).toList();
            if (lines.isEmpty()) {
                continue;
            }
            if (plan.computedAt().isBefore(now.minus(maxAge))) {
                notes.add("battery plan of " + plan.optimiser() + " ignored: computed at "
                        + PlanReport.at(plan.computedAt(), now, zone) + ", more than one slot ago");
                continue;
            }
            notes.add("battery plan: " + plan.optimiser() + " (computed at " + PlanReport.at(plan.computedAt(), now, zone) + ")");
            for (PlanLine l : lines) {
                out.add(new BatteryLine(l.deviceId(), l.power().stream().sorted(Comparator.comparing(PowerSlot::start)).toList()));
            }
        }
        if (notes.isEmpty()) {
            notes.add("no battery plan: no battery charging assumed after now");
        }
        return out;
    }

    /**
     * The current the batteries' planned charging draws per phase at {@code at}; with a proposal (the
     * current slot), a charging setpoint an earlier optimiser already made this cycle counts as well.
     */
    private static PhaseCurrents charging(SiteSnapshot site, List<BatteryLine> batteries, Setpoints proposal, Instant at,
            List<Phase> phases, double volts) {
        // Two plans for the same battery are not added up: the larger charging counts.
        Map<String, Double> watts = new LinkedHashMap<>();
        for (BatteryLine b : batteries) {
            Double w = wattsAt(b.power(), at);
            if (w != null && w > 0) {
                watts.merge(b.batteryId(), w, Math::max);
            }
        }
        if (proposal != null) {
            for (BatteryState battery : site.batteries()) {
                proposal.batteryPower(battery.id()).filter(Power::isPositive)
                        .ifPresent(p -> watts.merge(battery.id(), p.watts(), Math::max));
            }
        }
        PhaseCurrents draw = PhaseCurrents.ZERO;
        for (Map.Entry<String, Double> e : watts.entrySet()) {
            Power power = Power.ofWatts(e.getValue());
            // A battery the snapshot does not know is taken as spread over the site's phases.
            draw = draw.plus(site.battery(e.getKey())
                    .map(b -> PhaseBudget.batteryDraw(b.ratings(), power, site.limits().nominalVoltage()))
                    .orElseGet(() -> {
                        PhaseCurrents even = PhaseCurrents.ZERO;
                        for (Phase p : phases) {
                            even = even.with(p, Current.ofAmps(e.getValue() / (volts * phases.size())));
                        }
                        return even;
                    }));
        }
        return draw;
    }

    private static void forecastNotes(PowerForecast load, PowerForecast pv, boolean loadUsed, boolean pvUsed,
            Instant loadMissingFrom, Instant now, ZoneId zone, List<String> notes) {
        if (!loadUsed) {
            notes.add(0, "no site load forecast: the load measured now is assumed for every slot"
                    + (pv.isEmpty() ? "" : " (PV forecast " + pv.source() + " not used without it)"));
            return;
        }
        List<String> out = new ArrayList<>(2);
        out.add("site load forecast: " + load.source() + (loadMissingFrom == null ? ""
                : "; where it says nothing (first at " + PlanReport.at(loadMissingFrom, now, zone) + ") the load measured now is assumed"));
        out.add(pvUsed ? "PV forecast: " + pv.source() : "no PV forecast: no PV counted after the current slot");
        notes.addAll(0, out);
    }

    /** Adds the starts and ends of {@code series} that fall strictly inside {@code (from, to)}. */
    private static void addCuts(List<PowerSlot> series, Instant from, Instant to, TreeSet<Instant> cuts) {
        for (int k = firstEndingAfter(series, from); k < series.size() && series.get(k).start().isBefore(to); k++) {
            PowerSlot s = series.get(k);
            if (s.start().isAfter(from)) {
                cuts.add(s.start());
            }
            if (s.end().isBefore(to)) {
                cuts.add(s.end());
            }
        }
    }

    /** The power of the slot of {@code series} holding {@code at}, or {@code null} when none does. */
    private static Double wattsAt(List<PowerSlot> series, Instant at) {
        int k = firstEndingAfter(series, at);
        return k < series.size() && series.get(k).contains(at) ? series.get(k).power().watts() : null;
    }

    /** Index of the first slot ending after {@code t} (series sorted by start, not overlapping). */
    private static int firstEndingAfter(List<PowerSlot> series, Instant t) {
        int lo = 0;
        int hi = series.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (series.get(mid).end().isAfter(t)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
