package org.fusebox.optimiser.evdeadline;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.PhaseCurrents;

/**
 * Turns a snapshot into a planning problem, and the plan's first slot into charger limits. A pure
 * function of the snapshot, the proposal, the other optimisers' plans of the latest cycle and the settings.
 */
final class SitePlanning {

    /**
     * The problem for one snapshot: the connectors, phases and targets in the same order as the EVs, the
     * price and the site's room for EVs of each slot, and which forecasts and battery plans made the room.
     */
    record Problem(List<Slot> slots, List<EnergyPrice> prices, List<EvDemand> evs, List<ConnectorRef> connectors,
            List<Integer> phases, List<Target> targets, List<SiteRoom.Room> rooms, List<String> sourceNotes) {
    }

    /** What the session asked for, before the planner adjusted it, for the plan's notes. */
    record Target(Instant departure, boolean departureAssumed, boolean energyAssumed) {
    }

    /** The setpoints and the plan behind them; the plan is empty only when the snapshot cannot be read. */
    record Outcome(Setpoints setpoints, Plan plan) {
    }

    /** Slots with the price object of each, so costs are summed exactly. */
    private record PricedSlots(List<Slot> slots, List<EnergyPrice> prices) {
    }

    /** How far ahead to plan at most. */
    static final Duration HORIZON = Duration.ofHours(48);

    static final String NAME = "ev-deadline";

    private final DeadlinePlanner planner = new DeadlinePlanner();

    Setpoints optimise(SiteSnapshot site, Setpoints proposal, EvDeadlineSettings settings) {
        return plan(site, proposal, settings, ZoneOffset.UTC).setpoints();
    }

    /** As {@link #plan(SiteSnapshot, Setpoints, EvDeadlineSettings, ZoneId, List)} without other plans. */
    Outcome plan(SiteSnapshot site, Setpoints proposal, EvDeadlineSettings settings, ZoneId zone) {
        return plan(site, proposal, settings, zone, List.of());
    }

    /**
     * The setpoints for now and the plan behind them. Without a price for now, a grid reading or an EV that
     * wants current, the proposal is kept and the plan has no lines, only a note saying why.
     *
     * @param zone       the zone the plan's notes give clock times in
     * @param otherPlans the plans of the latest cycle; the batteries' lines among them are taken as given
     */
    Outcome plan(SiteSnapshot site, Setpoints proposal, EvDeadlineSettings settings, ZoneId zone, List<Plan> otherPlans) {
        return plan(site, proposal, settings, zone, otherPlans, List.of());
    }

    /**
     * As {@link #plan(SiteSnapshot, Setpoints, EvDeadlineSettings, ZoneId, List)}, keeping room for the
     * {@code expected} arrivals (see {@link DeadlinePlanner#plan(List, List, List)}).
     */
    Outcome plan(SiteSnapshot site, Setpoints proposal, EvDeadlineSettings settings, ZoneId zone, List<Plan> otherPlans,
            List<ExpectedArrival> expected) {
        List<String> why = new ArrayList<>(1);
        Optional<Problem> problem = problem(site, proposal, settings, otherPlans, zone, why);
        if (problem.isEmpty()) {
            return new Outcome(proposal, new Plan(NAME, site.timestamp(), List.of(), null, why));
        }
        Problem p = problem.get();
        Instant lastPrice = p.slots().get(p.slots().size() - 1).end();
        expected = expected.stream().filter(e -> e.arrival().isBefore(lastPrice)).toList(); // no room to keep after that
        DeadlinePlanner.Reserved reserved = planner.plan(p.slots(), p.evs(), expected);
        // The first slot of the plan (maybe cut short at an expected arrival) is what to draw now.
        ChargePlan now = reserved.plan();
        ChargePlan plan = DeadlinePlanner.merged(now, p.slots());
        double volts = site.limits().nominalVoltage().volts();
        Setpoints.Builder out = Setpoints.builder();
        double[] firstSlotKw = new double[p.evs().size()];
        for (int i = 0; i < p.evs().size(); i++) {
            int n = p.phases().get(i);
            double amps = now.kw(i, 0) * 1000 / (volts * n);
            // Down to 0.1 A: never ask for more than planned; the next cycle re-plans what is left.
            double sent = Math.floor(amps * 10 + 1e-6) / 10;
            out.chargerLimit(p.connectors().get(i), Current.ofAmps(sent));
            firstSlotKw[i] = sent * volts * n / 1000;
        }
        Plan report = PlanReport.of(NAME, site.timestamp(), p, plan, firstSlotKw, zone);
        if (!expected.isEmpty()) {
            List<String> notes = new ArrayList<>(report.notes());
            double kept = reserved.reservedKwh();
            double wanted = expected.stream().mapToDouble(ExpectedArrival::energyKwh).sum();
            notes.add(String.format(Locale.ROOT, "room kept for %d expected arrivals: %.1f of the %.1f kWh they are expected to want",
                    expected.size(), kept, wanted));
            report = new Plan(report.optimiser(), report.computedAt(), report.lines(), report.expectedCost(), notes);
        }
        return new Outcome(proposal.overriddenBy(out.build()), report);
    }

    /** Empty when there is nothing to plan: no price for now, no grid reading, or no EV that wants current. */
    Optional<Problem> problem(SiteSnapshot site, Setpoints proposal, EvDeadlineSettings settings, List<Plan> otherPlans) {
        return problem(site, proposal, settings, otherPlans, ZoneOffset.UTC, new ArrayList<>(1));
    }

