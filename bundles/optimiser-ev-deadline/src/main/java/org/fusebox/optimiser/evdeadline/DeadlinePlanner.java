package org.fusebox.optimiser.evdeadline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Plans EV charging over price slots: every EV's energy by its departure, at least cost, under the site's
 * per-slot cap and each EV's maximum; when that is impossible, as much energy as possible, then at least
 * cost. See ADR 0006 for why a min-cost flow and not a greedy.
 *
 * <p>Network: source → EV (capacity: energy needed) → slot (capacity: max power x slot hours, only slots
 * that end by the departure; cost: price) → sink (capacity: cap x slot hours). A minimum-cost maximum
 * flow is an optimal plan of the relaxed problem (no minimum power). {@link MinPowerRounding} then makes
 * each EV's power either 0 or at least its minimum.
 */
final class DeadlinePlanner {

    /**
     * Added per kWh and slot index so that among equal prices the earlier slot wins: energy already in the
     * EV is safe if the driver leaves early. Far below any real price step.
     */
    private static final double EARLIER_IS_BETTER = 1e-7;

    /**
     * A plan for the EVs plugged in that keeps room for EVs expected later.
     *
     * @param plan       the plan of the EVs plugged in (the expected ones are not in it)
     * @param reservedKw per slot, the power kept for the expected arrivals
     * @param keptKwh    per expected arrival, the energy room was kept for
     */
    record Reserved(ChargePlan plan, double[] reservedKw, double[] keptKwh) {

        double reservedKwh() {
            double e = 0;
            for (int t = 0; t < reservedKw.length; t++) {
                e += reservedKw[t] * plan.slots().get(t).hours();
            }
            return e;
        }
    }

