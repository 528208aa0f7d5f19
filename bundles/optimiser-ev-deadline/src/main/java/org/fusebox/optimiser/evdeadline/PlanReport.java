package org.fusebox.optimiser.evdeadline;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.PowerSlot;

/**
 * Turns the planner's flows into the {@link Plan} the site API shows. Linear in EVs x slots; runs of equal
 * power are merged into one {@link PowerSlot} so a 48 h plan stays small.
 */
final class PlanReport {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DAY_AND_CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private PlanReport() {
    }

    /**
     * @param firstSlotKw per EV, the power of the current slot as actually sent (the limit rounded down to
     *                    0.1 A), so that the plan's first slot matches the setpoint
     */
    static Plan of(String optimiser, Instant now, SitePlanning.Problem p, ChargePlan plan, double[] firstSlotKw, ZoneId zone) {
        List<Slot> slots = p.slots();
        List<PlanLine> lines = new ArrayList<>(p.evs().size());
        List<String> notes = new ArrayList<>();
        Money total = null;
        boolean costKnown = true;
        int missed = 0;
        for (int i = 0; i < p.evs().size(); i++) {
            EvDemand ev = p.evs().get(i);
            ConnectorRef ref = p.connectors().get(i);
            List<PowerSlot> power = new ArrayList<>();
            double plannedKwh = 0;
            Money cost = Money.zero(p.prices().get(0).currency());
            boolean lineCostKnown = true;
            Instant runStart = null;
            double runKw = 0;
            for (int t = 0; t < slots.size(); t++) {
                Slot s = slots.get(t);
                double kw = t == 0 ? firstSlotKw[i] : plan.kw(i, t);
                double kwh = kw * s.hours();
                plannedKwh += kwh;
                if (kwh > 0 && lineCostKnown) {
                    EnergyPrice price = p.prices().get(t);
                    if (price.currency().equals(cost.currency())) {
                        cost = cost.plus(price.costOf(Energy.ofKilowattHours(kwh)));
                    } else {
                        lineCostKnown = false;
                    }
                }
                if (runStart == null) {
                    runStart = s.start();
                    runKw = kw;
                } else if (kw != runKw) {
                    power.add(new PowerSlot(runStart, Duration.between(runStart, s.start()), Power.ofKilowatts(runKw)));
                    runStart = s.start();
                    runKw = kw;
                }
            }
            power.add(new PowerSlot(runStart, Duration.between(runStart, slots.get(slots.size() - 1).end()), Power.ofKilowatts(runKw)));

            SitePlanning.Target target = p.targets().get(i);
            // The planner's own figure decides: the first slot's rounding down is made up by the next cycle.
            boolean met = ev.energyKwh() - plan.deliveredKwh(i) <= ChargePlan.TOLERANCE_KWH;
            String note = met ? assumptions(target, ev) : shortfallNote(p, i, plannedKwh, now, zone);
            if (!met) {
                missed++;
            }
            Money lineCost = lineCostKnown ? cost : null;
            lines.add(new PlanLine(ref.chargerId(), ref.connectorId(), power, Energy.ofKilowattHours(plannedKwh),
                    Energy.ofKilowattHours(ev.energyKwh()), target.departure(), lineCost, met, note));
            if (lineCost == null) {
                costKnown = false;
            } else if (costKnown) {
                total = total == null ? lineCost : total.plus(lineCost);
            }
        }
        if (!costKnown) {
            total = null;
            notes.add("prices in more than one currency: no expected cost");
        }
        if (missed > 0) {
            notes.add(missed + " of " + p.evs().size() + " EVs will miss their target");
        }
        notes.add("prices known until " + at(slots.get(slots.size() - 1).end(), now, zone));
        notes.addAll(p.sourceNotes());
        return new Plan(optimiser, now, lines, total, notes);
    }

    private static String assumptions(SitePlanning.Target target, EvDemand ev) {
        if (target.energyAssumed() && target.departureAssumed()) {
            return "energy and departure assumed (the session does not say)";
        }
        if (target.energyAssumed()) {
            return "energy assumed (the session does not say)";
        }
        return target.departureAssumed() ? "departure assumed (the session does not say)" : "";
    }

