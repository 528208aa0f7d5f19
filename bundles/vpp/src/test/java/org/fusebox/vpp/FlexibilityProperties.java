package org.fusebox.vpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.fusebox.vpp.FlexSite.BatteryFlex;
import org.fusebox.vpp.FlexSite.EvFlex;
import org.fusebox.vpp.FlexibilityCalculator.Direction;
import org.fusebox.vpp.FlexibilityCalculator.FlexSlot;

/**
 * The key promise: what is offered can be delivered. Each case executes an offer step by step (many steps per slot)
 * with physics written here, not the calculator's checks: stored energy with the charge and discharge efficiencies,
 * EVs that pause below their minimum and charge at full power after the event until they leave.
 */
class FlexibilityProperties {

    static final Instant T0 = Instant.parse("2026-01-15T18:00:00Z");
    private static final double TOL = 1e-6;
    private static final int STEPS = 24;

    record Case(FlexSite site, List<Slot> slots) {
    }

    @Property(tries = 400)
    void everyOfferedShedIsDeliverableForItsWholeDuration(@ForAll("cases") Case c) {
        FlexibilityCalculator calc = new FlexibilityCalculator(c.site(), c.slots());
        List<FlexSlot> offer = calc.offer();
        for (int k = 0; k < offer.size(); k++) {
            FlexSlot s = offer.get(k);
            assertThat(s.shedKw()).isGreaterThanOrEqualTo(0);
            if (s.shedKw() > 0) {
                execute(c, calc, Direction.SHED, k, s.shedSlots(), s.shedKw());
            }
        }
    }

    @Property(tries = 400)
    void everyOfferedAddIsDeliverableForItsWholeDuration(@ForAll("cases") Case c) {
        FlexibilityCalculator calc = new FlexibilityCalculator(c.site(), c.slots());
        List<FlexSlot> offer = calc.offer();
        for (int k = 0; k < offer.size(); k++) {
            FlexSlot s = offer.get(k);
            assertThat(s.addKw()).isGreaterThanOrEqualTo(0);
            if (s.addKw() > 0) {
                execute(c, calc, Direction.ADD, k, s.addSlots(), s.addKw());
            }
        }
    }

    /** The total for any event (as a dispatch is checked against), not only the offered durations, is deliverable. */
    @Property(tries = 400)
    void theTotalForAnyEventIsDeliverable(@ForAll("cases") Case c, @ForAll @DoubleRange(min = 0, max = 1) double from,
            @ForAll @DoubleRange(min = 0, max = 1) double length, @ForAll boolean shed) {
        FlexibilityCalculator calc = new FlexibilityCalculator(c.site(), c.slots());
        int n = c.slots().size();
        int k = Math.min(n - 1, (int) (from * n));
        int m = 1 + Math.min(n - k - 1, (int) (length * (n - k)));
        Direction dir = shed ? Direction.SHED : Direction.ADD;
        double total = calc.total(dir, k, m);
        assertThat(total).isGreaterThanOrEqualTo(0);
        execute(c, calc, dir, k, m, total);
    }

    /** A longer event never offers more than a shorter one from the same start. */
    @Property(tries = 200)
    void longerEventsOfferNoMore(@ForAll("cases") Case c, @ForAll @IntRange(min = 0, max = 40) int k0, @ForAll boolean shed) {
        FlexibilityCalculator calc = new FlexibilityCalculator(c.site(), c.slots());
        int n = c.slots().size();
        int k = k0 % n;
        Direction dir = shed ? Direction.SHED : Direction.ADD;
        for (int m = 1; k + m < n; m++) {
            assertThat(calc.total(dir, k, m + 1)).isLessThanOrEqualTo(calc.total(dir, k, m) + 1e-9);
        }
    }

