package org.fusebox.optimiser.battery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random planning instances and an independent reading of the planner's rules, for the properties. */
final class Instances {

    static final Instant T0 = Instant.parse("2026-01-15T18:00:00Z");

    record Instance(List<Slot> slots, BatteryModel model, double storedKwh) {
    }

    private Instances() {
    }

    /**
     * @param slots        how many slots
     * @param levelsAcross roughly how many SoC steps span the capacity
     * @param lpFriendly   prices not negative, export at most import, no fuse or mode bounds (what the LP models)
     */
    static Instance random(long seed, int slots, int levelsAcross, boolean lpFriendly) {
        Random r = new Random(seed);
        double cap = 5 + r.nextInt(56);
        double maxC = cap * (0.1 + r.nextDouble());
        double maxD = cap * (0.1 + r.nextDouble());
        double etaC = 0.85 + 0.15 * r.nextDouble();
        double etaD = 0.85 + 0.15 * r.nextDouble();
        double minPct = r.nextInt(41);
        double maxPct = 60 + r.nextInt(41);
        double deg = r.nextBoolean() ? 0 : 0.1 * r.nextDouble();
        double terminal = r.nextBoolean() ? 0 : 0.15 * r.nextDouble();
        BatteryModel m = new BatteryModel(cap, etaC, etaD, cap * minPct / 100, cap * maxPct / 100, cap / levelsAcross, deg, terminal);
        List<Slot> out = new ArrayList<>();
        Instant t = T0;
        for (int i = 0; i < slots; i++) {
            Duration len = r.nextBoolean() ? Duration.ofMinutes(15) : Duration.ofHours(1);
            double imp = lpFriendly ? 0.3 * r.nextDouble() : -0.05 + 0.35 * r.nextDouble();
            double exp = r.nextInt(3) == 0 ? imp : (lpFriendly ? imp * r.nextDouble() : 0.2 * r.nextDouble() - 0.02);
            double net = -10 + 20 * r.nextDouble();
            double lo = -maxD;
            double hi = maxC;
            if (!lpFriendly && r.nextInt(4) == 0) {
                hi = hi * r.nextDouble(); // a fuse or mode bound
            }
            if (!lpFriendly && r.nextInt(4) == 0) {
                lo = lo * r.nextDouble();
            }
            out.add(new Slot(t, len, imp, exp, net, lo, hi));
            t = t.plus(len);
        }
        // Mostly inside the band, sometimes outside it (a site whose core minimum was just raised).
        double stored = !lpFriendly && r.nextInt(5) == 0 ? cap * r.nextDouble() : m.minKwh() + (m.maxKwh() - m.minKwh()) * r.nextDouble();
        return new Instance(out, m, stored);
    }

    /** The grid-level moves allowed from level k in slot s (band rules as the README states them). */
    static List<Integer> moves(Instance in, Slot s, int k) {
        BatteryModel m = in.model();
        double step = m.stepKwh();
        int kMin = (int) Math.ceil((m.minKwh() - in.storedKwh()) / step - 1e-9);
        int kMax = (int) Math.floor((m.maxKwh() - in.storedKwh()) / step + 1e-9);
        int lo = Math.min(kMin, 0);
        int hi = Math.max(kMax, 0);
        List<Integer> out = new ArrayList<>();
        for (int j = lo; j <= hi; j++) {
            double delta = (j - k) * step;
            double ac = m.acPower(delta, s.hours());
            if (ac < s.minKw() - 1e-9 || ac > s.maxKw() + 1e-9) {
                continue;
            }
            if ((j < kMin && j < k) || (j > kMax && j > k)) {
                continue;
            }
            out.add(j - k);
        }
        return out;
    }

    /** The schedule of a path of grid levels. */
    static Schedule follow(Instance in, int[] levels) {
        double[] stored = new double[levels.length];
        for (int i = 0; i < levels.length; i++) {
            stored[i] = in.storedKwh() + levels[i] * in.model().stepKwh();
        }
        return Schedule.of(in.slots(), in.model(), stored);
    }
}
