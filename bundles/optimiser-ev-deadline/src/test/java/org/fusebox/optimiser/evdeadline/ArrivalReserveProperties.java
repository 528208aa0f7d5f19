package org.fusebox.optimiser.evdeadline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fusebox.optimiser.evdeadline.Instances.Instance;

/**
 * The arrival reserve over random fleets: the EVs plugged in keep what they would get without it, the plan and
 * the reserve stay under the cap, and with the arrivals known exactly a night re-planned at each arrival serves
 * every EV that charging on arrival serves, whenever the whole night can be served.
 */
class ArrivalReserveProperties {

    private static final double EPS = 1e-6;
    private final DeadlinePlanner planner = new DeadlinePlanner();

    record WithArrivals(Instance in, List<ExpectedArrival> expected) {
    }

    @Property(tries = 600)
    void everyEvPluggedInThatIsServedWithoutTheReserveIsServedWithIt(@ForAll("withoutMinPower") WithArrivals w) {
        ChargePlan alone = planner.plan(w.in().slots(), w.in().evs());
        ChargePlan reserved = planner.plan(w.in().slots(), w.in().evs(), w.expected()).plan();
        double aloneTotal = 0;
        double reservedTotal = 0;
        for (int i = 0; i < w.in().evs().size(); i++) {
            aloneTotal += alone.deliveredKwh(i);
            reservedTotal += reserved.deliveredKwh(i);
            if (alone.deliveredKwh(i) >= w.in().evs().get(i).energyKwh() - EPS) {
                assertThat(reserved.deliveredKwh(i)).as("ev %d", i).isGreaterThanOrEqualTo(w.in().evs().get(i).energyKwh() - 1e-5);
            }
        }
        assertThat(reservedTotal).as("the EVs plugged in together").isGreaterThanOrEqualTo(aloneTotal - 1e-5);
    }

    @Property(tries = 600)
    void withTheMinimumPowerEveryEvPluggedInIsOffOrAtLeastItsMinimum(@ForAll("withMinPower") WithArrivals w) {
        ChargePlan reserved = planner.plan(w.in().slots(), w.in().evs(), w.expected()).plan();
        for (int i = 0; i < w.in().evs().size(); i++) {
            for (int t = 0; t < reserved.slots().size(); t++) {
                double kw = reserved.kw(i, t);
                assertThat(kw == 0 || kw >= w.in().evs().get(i).minKw() - EPS).as("ev %d slot %d at %s kW", i, t, kw).isTrue();
            }
        }
    }

    @Property(tries = 600)
    void thePlanAndTheReserveStayUnderTheCapAndNothingAfterDeparture(@ForAll("anyInstance") WithArrivals w) {
        DeadlinePlanner.Reserved r = planner.plan(w.in().slots(), w.in().evs(), w.expected());
        ChargePlan plan = r.plan();
        assertThat(plan.slots().get(0).start()).isEqualTo(w.in().slots().get(0).start());
        assertThat(plan.slots().get(plan.slots().size() - 1).end()).isEqualTo(w.in().slots().get(w.in().slots().size() - 1).end());
        for (int t = 0; t < plan.slots().size(); t++) {
            double cap = Math.max(0, plan.slots().get(t).capKw());
            assertThat(plan.totalKw(t) + r.reservedKw()[t]).as("slot %d", t).isLessThanOrEqualTo(cap + EPS);
            for (int i = 0; i < w.in().evs().size(); i++) {
                assertThat(plan.kw(i, t)).isBetween(0.0, w.in().evs().get(i).maxKw() + EPS);
                if (plan.slots().get(t).end().isAfter(w.in().evs().get(i).departure())) {
                    assertThat(plan.kw(i, t)).isZero();
                }
            }
        }
        for (int j = 0; j < w.expected().size(); j++) {
            assertThat(r.keptKwh()[j]).isLessThanOrEqualTo(w.expected().get(j).energyKwh() + EPS);
        }
    }