    /** Executes a change of {@code kw} over slots k..k+m-1 and checks every device and the site, step by step. */
    static void execute(Case c, FlexibilityCalculator calc, Direction dir, int k, int m, double kw) {
        FlexSite site = c.site();
        List<Slot> slots = c.slots();
        double[] share = calc.shares(dir, k, m, kw);
        double sum = 0;
        for (double s : share) {
            sum += s;
        }
        assertThat(sum).as("shares add up to the change").isCloseTo(kw, org.assertj.core.data.Offset.offset(1e-6));
        int nb = site.batteries().size();

        for (int b = 0; b < nb; b++) {
            BatteryFlex bat = site.batteries().get(b);
            double with = bat.storedKwh();
            double without = bat.storedKwh();
            for (int j = 0; j < k + m; j++) {
                double hold = Math.max(-bat.maxDischargeKw(), Math.min(bat.maxChargeKw(), planned(bat, slots.get(j).start())));
                double dt = slots.get(j).hours() / STEPS;
                boolean inEvent = j >= k;
                double p = calc.batteryReferenceKw(b, j) + (dir == Direction.SHED ? -share[b] : share[b]);
                if (inEvent) {
                    assertThat(p).as("battery %s power in slot %d", bat.id(), j)
                            .isBetween(-bat.maxDischargeKw() - TOL, bat.maxChargeKw() + TOL);
                }
                // outside its band, the reference may be followed at the slot's boundaries (the battery is held
                // at one power within a slot, the reference stops at the edge)
                double withoutStart = without;
                for (int step = 0; step < STEPS; step++) {
                    without = holdUntilBand(bat, without, hold, dt);
                }
                double low = Math.min(bat.minKwh(), Math.min(withoutStart, without));
                double high = Math.max(bat.maxKwh(), Math.max(withoutStart, without));
                for (int step = 0; step < STEPS; step++) {
                    with = inEvent ? stored(bat, with, p, dt) : holdUntilBand(bat, with, hold, dt);
                    if (inEvent) {
                        assertThat(with).as("battery %s stays above its band (or the reference) in slot %d", bat.id(), j)
                                .isGreaterThanOrEqualTo(low - TOL);
                        assertThat(with).as("battery %s stays under its band (or the reference) in slot %d", bat.id(), j)
                                .isLessThanOrEqualTo(high + TOL);
                    }
                }
            }
        }

        for (int e = 0; e < site.evs().size(); e++) {
            EvFlex ev = site.evs().get(e);
            double d = share[nb + e];
            double with = 0;
            double without = 0;
            Instant t = slots.get(0).start();
            for (int j = 0; j < k + m; j++) {
                Slot slot = slots.get(j);
                Instant slotStart = slot.start();
                double hold = Math.min(ev.maxKw(), ev.plan().stream().filter(pp -> !slotStart.isBefore(pp.start()) && slotStart.isBefore(pp.end()))
                        .mapToDouble(FlexSite.PlannedPower::kw).map(w -> Math.max(0, w)).findFirst().orElse(ev.powerKw()));
                boolean inEvent = j >= k;
                double ref = calc.evReferenceKw(e, j);
                double p = ref;
                if (inEvent && d > 0) {
                    p = dir == Direction.SHED ? (ref - d < ev.minKw() ? 0 : ref - d) : ref + d;
                    assertThat(p).as("EV %s power", ev.id()).isBetween(0.0, ev.maxKw() + TOL);
                    if (dir == Direction.ADD) {
                        assertThat(ref).as("EV %s is only raised while it charges at its minimum", ev.id())
                                .isGreaterThanOrEqualTo(ev.minKw() - TOL);
                        assertThat(slot.end()).as("EV %s is only raised before it leaves", ev.id()).isBeforeOrEqualTo(ev.departure());
                    }
                }
                double dt = slot.hours() / STEPS;
                boolean controlled = inEvent && d > 0;
                for (int step = 0; step < STEPS; step++) {
                    boolean present = t.isBefore(ev.departure());
                    without += present ? Math.min(Math.max(0, ev.neededKwh() - without), hold * dt) : 0;
                    if (controlled) {
                        assertThat(present).as("EV %s is there while it is dispatched", ev.id()).isTrue();
                        // raised, it must take it all (asserted below); lowered, it stops when full like any EV
                        with += dir == Direction.ADD ? p * dt : Math.min(Math.max(0, ev.neededKwh() - with), p * dt);
                    } else {
                        with += present ? Math.min(Math.max(0, ev.neededKwh() - with), hold * dt) : 0;
                    }
                    t = t.plusNanos((long) (dt * 3.6e12));
                }
            }
            if (dir == Direction.ADD) {
                assertThat(with).as("EV %s is not given more than it needs", ev.id()).isLessThanOrEqualTo(ev.neededKwh() + TOL);
            }
            Instant end = slots.get(k + m - 1).end();
            double left = Math.max(0, Duration.between(end, ev.departure()).toNanos() / 3.6e12);
            double reachableWithout = Math.min(ev.neededKwh(), without + ev.maxKw() * left);
            double reachableWith = Math.min(ev.neededKwh(), with + ev.maxKw() * left);
            if (reachableWithout >= ev.neededKwh() - TOL) {
                assertThat(reachableWith).as("EV %s still gets what it needs by %s", ev.id(), ev.departure())
                        .isGreaterThanOrEqualTo(ev.neededKwh() - 1e-5);
            }
        }

        for (int j = k; j < k + m; j++) {
            double imp = site.uncontrolledKw();
            for (int b = 0; b < nb; b++) {
                imp += calc.batteryReferenceKw(b, j) + (dir == Direction.SHED ? -share[b] : share[b]);
            }
            for (int e = 0; e < site.evs().size(); e++) {
                double ref = calc.evReferenceKw(e, j);
                double d = share[nb + e];
                double p = d <= 0 ? ref : dir == Direction.SHED ? (ref - d < site.evs().get(e).minKw() ? 0 : ref - d) : ref + d;
                imp += p;
            }
            double reference = calc.referenceImportKw(j);
            if (dir == Direction.SHED) {
                assertThat(imp).as("import in slot %d is shed by the offer", j).isLessThanOrEqualTo(reference - kw + TOL);
            } else if (kw > 0) {
                assertThat(imp).as("import in slot %d stays under the planning limit", j)
                        .isLessThanOrEqualTo(site.planningLimitKw() + TOL);
            }
        }
    }

