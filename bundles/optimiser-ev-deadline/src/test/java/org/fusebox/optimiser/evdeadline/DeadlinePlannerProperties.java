package org.fusebox.optimiser.evdeadline;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fusebox.optimiser.evdeadline.Instances.Instance;

/**
 * Over random fleets, slots, prices and caps per slot: limits hold, deadlines are met when they can be, cost
 * is optimal. {@link SitePlanningProperties} does the same over random sites, forecasts and battery plans.
 */
class DeadlinePlannerProperties {

    private static final double EPS = 1e-6;
    private final DeadlinePlanner planner = new DeadlinePlanner();

    @Property(tries = 1000)
    void neverOverTheCapOrAnEvsMaximum(@ForAll("anyInstance") Instance in) {
        ChargePlan plan = planner.plan(in.slots(), in.evs());
        for (int t = 0; t < in.slots().size(); t++) {
            assertThat(plan.totalKw(t)).as("slot %d", t).isLessThanOrEqualTo(Math.max(0, in.slots().get(t).capKw()) + EPS);
            for (int i = 0; i < in.evs().size(); i++) {
                assertThat(plan.kw(i, t)).as("ev %d slot %d", i, t).isBetween(0.0, in.evs().get(i).maxKw() + EPS);
            }
        }
    }

    @Property(tries = 1000)
    void nothingPlannedAfterDeparture(@ForAll("anyInstance") Instance in) {
        ChargePlan plan = planner.plan(in.slots(), in.evs());
        for (int i = 0; i < in.evs().size(); i++) {
            for (int t = 0; t < in.slots().size(); t++) {
                if (in.slots().get(t).end().isAfter(in.evs().get(i).departure())) {
                    assertThat(plan.kw(i, t)).as("ev %d slot %d", i, t).isZero();
                }
            }
        }
    }

    @Property(tries = 1000)
    void withMinimumPowerEveryEvIsOffOrAtLeastItsMinimum(@ForAll("withMinPower") Instance in) {
        ChargePlan plan = planner.plan(in.slots(), in.evs());
        for (int i = 0; i < in.evs().size(); i++) {
            for (int t = 0; t < in.slots().size(); t++) {
                double kw = plan.kw(i, t);
                assertThat(kw == 0 || kw >= in.evs().get(i).minKw() - EPS).as("ev %d slot %d at %s kW", i, t, kw).isTrue();
            }
        }
    }

    @Property(tries = 1000)
    void neverDeliversMoreThanAsked(@ForAll("withoutMinPower") Instance in) {
        ChargePlan plan = planner.plan(in.slots(), in.evs());
        for (int i = 0; i < in.evs().size(); i++) {
            assertThat(plan.deliveredKwh(i)).isLessThanOrEqualTo(in.evs().get(i).energyKwh() + EPS);
        }
    }

    @Property(tries = 400)
    void everyFeasibleDeadlineIsMetAndAsMuchAsPossibleIsDelivered(@ForAll("withoutMinPower") Instance in) {
        ChargePlan plan = planner.plan(in.slots(), in.evs());
        LpReference.Optimum lp = LpReference.solve(in.slots(), in.evs(), false);
        double need = in.evs().stream().mapToDouble(EvDemand::energyKwh).sum();
        double delivered = 0;
        for (int i = 0; i < in.evs().size(); i++) {
            delivered += plan.deliveredKwh(i);
        }
        assertThat(delivered).isCloseTo(lp.deliveredKwh(), org.assertj.core.data.Offset.offset(1e-4));
        if (lp.deliveredKwh() >= need - 1e-5) {
            assertThat(plan.shortfalls()).isEmpty();
        }
    }

    @Property(tries = 400)
    void costIsWithinOnePercentOfTheLinearProgram(@ForAll("withoutMinPower") Instance in) {
        ChargePlan plan = planner.plan(in.slots(), in.evs());
        LpReference.Optimum lp = LpReference.solve(in.slots(), in.evs(), false);
        double tolerance = 0.01 * Math.abs(lp.cost()) + 1e-4;
        assertThat(plan.cost()).isLessThanOrEqualTo(lp.cost() + tolerance);
    }

    @Provide
    Arbitrary<Instance> anyInstance() {
        return net.jqwik.api.Arbitraries.oneOf(withMinPower(), withoutMinPower());
    }

    /** Half with one cap for every slot, half with a cap of its own per slot (forecasts, battery plan). */
    @Provide
    Arbitrary<Instance> withMinPower() {
        return net.jqwik.api.Arbitraries.oneOf(Instances.arbitrary(6, 12, true), Instances.arbitraryCapPerSlot(6, 12, true));
    }

    @Provide
    Arbitrary<Instance> withoutMinPower() {
        return net.jqwik.api.Arbitraries.oneOf(Instances.arbitrary(6, 12, false), Instances.arbitraryCapPerSlot(6, 12, false));
    }
}
