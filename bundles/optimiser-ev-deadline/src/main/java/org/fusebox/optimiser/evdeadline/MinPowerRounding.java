package org.fusebox.optimiser.evdeadline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Makes every planned power either 0 or at least the EV's minimum (an AC EV does not charge below 6 A),
 * starting from the optimal relaxed plan.
 *
 * <p>For each EV, from its most expensive fragment (0 &lt; power &lt; minimum) down:
 * <ol>
 * <li>take the fragment out and move its energy to the EV's cheapest slots (its own slot included) that
 * already run at or above the minimum, or that are off with room for at least the minimum;</li>
 * <li>a slot switched on runs at least at the minimum, which may add more energy than was moved; the
 * extra is taken back from the EV's dearest slots above the minimum (never below it), or, when there is
 * none, accepted as a small over-delivery;</li>
 * <li>energy that finds no room is dropped and shows as a shortfall.</li>
 * </ol>
 * No step creates a new fragment, so one pass suffices. Powers never exceed the cap or the maximum.
 */
final class MinPowerRounding {

    private static final double EPS = 1e-9;

    private MinPowerRounding() {
    }

    static void apply(List<Slot> slots, List<EvDemand> evs, double[][] kw) {
        apply(slots, evs, kw, new double[slots.size()]);
    }

    /** As {@link #apply(List, List, double[][])}, leaving {@code keptKw} per slot free of the moved energy. */
    static void apply(List<Slot> slots, List<EvDemand> evs, double[][] kw, double[] keptKw) {
        int m = slots.size();
        double[] free = new double[m];
        for (int t = 0; t < m; t++) {
            double used = keptKw[t];
            for (double[] row : kw) {
                used += row[t];
            }
            free[t] = Math.max(0, Math.max(0, slots.get(t).capKw()) - used);
        }
        for (int i = 0; i < evs.size(); i++) {
            if (evs.get(i).minKw() > 0) {
                round(slots, evs.get(i), kw[i], free);
            }
        }
    }

    private static void round(List<Slot> slots, EvDemand ev, double[] row, double[] free) {
        double min = ev.minKw();
        List<Integer> usable = new ArrayList<>();
        for (int t = 0; t < slots.size(); t++) {
            if (ev.canUse(slots.get(t))) {
                usable.add(t);
            }
        }
        Comparator<Integer> cheapest = Comparator.comparingDouble((Integer t) -> slots.get(t).pricePerKwh()).thenComparing(t -> t);
        List<Integer> fragments = usable.stream().filter(t -> row[t] > EPS && row[t] < min - EPS)
                .sorted(cheapest.reversed()).toList();
        List<Integer> byPrice = usable.stream().sorted(cheapest).toList();
        List<Integer> dearestFirst = usable.stream().sorted(cheapest.reversed()).toList();
        for (int f : fragments) {
            double energy = row[f] * slots.get(f).hours();
            free[f] += row[f];
            row[f] = 0;
            for (int t : byPrice) {
                if (energy <= EPS) {
                    break;
                }
                double room = Math.min(ev.maxKw() - row[t], free[t]);
                double wanted = energy / slots.get(t).hours();
                double add = 0;
                if (row[t] >= min - EPS) {
                    add = Math.min(wanted, room);
                } else if (row[t] <= EPS && room >= min - EPS) {
                    add = Math.min(Math.max(wanted, min), room); // may overshoot; given back below
                }
                if (add > EPS) {
                    row[t] += add;
                    free[t] -= add;
                    energy -= add * slots.get(t).hours();
                }
            }
            if (energy < -EPS) {
                giveBack(slots, row, free, dearestFirst, -energy, min);
            }
        }
    }

    /** Takes {@code energy} back from the dearest slots that stay at or above the minimum. */
    private static void giveBack(List<Slot> slots, double[] row, double[] free, List<Integer> dearestFirst, double energy,
            double min) {
        for (int t : dearestFirst) {
            if (energy <= EPS) {
                return;
            }
            if (row[t] <= min + EPS) {
                continue;
            }
            double cut = Math.min(row[t] - min, energy / slots.get(t).hours());
            row[t] -= cut;
            free[t] += cut;
            energy -= cut * slots.get(t).hours();
        }
    }
}