    /**
     * Plans the EVs plugged in and keeps room for {@code expected} ones, in this order of priority (each
     * class gets as much energy as it can before the next gets any; the cost is minimised last):
     * <ol>
     * <li>the EVs plugged in that the plan without the reserve serves in full: they are served in full;</li>
     * <li>the other EVs plugged in: together as much as without the reserve;</li>
     * <li>the expected arrivals that charging on arrival (from now, the EVs plugged in first) would serve;</li>
     * <li>the other expected arrivals.</li>
     * </ol>
     * Room kept for an expected arrival is only room no EV plugged in needs for its energy: the reserve moves
     * their charging to other slots, at a higher cost when it must, but never takes energy from them.
     * See ADR 0022 for what this guarantees and what it does not.
     */
    Reserved plan(List<Slot> given, List<EvDemand> evs, List<ExpectedArrival> expected) {
        int k = expected.size();
        if (k == 0 || evs.isEmpty() || given.isEmpty()) {
            return new Reserved(plan(given, evs), new double[given.size()], new double[k]);
        }
        // An EV holds one power for a whole slot, so room kept from an arrival on is only there if the slot is
        // cut at the arrival: the EVs plugged in may then draw more before it than after.
        List<Slot> slots = splitAt(given, expected.stream().map(ExpectedArrival::arrival).toList());
        int n = evs.size();
        int m = slots.size();
        // Who the plan without the reserve serves in full, over the slots as given: those are served in full.
        double[][] alone = relaxed(given, evs);
        boolean[] servedAlone = new boolean[n];
        for (int i = 0; i < n; i++) {
            double got = 0;
            for (int t = 0; t < given.size(); t++) {
                got += alone[i][t] * given.get(t).hours();
            }
            servedAlone[i] = got >= evs.get(i).energyKwh() - ChargePlan.TOLERANCE_KWH;
        }
        boolean[] servedOnArrival = onArrivalServes(slots, evs, expected);
        double lowest = slots.stream().mapToDouble(Slot::pricePerKwh).min().orElse(0);
        double highest = slots.stream().mapToDouble(Slot::pricePerKwh).max().orElse(0);
        // Moving a kWh between two EVs changes the energy cost by less than this, so one step of priority
        // outweighs any saving: the classes are served in order, then the cost is minimised.
        double step = 2 * (highest - lowest + EARLIER_IS_BETTER * m) + 1;
        int source = 0;
        int sink = 1;
        MinCostFlow flow = new MinCostFlow(2 + n + k + m);
        int slot0 = 2 + n + k;
        int[][] arc = new int[n][m];
        for (int i = 0; i < n; i++) {
            EvDemand ev = evs.get(i);
            flow.addEdge(source, 2 + i, ev.energyKwh(), servedAlone[i] ? 0 : step);
            for (int t = 0; t < m; t++) {
                Slot s = slots.get(t);
                arc[i][t] = ev.canUse(s)
                        ? flow.addEdge(2 + i, slot0 + t, ev.maxKw() * s.hours(), s.pricePerKwh() - lowest + EARLIER_IS_BETTER * t)
                        : -1;
            }
        }
        int[][] kept = new int[k][m];
        for (int j = 0; j < k; j++) {
            ExpectedArrival e = expected.get(j);
            flow.addEdge(source, 2 + n + j, e.energyKwh(), (servedOnArrival[j] ? 2 : 3) * step);
            for (int t = 0; t < m; t++) {
                Slot s = slots.get(t);
                double hours = e.hoursIn(s);
                kept[j][t] = hours > 0
                        ? flow.addEdge(2 + n + j, slot0 + t, e.maxKw() * hours, s.pricePerKwh() - lowest + EARLIER_IS_BETTER * t)
                        : -1;
            }
        }
        for (int t = 0; t < m; t++) {
            flow.addEdge(slot0 + t, sink, Math.max(0, slots.get(t).capKw()) * slots.get(t).hours(), 0);
        }
        flow.solve(source, sink);
        double[][] kw = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < m; t++) {
                kw[i][t] = arc[i][t] < 0 ? 0 : Math.max(0, flow.flow(arc[i][t])) / slots.get(t).hours();
            }
        }
        double[] reservedKw = new double[m];
        double[] keptKwh = new double[k];
        for (int j = 0; j < k; j++) {
            for (int t = 0; t < m; t++) {
                if (kept[j][t] >= 0) {
                    double e = Math.max(0, flow.flow(kept[j][t]));
                    reservedKw[t] += e / slots.get(t).hours();
                    keptKwh[j] += e;
                }
            }
        }
        // Rounded first around the reserve; when that costs an EV plugged in energy it would get with the
        // reserve counted as free room, the reserve gives way (the EVs plugged in come first).
        double[][] around = copy(kw);
        MinPowerRounding.apply(slots, evs, around, reservedKw);
        MinPowerRounding.apply(slots, evs, kw);
        boolean aroundLoses = false;
        for (int i = 0; i < n && !aroundLoses; i++) {
            aroundLoses = energy(slots, around[i]) < Math.min(evs.get(i).energyKwh(), energy(slots, kw[i])) - ChargePlan.TOLERANCE_KWH;
        }
        if (!aroundLoses) {
            kw = around;
        }
        for (double[] row : kw) {
            for (int t = 0; t < m; t++) {
                if (row[t] < 1e-9) {
                    row[t] = 0; // the dust of moving fragments about
                }
            }
        }
        for (int t = 0; t < m; t++) {
            double left = Math.max(0, Math.max(0, slots.get(t).capKw()) - sum(kw, t));
            reservedKw[t] = Math.min(reservedKw[t], left);
        }
        return new Reserved(new ChargePlan(slots, evs, kw), reservedKw, keptKwh);
    }

    /**
     * Which expected arrivals charging on arrival would serve in full, from now: in each slot the EVs plugged
     * in take what they can first, then the expected ones in the order they arrive.
     */
    static boolean[] onArrivalServes(List<Slot> slots, List<EvDemand> evs, List<ExpectedArrival> expected) {
        double[] known = evs.stream().mapToDouble(EvDemand::energyKwh).toArray();
        double[] coming = expected.stream().mapToDouble(ExpectedArrival::energyKwh).toArray();
        List<Integer> order = new ArrayList<>();
        for (int j = 0; j < expected.size(); j++) {
            order.add(j);
        }
        order.sort(Comparator.comparing(j -> expected.get(j).arrival()));
        for (Slot s : slots) {
            double left = Math.max(0, s.capKw()) * s.hours();
            for (int i = 0; i < evs.size(); i++) {
                if (evs.get(i).canUse(s)) {
                    double e = Math.min(known[i], Math.min(evs.get(i).maxKw() * s.hours(), left));
                    known[i] -= e;
                    left -= e;
                }
            }
            for (int j : order) {
                double e = Math.min(coming[j], Math.min(expected.get(j).maxKw() * expected.get(j).hoursIn(s), left));
                coming[j] -= e;
                left -= e;
            }
        }
        boolean[] served = new boolean[expected.size()];
        for (int j = 0; j < served.length; j++) {
            served[j] = coming[j] <= ChargePlan.TOLERANCE_KWH;
        }
        return served;
    }

    /** {@code slots} cut at each of {@code instants} that falls inside one; price and cap stay the slot's. */
    static List<Slot> splitAt(List<Slot> slots, List<Instant> instants) {
        java.util.TreeSet<Instant> cuts = new java.util.TreeSet<>(instants);
        List<Slot> out = new ArrayList<>(slots.size() + instants.size());
        for (Slot s : slots) {
            Instant from = s.start();
            for (Instant cut : cuts.subSet(s.start(), false, s.end(), false)) {
                out.add(new Slot(from, Duration.between(from, cut), s.pricePerKwh(), s.capKw()));
                from = cut;
            }
            out.add(new Slot(from, Duration.between(from, s.end()), s.pricePerKwh(), s.capKw()));
        }
        return out;
    }

    /**
     * {@code plan}, made over slots cut from {@code slots}, as average power per slot of {@code slots}. The
     * first slot's power of the cut plan is what to draw now; this is for reports over the given slots.
     */
    static ChargePlan merged(ChargePlan plan, List<Slot> slots) {
        if (plan.slots().size() == slots.size()) {
            return plan;
        }
        double[][] kw = new double[plan.evs().size()][slots.size()];
        int t = 0;
        for (int s = 0; s < slots.size(); s++) {
            Slot slot = slots.get(s);
            while (t < plan.slots().size() && !plan.slots().get(t).start().isBefore(slot.start())
                    && !plan.slots().get(t).end().isAfter(slot.end())) {
                for (int i = 0; i < kw.length; i++) {
                    kw[i][s] += plan.kw(i, t) * plan.slots().get(t).hours() / slot.hours();
                }
                t++;
            }
        }
        return new ChargePlan(slots, plan.evs(), kw);
    }

    private static double[][] copy(double[][] kw) {
        double[][] c = new double[kw.length][];
        for (int i = 0; i < kw.length; i++) {
            c[i] = kw[i].clone();
        }
        return c;
    }

    private static double energy(List<Slot> slots, double[] row) {
        double e = 0;
        for (int t = 0; t < row.length; t++) {
            e += row[t] * slots.get(t).hours();
        }
        return e;
    }

    private static double sum(double[][] kw, int t) {
        double s = 0;
        for (double[] row : kw) {
            s += row[t];
        }
        return s;
    }

    ChargePlan plan(List<Slot> slots, List<EvDemand> evs) {
        double[][] kw = relaxed(slots, evs);
        if (evs.isEmpty() || slots.isEmpty()) {
            return new ChargePlan(slots, evs, kw);
        }
        MinPowerRounding.apply(slots, evs, kw);
        return new ChargePlan(slots, evs, kw);
    }

    /** The optimal plan without the minimum power: as much energy as possible, then least cost. */
    private double[][] relaxed(List<Slot> slots, List<EvDemand> evs) {
        int n = evs.size();
        int m = slots.size();
        double[][] kw = new double[n][m];
        if (n == 0 || m == 0) {
            return kw;
        }
        // Every unit of flow crosses exactly one EV→slot arc, so shifting all prices by the same amount
        // leaves the optimum unchanged and makes costs non-negative (prices may be negative).
        double lowest = slots.stream().mapToDouble(Slot::pricePerKwh).min().orElse(0);
        int source = 0;
        int sink = 1;
        MinCostFlow flow = new MinCostFlow(2 + n + m);
        int[][] arc = new int[n][m];
        for (int i = 0; i < n; i++) {
            EvDemand ev = evs.get(i);
            flow.addEdge(source, 2 + i, ev.energyKwh(), 0);
            for (int t = 0; t < m; t++) {
                Slot s = slots.get(t);
                arc[i][t] = ev.canUse(s)
                        ? flow.addEdge(2 + i, 2 + n + t, ev.maxKw() * s.hours(), s.pricePerKwh() - lowest + EARLIER_IS_BETTER * t)
                        : -1;
            }
        }
        for (int t = 0; t < m; t++) {
            flow.addEdge(2 + n + t, sink, Math.max(0, slots.get(t).capKw()) * slots.get(t).hours(), 0);
        }
        flow.solve(source, sink);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < m; t++) {
                kw[i][t] = arc[i][t] < 0 ? 0 : Math.max(0, flow.flow(arc[i][t])) / slots.get(t).hours();
            }
        }
        return kw;
    }
}