    /**
     * A night re-planned at each arrival, the reserve knowing the later arrivals exactly (no minimum power):
     * when every EV of the night can be served at all, every one is, so none that charging on arrival serves
     * is left short.
     */
    @Property(tries = 300)
    void withExactArrivalsAFeasibleNightServesEveryEv(@ForAll("nights") Night night) {
        double[] planned = replanned(night, true);
        double[] onArrival = onArrival(night);
        if (offlineMax(night) >= night.wanted() - 1e-6) {
            for (int i = 0; i < night.evs().size(); i++) {
                assertThat(planned[i]).as("ev %d (on arrival %s)", i, onArrival[i])
                        .isGreaterThanOrEqualTo(night.evs().get(i).energyKwh() - 1e-5);
            }
        }
    }

    /** An EV of the night: plugs in at {@code arrival}, wants {@code energyKwh} by {@code departure}. */
    record NightEv(Instant arrival, Instant departure, double energyKwh, double maxKw) {
    }

    record Night(List<Slot> slots, List<NightEv> evs) {
        double wanted() {
            return evs.stream().mapToDouble(NightEv::energyKwh).sum();
        }
    }

    /** Each EV's energy when re-planned at every arrival and the plan followed until the next. */
    double[] replanned(Night night, boolean reserve) {
        List<NightEv> evs = night.evs();
        double[] got = new double[evs.size()];
        TreeSet<Instant> replans = new TreeSet<>();
        evs.forEach(e -> replans.add(e.arrival()));
        for (Instant now : replans) {
            Instant until = replans.higher(now) == null ? night.slots().get(night.slots().size() - 1).end() : replans.higher(now);
            List<Slot> slots = new ArrayList<>();
            for (Slot s : night.slots()) {
                if (s.end().isAfter(now)) {
                    Instant from = s.start().isBefore(now) ? now : s.start();
                    slots.add(new Slot(from, Duration.between(from, s.end()), s.pricePerKwh(), s.capKw()));
                }
            }
            List<EvDemand> known = new ArrayList<>();
            List<Integer> index = new ArrayList<>();
            List<ExpectedArrival> expected = new ArrayList<>();
            for (int i = 0; i < evs.size(); i++) {
                NightEv ev = evs.get(i);
                if (!ev.arrival().isAfter(now)) {
                    if (ev.energyKwh() - got[i] > 1e-9) {
                        known.add(new EvDemand("ev" + i, ev.energyKwh() - got[i], ev.departure(), ev.maxKw(), 0));
                        index.add(i);
                    }
                } else if (reserve) {
                    expected.add(new ExpectedArrival("ev" + i, ev.arrival(), ev.departure(), ev.energyKwh(), ev.maxKw()));
                }
            }
            if (known.isEmpty()) {
                continue;
            }
            ChargePlan plan = planner.plan(slots, known, expected).plan();
            for (int k = 0; k < known.size(); k++) {
                for (int t = 0; t < plan.slots().size(); t++) {
                    Slot s = plan.slots().get(t);
                    Instant to = s.end().isBefore(until) ? s.end() : until;
                    if (to.isAfter(s.start())) {
                        got[index.get(k)] += plan.kw(k, t) * Duration.between(s.start(), to).toNanos() / 3.6e12;
                    }
                }
            }
        }
        return got;
    }

