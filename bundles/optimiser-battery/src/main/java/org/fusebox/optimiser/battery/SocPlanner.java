package org.fusebox.optimiser.battery;

import java.util.Arrays;
import java.util.List;

/**
 * The exact schedule over a discretised state of charge: a dynamic program over stored-energy levels
 * {@code now + k * step}, backwards from the end of the horizon.
 *
 * <p>The grid is anchored at the energy stored now, so idling is always on it and the first slot's
 * power (the only one that becomes a setpoint) comes from the real SoC, not a rounded one. Per slot the
 * cost of a move is exact: import and export priced separately, charge and discharge efficiencies,
 * degradation; no relaxation can charge and discharge at once. Moves are limited per slot by the slot's
 * power bounds; levels outside [min, max] are only there when the battery starts outside, and may only be
 * left towards the allowed band.
 *
 * <p>Work: slots x levels x moves per slot; for 192 quarter-hours, 0.5 % steps and a 0.5 C battery about
 * 1.5 million steps.
 */
final class SocPlanner {

    /**
     * Plans equal in cost to within this are ties. A tie goes to the plan that moves less and earlier
     * (least sum of slot number x move size): with flat prices covering the load now and later cost the
     * same, and now is what the site needs, while idling remains preferred to pointless cycling.
     */
    private static final double TIE = 1e-9;

    Schedule plan(List<Slot> slots, BatteryModel m, double storedNowKwh) {
        int n = slots.size();
        double step = m.stepKwh();
        int kMin = (int) Math.ceil((m.minKwh() - storedNowKwh) / step - 1e-9);
        int kMax = (int) Math.floor((m.maxKwh() - storedNowKwh) / step + 1e-9);
        int lo = Math.min(kMin, 0);
        int hi = Math.max(kMax, 0);
        int levels = hi - lo + 1;
        double[] next = new double[levels];
        double[] value = new double[levels];
        double[] nextLate = new double[levels];
        double[] late = new double[levels];
        int[][] choice = new int[n][levels];
        for (int i = 0; i < levels; i++) {
            next[i] = -m.terminalValuePerKwh() * (lo + i) * step;
        }
        double[] afterFirst = null;
        for (int t = n - 1; t >= 0; t--) {
            Slot s = slots.get(t);
            if (t == 0) {
                afterFirst = next.clone();
            }
            double h = s.hours();
            int dLo = (int) Math.ceil(m.storedChange(s.minKw(), h) / step - 1e-9);
            int dHi = (int) Math.floor(m.storedChange(s.maxKw(), h) / step + 1e-9);
            dLo = Math.max(dLo, -(levels - 1));
            dHi = Math.min(dHi, levels - 1);
            int[] moves = movesBySize(dLo, dHi);
            double[] cost = new double[dHi - dLo + 1];
            for (int d = dLo; d <= dHi; d++) {
                double delta = d * step;
                cost[d - dLo] = s.gridCost(m.acPower(delta, h)) + m.degradation(delta);
            }
            for (int i = 0; i < levels; i++) {
                int k = lo + i;
                double best = Double.POSITIVE_INFINITY;
                double bestLate = Double.POSITIVE_INFINITY;
                int bestMove = 0;
                for (int d : moves) {
                    int j = k + d;
                    if (j < lo || j > hi || (j < kMin && d < 0) || (j > kMax && d > 0)) {
                        continue; // off the grid, or further out of the allowed band
                    }
                    double v = cost[d - dLo] + next[j - lo];
                    double w = (t + 1.0) * Math.abs(d) + nextLate[j - lo];
                    if (v < best - TIE || (v <= best + TIE && w < bestLate)) {
                        best = Math.min(best, v);
                        bestLate = w;
                        bestMove = d;
                    }
                }
                value[i] = best;
                late[i] = bestLate;
                choice[t][i] = bestMove;
            }
            double[] swap = next;
            next = value;
            value = swap;
            swap = nextLate;
            nextLate = late;
            late = swap;
        }
        double[] stored = new double[n + 1];
        stored[0] = storedNowKwh;
        int k = 0;
        for (int t = 0; t < n; t++) {
            k += choice[t][k - lo];
            stored[t + 1] = storedNowKwh + k * step;
        }
        double firstKw = firstKw(slots.get(0), m, storedNowKwh, stored[1] - storedNowKwh, afterFirst, lo, hi, kMin, kMax);
        return Schedule.of(slots, m, stored, firstKw);
    }

    /**
     * The power to send now. The grid may have no level the first slot's bound reaches exactly: 10 kW of
     * a 10 kW battery is 11.86 steps of 0.5 % of 20 kWh in a quarter-hour, and covering a 0.2 kW night
     * load is less than one step, which the grid alone would round to idle. So the first move alone is
     * chosen over a continuous range: the grid's choice and the slot's two bounds (inside the SoC band),
     * each priced exactly for the slot plus the value after it interpolated between the two nearest levels.
     */
    private static double firstKw(Slot first, BatteryModel m, double storedNow, double gridDelta, double[] after, int lo, int hi,
            int kMin, int kMax) {
        double step = m.stepKwh();
        double h = first.hours();
        // Inside the band the move stays inside; outside it only moves towards it.
        double down = kMin < 0 ? kMin * step : 0;
        double up = kMax > 0 ? kMax * step : 0;
        double best = gridDelta;
        double bestValue = firstValue(first, m, gridDelta, after, lo, hi);
        for (double delta : new double[] { m.storedChange(first.minKw(), h), m.storedChange(first.maxKw(), h) }) {
            delta = Math.max(down, Math.min(up, delta));
            double v = firstValue(first, m, delta, after, lo, hi);
            // A tie with the grid's move goes to the fuller move the same way: doing it now is what the
            // plan prefers anyway (earlier moves), and the remainder would otherwise wait a slot.
            boolean sameWayFurther = gridDelta != 0 && Math.signum(delta) == Math.signum(gridDelta) && Math.abs(delta) > Math.abs(best);
            if (v < bestValue - TIE || (sameWayFurther && v <= bestValue + TIE)) {
                best = delta;
                bestValue = v;
            }
        }
        return m.acPower(best, h);
    }

    private static double firstValue(Slot first, BatteryModel m, double delta, double[] after, int lo, int hi) {
        double x = delta / m.stepKwh();
        int j = (int) Math.floor(x + 1e-9);
        j = Math.max(lo, Math.min(hi - 1, j));
        double frac = hi == lo ? 0 : Math.max(0, Math.min(1, x - j));
        double v = hi == lo ? after[0] : after[j - lo] * (1 - frac) + after[j + 1 - lo] * frac;
        return first.gridCost(m.acPower(delta, first.hours())) + m.degradation(delta) + v;
    }

    /** Moves from dLo to dHi ordered 0, then by size, so ties keep the battery still. */
    private static int[] movesBySize(int dLo, int dHi) {
        Integer[] d = new Integer[dHi - dLo + 1];
        for (int i = 0; i < d.length; i++) {
            d[i] = dLo + i;
        }
        Arrays.sort(d, (a, b) -> Integer.compare(Math.abs(a), Math.abs(b)));
        return Arrays.stream(d).mapToInt(Integer::intValue).toArray();
    }
}