    /** What the battery's plan says for the slot starting at {@code t}, else the power it holds now. */
    private static double planned(BatteryFlex b, Instant t) {
        return b.plan().stream().filter(p -> !t.isBefore(p.start()) && t.isBefore(p.end())).mapToDouble(FlexSite.PlannedPower::kw)
                .findFirst().orElse(b.powerKw());
    }

    private static double stored(BatteryFlex b, double e, double kw, double hours) {
        return kw >= 0 ? e + kw * b.chargeEfficiency() * hours : e + kw / b.dischargeEfficiency() * hours;
    }

    /** Holding a power until the band's edge, then stopping (the reference a battery follows without a dispatch). */
    private static double holdUntilBand(BatteryFlex b, double e, double kw, double hours) {
        if (kw > 0) {
            return e >= b.maxKwh() ? e : Math.min(b.maxKwh(), stored(b, e, kw, hours));
        }
        if (kw < 0) {
            return e <= b.minKwh() ? e : Math.max(b.minKwh(), stored(b, e, kw, hours));
        }
        return e;
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> offsetSeconds = Arbitraries.integers().between(0, 3600);
        Arbitrary<Integer> slotMinutes = Arbitraries.of(5, 15, 30, 60);
        Arbitrary<Integer> horizonHours = Arbitraries.integers().between(1, 4);
        Arbitrary<Double> uncontrolled = Arbitraries.doubles().between(-20, 60);
        Arbitrary<Double> limit = Arbitraries.doubles().between(5, 150);
        return Combinators.combine(offsetSeconds, slotMinutes, horizonHours, uncontrolled, limit, batteries().list().ofMaxSize(3),
                evs().list().ofMaxSize(4)).as((off, slot, h, u, lim, bats, evs) -> {
                    Instant now = T0.plusSeconds(off);
                    List<EvFlex> placed = evs.stream().map(ev -> new EvFlex(ev.id(), ev.powerKw(), ev.minKw(), ev.maxKw(),
                            ev.neededKwh(), now.plusSeconds(ev.departure().getEpochSecond() - T0.getEpochSecond()), ev.plan())).toList();
                    return new Case(new FlexSite(now, u, lim, bats, placed),
                            Slot.aligned(now, Duration.ofMinutes(slot), Duration.ofHours(h)));
                });
    }

