package org.fusebox.optimiser.evdeadline;

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

    ChargePlan plan(List<Slot> slots, List<EvDemand> evs) {
        int n = evs.size();
        int m = slots.size();
        double[][] kw = new double[n][m];
        if (n == 0 || m == 0) {
            return new ChargePlan(slots, evs, kw);
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
        MinPowerRounding.apply(slots, evs, kw);
        return new ChargePlan(slots, evs, kw);
    }
}