    private Optional<Problem> problem(SiteSnapshot site, Setpoints proposal, EvDeadlineSettings settings, List<Plan> otherPlans,
            ZoneId zone, List<String> why) {
        Instant now = site.timestamp();
        Optional<PhaseCurrents> uncontrolled = PhaseBudget.uncontrolled(site);
        if (uncontrolled.isEmpty()) {
            why.add("no fresh grid reading: nothing planned, the proposal is kept");
            return Optional.empty();
        }
        // The slots' times and prices first; their room depends on when they are.
        PricedSlots timed = pricedSlots(site.prices(), now, settings.slotLength(), 0);
        if (timed.slots().isEmpty()) {
            why.add("no price known for now: nothing planned, the proposal is kept");
            return Optional.empty();
        }
        List<Instant[]> bounds = timed.slots().stream().map(s -> new Instant[] { s.start(), s.end() }).toList();
        // A battery plan older than one slot may belong to a slot that is over.
        SiteRoom.Result room = SiteRoom.of(site, uncontrolled.get(), bounds, proposal, otherPlans, settings.slotLength(), zone);
        List<Slot> slots = new ArrayList<>(bounds.size());
        for (int t = 0; t < bounds.size(); t++) {
            Slot s = timed.slots().get(t);
            slots.add(new Slot(s.start(), s.length(), s.pricePerKwh(), room.rooms().get(t).capKw()));
        }
        double volts = site.limits().nominalVoltage().volts();
        List<EvDemand> evs = new ArrayList<>();
        List<ConnectorRef> refs = new ArrayList<>();
        List<Integer> phases = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        for (ChargerState charger : site.chargers()) {
            if (!charger.status().isOnline()) {
                continue;
            }
            for (ConnectorInfo info : charger.connectors()) {
                Optional<ConnectorReading> reading = charger.connectorReading(info.connectorId());
                if (reading.isEmpty() || !reading.get().state().wantsCurrent()) {
                    continue;
                }
                ConnectorRef ref = new ConnectorRef(charger.id(), info.connectorId());
                int n = info.phases().size();
                double maxAmps = Math.min(info.maxCurrent().amps(), proposal.chargerLimit(ref).orElse(info.maxCurrent()).amps());
                if (maxAmps < info.minCurrent().amps() || maxAmps <= 0) {
                    continue; // held off by someone else; leave it to them
                }
                EvSession session = reading.get().session();
                Instant wantedBy = departure(session, now, settings);
                // An EV past its departure but still plugged in charges as soon as possible.
                Instant departure = wantedBy.isBefore(slots.get(0).end()) ? slots.get(0).end() : wantedBy;
                evs.add(new EvDemand(ref.toString(), energyKwh(session, settings), departure, maxAmps * volts * n / 1000,
                        info.minCurrent().amps() * volts * n / 1000));
                refs.add(ref);
                phases.add(n);
                targets.add(new Target(wantedBy, session == null || session.departure() == null,
                        session == null || session.remaining() == null));
            }
        }
        if (evs.isEmpty()) {
            why.add("no EV wants current");
            return Optional.empty();
        }
        return Optional.of(new Problem(slots, timed.prices(), evs, refs, phases, targets, room.rooms(), room.notes()));
    }

    /**
     * Slots of {@code length} aligned to the clock, the first from now to the next boundary, while prices
     * last and at most {@link #HORIZON} ahead (a feed may hold a whole year).
     */
    static List<Slot> slots(PriceCurve prices, Instant now, Duration length, double capKw) {
        return pricedSlots(prices, now, length, capKw).slots();
    }

    private static PricedSlots pricedSlots(PriceCurve prices, Instant now, Duration length, double capKw) {
        Instant horizon = now.plus(HORIZON);
        List<PriceSlot> ahead = prices.slots().stream()
                .filter(s -> s.end().isAfter(now) && s.start().isBefore(horizon)).toList();
        List<Slot> out = new ArrayList<>();
        List<EnergyPrice> priceOf = new ArrayList<>();
        long step = length.toMillis();
        Instant start = now;
        Instant end = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), step) * step + step);
        int k = 0;
        while (start.isBefore(horizon)) {
            while (k < ahead.size() && !ahead.get(k).end().isAfter(start)) {
                k++;
            }
            if (k == ahead.size() || !ahead.get(k).contains(start)) {
                return new PricedSlots(out, priceOf); // a gap in the prices ends the horizon
            }
            out.add(new Slot(start, Duration.between(start, end), ahead.get(k).price().perKilowattHour(), capKw));
            priceOf.add(ahead.get(k).price());
            start = end;
            end = end.plus(length);
        }
        return new PricedSlots(out, priceOf);
    }

    static Instant departure(EvSession session, Instant now, EvDeadlineSettings settings) {
        if (session != null && session.departure() != null) {
            return session.departure();
        }
        Instant plugged = session != null ? session.startedAt() : now;
        return plugged.plus(settings.defaultDeparture());
    }

    static double energyKwh(EvSession session, EvDeadlineSettings settings) {
        if (session == null) {
            return settings.defaultEnergyKwh();
        }
        if (session.remaining() != null) {
            return session.remaining().kilowattHours();
        }
        return Math.max(0, settings.defaultEnergyKwh() - session.delivered().kilowattHours());
    }
}
