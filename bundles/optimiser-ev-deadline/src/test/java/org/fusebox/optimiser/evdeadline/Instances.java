package org.fusebox.optimiser.evdeadline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Random planning problems for properties and the optimality comparison. */
final class Instances {

    static final Instant T0 = Instant.parse("2026-01-15T18:00:00Z");

    record Instance(List<Slot> slots, List<EvDemand> evs) {
        @Override
        public String toString() {
            return "slots=" + slots + "\nevs=" + evs;
        }
    }

    private Instances() {
    }

    /** Up to {@code maxEvs} EVs over up to {@code maxSlots} slots; about a third of them cannot all be met. */
    static Instance random(Random rnd, int maxEvs, int maxSlots, boolean minPower) {
        boolean hourly = rnd.nextBoolean();
        Duration length = Duration.ofMinutes(hourly ? 60 : 15);
        int m = 1 + rnd.nextInt(maxSlots);
        List<Slot> slots = new ArrayList<>();
        double cap = 3 + rnd.nextDouble() * 40;
        for (int t = 0; t < m; t++) {
            double price = rnd.nextInt(10) == 0 ? -rnd.nextDouble() * 0.05 : rnd.nextDouble() * 0.4;
            slots.add(new Slot(T0.plus(length.multipliedBy(t)), length, Math.round(price * 1000) / 1000.0, cap));
        }
        int n = 1 + rnd.nextInt(maxEvs);
        List<EvDemand> evs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int phases = rnd.nextBoolean() ? 1 : 3;
            double maxKw = (6 + rnd.nextInt(27)) * 0.23 * phases;
            double minKw = minPower ? 6 * 0.23 * phases : 0;
            int leaves = 1 + rnd.nextInt(m + 1); // slots it may use; m + 1 leaves after the horizon
            Instant departure = T0.plus(length.multipliedBy(leaves));
            if (rnd.nextInt(4) == 0) {
                departure = departure.minus(length.dividedBy(2)); // leaves mid-slot
            }
            double hours = length.toMinutes() / 60.0 * Math.min(leaves, m);
            double energy = rnd.nextDouble() * maxKw * hours * 1.2;
            evs.add(new EvDemand("ev" + i, Math.round(energy * 100) / 100.0, departure, maxKw, minKw));
        }
        return new Instance(slots, evs);
    }

    static Arbitrary<Instance> arbitrary(int maxEvs, int maxSlots, boolean minPower) {
        return Arbitraries.longs().map(seed -> random(new Random(seed), maxEvs, maxSlots, minPower));
    }

    /**
     * As {@link #random}, with a cap of its own per slot, as load forecasts and a battery plan make it:
     * anywhere from none to 43 kW, a tenth of the slots with none at all.
     */
    static Instance randomCapPerSlot(Random rnd, int maxEvs, int maxSlots, boolean minPower) {
        Instance in = random(rnd, maxEvs, maxSlots, minPower);
        List<Slot> slots = new ArrayList<>();
        for (Slot s : in.slots()) {
            double cap = rnd.nextInt(10) == 0 ? 0 : Math.round(rnd.nextDouble() * 43 * 100) / 100.0;
            slots.add(new Slot(s.start(), s.length(), s.pricePerKwh(), cap));
        }
        return new Instance(slots, in.evs());
    }

    static Arbitrary<Instance> arbitraryCapPerSlot(int maxEvs, int maxSlots, boolean minPower) {
        return Arbitraries.longs().map(seed -> randomCapPerSlot(new Random(seed), maxEvs, maxSlots, minPower));
    }
}