    private Arbitrary<BatteryFlex> batteries() {
        Arbitrary<Double> capacity = Arbitraries.doubles().between(2, 100);
        Arbitrary<Double> minSoc = Arbitraries.doubles().between(0, 0.5);
        Arbitrary<Double> width = Arbitraries.doubles().between(0.05, 1);
        Arbitrary<Double> socInBand = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.doubles().between(0, 1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0.0, 1.0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.doubles().between(-0.3, 1.3))); // outside the band
        Arbitrary<Double> charge = Arbitraries.doubles().between(0, 50);
        Arbitrary<Double> discharge = Arbitraries.doubles().between(0, 50);
        Arbitrary<Double> power = Arbitraries.doubles().between(-60, 60);
        Arbitrary<Double> eta = Arbitraries.doubles().between(0.8, 1);
        Arbitrary<BatteryFlex> unplanned = Combinators.combine(capacity, minSoc, width, socInBand, charge, discharge, power, eta)
                .as((cap, min, w, at, ch, dis, p, n) -> {
                    double minKwh = min * cap;
                    double maxKwh = Math.min(1, min + w) * cap;
                    double stored = Math.max(0, Math.min(cap, minKwh + at * (maxKwh - minKwh)));
                    return new BatteryFlex("b" + Math.abs(Double.hashCode(cap) % 1000), stored, minKwh, maxKwh, ch, dis, p, n, n);
                });
        // a planner's quarter hours from T0 (before and within the cases' horizons), some of them missing
        Arbitrary<List<Double>> plan = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just(List.of())),
                net.jqwik.api.Tuple.of(2, Arbitraries.doubles().between(-60, 60).injectNull(0.2).list().ofMaxSize(24)));
        return Combinators.combine(unplanned, plan).as((b, kws) -> {
            List<FlexSite.PlannedPower> entries = new java.util.ArrayList<>();
            for (int i = 0; i < kws.size(); i++) {
                if (kws.get(i) != null) {
                    Instant start = T0.plusSeconds(i * 900L);
                    entries.add(new FlexSite.PlannedPower(start, start.plusSeconds(900), kws.get(i)));
                }
            }
            return new BatteryFlex(b.id(), b.storedKwh(), b.minKwh(), b.maxKwh(), b.maxChargeKw(), b.maxDischargeKw(), b.powerKw(),
                    b.chargeEfficiency(), b.dischargeEfficiency(), entries);
        });
    }

    private Arbitrary<EvFlex> evs() {
        Arbitrary<Double> max = Arbitraries.doubles().between(1.4, 22);
        Arbitrary<Double> minShare = Arbitraries.doubles().between(0, 0.6);
        Arbitrary<Double> powerShare = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.doubles().between(0, 1)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(1.0)), net.jqwik.api.Tuple.of(1, Arbitraries.just(0.0)));
        Arbitrary<Double> needed = Arbitraries.doubles().between(0, 80);
        Arbitrary<Integer> departureMinutes = Arbitraries.integers().between(1, 6 * 60);
        Arbitrary<EvFlex> unplanned = Combinators.combine(max, minShare, powerShare, needed, departureMinutes).as((mx, mn, ps, need, dep) ->
                new EvFlex("ev" + dep, mx * ps, mx * mn, mx, need, T0.plusSeconds(dep * 60L)));
        // the deadline planner's quarter hours (share of the maximum), some missing
        Arbitrary<List<Double>> plan = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just(List.of())),
                net.jqwik.api.Tuple.of(1, Arbitraries.doubles().between(0, 1).injectNull(0.2).list().ofMaxSize(24)));
        return Combinators.combine(unplanned, plan).as((ev, shares) -> {
            List<FlexSite.PlannedPower> entries = new java.util.ArrayList<>();
            for (int i = 0; i < shares.size(); i++) {
                if (shares.get(i) != null) {
                    Instant start = T0.plusSeconds(i * 900L);
                    entries.add(new FlexSite.PlannedPower(start, start.plusSeconds(900), shares.get(i) * ev.maxKw()));
                }
            }
            return new EvFlex(ev.id(), ev.powerKw(), ev.minKw(), ev.maxKw(), ev.neededKwh(), ev.departure(), entries);
        });
    }
}