    /** "needs X kWh, can get Y by HH:MM because ...", with the first reason that explains the gap. */
    static String shortfallNote(SitePlanning.Problem p, int i, double plannedKwh, Instant now, ZoneId zone) {
        EvDemand ev = p.evs().get(i);
        SitePlanning.Target target = p.targets().get(i);
        List<Slot> slots = p.slots();
        // What the EV could get alone: with the room as planned, without the battery plan, with the load
        // measured now only. The first that would have been enough names what took the room.
        double alone = 0;
        double aloneBeforeBattery = 0;
        double aloneMeasured = 0;
        double leastCap = Double.MAX_VALUE;
        double mostCap = 0;
        int firstShort = -1;
        for (int t = 0; t < slots.size(); t++) {
            Slot s = slots.get(t);
            if (!ev.canUse(s)) {
                continue;
            }
            SiteRoom.Room room = p.rooms().get(t);
            alone += Math.min(ev.maxKw(), room.capKw()) * s.hours();
            aloneBeforeBattery += Math.min(ev.maxKw(), room.beforeBatteryKw()) * s.hours();
            aloneMeasured += Math.min(ev.maxKw(), room.measuredKw()) * s.hours();
            leastCap = Math.min(leastCap, room.capKw());
            mostCap = Math.max(mostCap, room.capKw());
            if (firstShort < 0 && room.capKw() < ev.maxKw()) {
                firstShort = t;
            }
        }
        double need = ev.energyKwh() - ChargePlan.TOLERANCE_KWH;
        Instant lastPrice = slots.get(slots.size() - 1).end();
        String because;
        if (!target.departure().isAfter(now)) {
            because = "it is past its departure; it charges at once";
        } else if (alone < need) {
            if (ev.departure().isAfter(lastPrice)) {
                because = "prices are known only until " + at(lastPrice, now, zone);
            } else if (firstShort >= 0) {
                String taken = aloneBeforeBattery >= need ? batteryClause(p, ev, now, zone)
                        : aloneMeasured >= need ? forecastClause(p, ev, now, zone) : null;
                because = taken != null ? taken
                        : String.format(Locale.ROOT, "the site has only %.1f kW for EVs", p.rooms().get(firstShort).capKw())
                                + (firstShort == 0 ? "" : " from " + at(slots.get(firstShort).start(), now, zone));
            } else {
                because = String.format(Locale.ROOT, "it can draw at most %.1f kW", ev.maxKw());
            }
        } else if (p.evs().size() > 1) {
            String others = String.format(Locale.ROOT, "%d other EV%s", p.evs().size() - 1, p.evs().size() == 2 ? "" : "s");
            because = Math.abs(mostCap - leastCap) < 0.05
                    ? String.format(Locale.ROOT, "the site's %.1f kW for EVs is shared with %s", leastCap, others)
                    : String.format(Locale.ROOT, "the site's %.1f to %.1f kW for EVs are shared with %s", leastCap, mostCap, others);
            // Say so when the forecast or the battery took room the EVs would otherwise have had.
            String taken = forecastClause(p, ev, now, zone);
            if (taken == null) {
                taken = batteryClause(p, ev, now, zone);
            }
            because += taken == null ? "" : ", and " + taken;
        } else {
            because = "it must charge at its minimum current or not at all";
        }
        return String.format(Locale.ROOT, "needs %.1f kWh, can get %.1f by %s because %s", ev.energyKwh(), plannedKwh,
                at(target.departure(), now, zone), because);
    }

    /** "the battery's planned charging leaves X kW for EVs from HH:MM" at the first slot it cuts, or null. */
    private static String batteryClause(SitePlanning.Problem p, EvDemand ev, Instant now, ZoneId zone) {
        for (int t = 0; t < p.slots().size(); t++) {
            SiteRoom.Room room = p.rooms().get(t);
            if (ev.canUse(p.slots().get(t)) && Math.min(ev.maxKw(), room.capKw()) < Math.min(ev.maxKw(), room.beforeBatteryKw()) - 1e-9) {
                return String.format(Locale.ROOT, "the battery's planned charging leaves %.1f kW for EVs from %s", room.capKw(),
                        at(p.slots().get(t).start(), now, zone));
            }
        }
        return null;
    }

    /** "the site load forecast leaves X kW for EVs from HH:MM" at the first slot it cuts, or null. */
    private static String forecastClause(SitePlanning.Problem p, EvDemand ev, Instant now, ZoneId zone) {
        for (int t = 0; t < p.slots().size(); t++) {
            SiteRoom.Room room = p.rooms().get(t);
            if (ev.canUse(p.slots().get(t)) && Math.min(ev.maxKw(), room.beforeBatteryKw()) < Math.min(ev.maxKw(), room.measuredKw()) - 1e-9) {
                return String.format(Locale.ROOT, "the site load forecast leaves %.1f kW for EVs from %s", room.beforeBatteryKw(),
                        at(p.slots().get(t).start(), now, zone));
            }
        }
        return null;
    }

    /** A clock time, with the date when it is not today. */
    static String at(Instant t, Instant now, ZoneId zone) {
        boolean today = LocalDate.ofInstant(t, zone).equals(LocalDate.ofInstant(now, zone));
        return (today ? CLOCK : DAY_AND_CLOCK).withZone(zone).format(t);
    }
}
