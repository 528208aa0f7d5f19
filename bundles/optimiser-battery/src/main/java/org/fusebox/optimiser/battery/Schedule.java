package org.fusebox.optimiser.battery;

import java.util.List;

/**
 * A planned battery schedule.
 *
 * @param slots      the slots it was planned over
 * @param powerKw    AC power per slot, charging positive
 * @param storedKwh  stored energy at the start of each slot and at the end (one more than the slots)
 * @param gridCost   what the site's grid exchange costs over the horizon with this schedule
 * @param degradation the degradation charged
 * @param objective  gridCost + degradation - the terminal value of the energy gained: what the planner minimised
 * @param firstKw    the power to send now: the first slot's power, refined off the SoC grid (see SocPlanner)
 */
record Schedule(List<Slot> slots, double[] powerKw, double[] storedKwh, double gridCost, double degradation, double objective,
        double firstKw) {

    /** Grid cost, degradation and objective of following {@code storedKwh} (which must be feasible). */
    static Schedule of(List<Slot> slots, BatteryModel m, double[] storedKwh) {
        return of(slots, m, storedKwh, m.acPower(storedKwh[1] - storedKwh[0], slots.get(0).hours()));
    }

    static Schedule of(List<Slot> slots, BatteryModel m, double[] storedKwh, double firstKw) {
        double[] power = new double[slots.size()];
        double grid = 0;
        double wear = 0;
        for (int t = 0; t < slots.size(); t++) {
            Slot s = slots.get(t);
            double delta = storedKwh[t + 1] - storedKwh[t];
            power[t] = m.acPower(delta, s.hours());
            grid += s.gridCost(power[t]);
            wear += m.degradation(delta);
        }
        double gained = storedKwh[slots.size()] - storedKwh[0];
        return new Schedule(List.copyOf(slots), power, storedKwh.clone(), grid, wear, grid + wear - m.terminalValuePerKwh() * gained, firstKw);
    }

    /** What the grid would cost with the battery idle. */
    static double idleCost(List<Slot> slots) {
        return slots.stream().mapToDouble(s -> s.gridCost(0)).sum();
    }
}
