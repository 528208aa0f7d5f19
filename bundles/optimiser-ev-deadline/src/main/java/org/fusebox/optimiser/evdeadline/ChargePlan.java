package org.fusebox.optimiser.evdeadline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Planned power per EV per slot, and what it costs.
 *
 * @param slots the slots planned
 * @param evs   the EVs planned, in the order of {@link #kw}'s rows
 * @param kw    {@code kw[ev][slot]}, the average power planned
 */
record ChargePlan(List<Slot> slots, List<EvDemand> evs, double[][] kw) {

    /** Energy planned below this is treated as met (rounding of the flow arithmetic). */
    static final double TOLERANCE_KWH = 1e-6;

    /** Power below this (a nanowatt) is a residue of the flow arithmetic, not a plan: it is planned as 0. */
    static final double RESIDUE_KW = 1e-12;

    ChargePlan {
        slots = List.copyOf(slots);
        evs = List.copyOf(evs);
        for (double[] row : kw) {
            for (int t = 0; t < row.length; t++) {
                if (Math.abs(row[t]) < RESIDUE_KW) {
                    // an EV must be either off or at its minimum power; 8.9e-16 kW is neither
                    row[t] = 0;
                }
            }
        }
    }

    double kw(int ev, int slot) {
        return kw[ev][slot];
    }

    double deliveredKwh(int ev) {
        double e = 0;
        for (int t = 0; t < slots.size(); t++) {
            e += kw[ev][t] * slots.get(t).hours();
        }
        return e;
    }

    double costOf(int ev) {
        double c = 0;
        for (int t = 0; t < slots.size(); t++) {
            c += kw[ev][t] * slots.get(t).hours() * slots.get(t).pricePerKwh();
        }
        return c;
    }

    double cost() {
        double c = 0;
        for (int i = 0; i < evs.size(); i++) {
            c += costOf(i);
        }
        return c;
    }

    double totalKw(int slot) {
        double sum = 0;
        for (double[] row : kw) {
            sum += row[slot];
        }
        return sum;
    }

    /** The EVs whose departure target cannot be met, with the energy each is short of, in kWh. */
    Map<String, Double> shortfalls() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < evs.size(); i++) {
            double missing = evs.get(i).energyKwh() - deliveredKwh(i);
            if (missing > TOLERANCE_KWH) {
                out.put(evs.get(i).id(), missing);
            }
        }
        return out;
    }
}