    /** Charging on arrival, minute by minute: earliest arrival first, each at its maximum under the cap. */
    static double[] onArrival(Night night) {
        List<NightEv> evs = night.evs();
        double[] got = new double[evs.size()];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < evs.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> evs.get(a).arrival().compareTo(evs.get(b).arrival()));
        for (Slot s : night.slots()) {
            for (Instant t = s.start(); t.isBefore(s.end()); t = t.plusSeconds(60)) {
                double left = Math.max(0, s.capKw());
                for (int i : order) {
                    NightEv ev = evs.get(i);
                    if (ev.arrival().isAfter(t) || t.plusSeconds(60).isAfter(ev.departure())) {
                        continue;
                    }
                    double kw = Math.min(Math.min(ev.maxKw(), left), (ev.energyKwh() - got[i]) * 60);
                    got[i] += kw / 60;
                    left -= kw;
                }
            }
        }
        return got;
    }

    /** The most energy any schedule could give the night's EVs (all arrivals known). */
    double offlineMax(Night night) {
        List<ExpectedArrival> all = new ArrayList<>();
        for (int i = 0; i < night.evs().size(); i++) {
            NightEv ev = night.evs().get(i);
            all.add(new ExpectedArrival("ev" + i, ev.arrival(), ev.departure(), ev.energyKwh(), ev.maxKw()));
        }
        EvDemand nobody = new EvDemand("none", 0, night.slots().get(0).start(), 0, 0);
        double[] kept = planner.plan(night.slots(), List.of(nobody), all).keptKwh();
        double sum = 0;
        for (double k : kept) {
            sum += k;
        }
        return sum;
    }

    @Provide
    Arbitrary<Night> nights() {
        return Arbitraries.longs().map(seed -> {
            Random rnd = new Random(seed);
            int m = 2 + rnd.nextInt(8);
            double cap = 5 + rnd.nextDouble() * 30;
            List<Slot> slots = new ArrayList<>();
            for (int t = 0; t < m; t++) {
                slots.add(new Slot(Instances.T0.plus(Duration.ofHours(t)), Duration.ofHours(1), Math.round(rnd.nextDouble() * 400) / 1000.0, cap));
            }
            Instant end = Instances.T0.plus(Duration.ofHours(m));
            int n = 1 + rnd.nextInt(7);
            List<NightEv> evs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Instant arrival = Instances.T0.plusSeconds(60L * rnd.nextInt(m * 60 / 2 + 1));
                Instant departure = rnd.nextBoolean() ? end : Instances.T0.plus(Duration.ofHours(1 + rnd.nextInt(m)));
                if (!departure.isAfter(arrival.plusSeconds(3600))) {
                    departure = end;
                }
                double maxKw = 3.7 + rnd.nextDouble() * 18;
                double hours = Duration.between(arrival, departure).toMinutes() / 60.0;
                evs.add(new NightEv(arrival, departure, Math.round(rnd.nextDouble() * maxKw * hours * 0.8 * 10) / 10.0, maxKw));
            }
            return new Night(slots, evs);
        });
    }

    @Provide
    Arbitrary<WithArrivals> anyInstance() {
        return Arbitraries.oneOf(withMinPower(), withoutMinPower());
    }

    @Provide
    Arbitrary<WithArrivals> withMinPower() {
        return Arbitraries.oneOf(Instances.arbitrary(6, 12, true), Instances.arbitraryCapPerSlot(6, 12, true)).flatMap(this::withArrivals);
    }

    @Provide
    Arbitrary<WithArrivals> withoutMinPower() {
        return Arbitraries.oneOf(Instances.arbitrary(6, 12, false), Instances.arbitraryCapPerSlot(6, 12, false)).flatMap(this::withArrivals);
    }

    private Arbitrary<WithArrivals> withArrivals(Instance in) {
        return Arbitraries.longs().map(seed -> {
            Random rnd = new Random(seed);
            Instant start = in.slots().get(0).start();
            Instant end = in.slots().get(in.slots().size() - 1).end();
            long minutes = Duration.between(start, end).toMinutes();
            List<ExpectedArrival> expected = new ArrayList<>();
            int k = rnd.nextInt(5);
            for (int j = 0; j < k; j++) {
                Instant arrival = start.plusSeconds(60 * (1 + rnd.nextInt((int) Math.max(1, minutes))));
                Instant departure = rnd.nextBoolean() ? end.plusSeconds(3600) : arrival.plusSeconds(60 * (1 + rnd.nextInt((int) Math.max(1, minutes))));
                expected.add(new ExpectedArrival("x" + j, arrival, departure, Math.round(rnd.nextDouble() * 40 * 10) / 10.0, 2 + rnd.nextDouble() * 20));
            }
            return new WithArrivals(in, expected);
        });
    }
}
