package org.fusebox.optimiser.battery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.fusebox.optimiser.battery.Instances.Instance;

class SocPlannerProperties {

    private final SocPlanner planner = new SocPlanner();

    @Property(tries = 300)
    void socStaysInTheBandAndPowersWithinTheirBounds(@ForAll long seed, @ForAll @IntRange(min = 1, max = 48) int slots) {
        Instance in = Instances.random(seed, slots, 200, false);
        Schedule s = planner.plan(in.slots(), in.model(), in.storedKwh());
        BatteryModel m = in.model();
        for (int t = 0; t < slots; t++) {
            Slot slot = in.slots().get(t);
            assertThat(s.powerKw()[t]).isBetween(slot.minKw() - 1e-9, slot.maxKw() + 1e-9);
            double before = s.storedKwh()[t];
            double after = s.storedKwh()[t + 1];
            // Inside the band it stays inside; outside it only moves towards the band.
            if (before >= m.minKwh() - 1e-9) {
                assertThat(after).isGreaterThanOrEqualTo(Math.min(before, m.minKwh()) - 1e-9);
            } else {
                assertThat(after).isGreaterThanOrEqualTo(before - 1e-9);
            }
            if (before <= m.maxKwh() + 1e-9) {
                assertThat(after).isLessThanOrEqualTo(Math.max(before, m.maxKwh()) + 1e-9);
            } else {
                assertThat(after).isLessThanOrEqualTo(before + 1e-9);
            }
        }
    }

    @Property(tries = 300)
    void theSetpointNowStaysWithinTheFirstSlotsBoundsAndTheBand(@ForAll long seed, @ForAll @IntRange(min = 1, max = 48) int slots) {
        checkTheSetpointNow(Instances.random(seed, slots, 200, false));
    }

    /**
     * Found by the property above (jqwik seed -4543903006315886670): slot 0 exports at 0.145 and imports at
     * 0.047, so charging fully and discharging fully are both local optima. The grid's deepest discharge falls
     * 0.41 of a step short of the slot's -4.78 kW bound, which tips the grid's plan to charging at 8.40 kW;
     * priced exactly, the bound is the better move, and the setpoint takes it.
     */
    @Example
    void aSetpointAgainstTheGridsFirstMoveIsTheBetterBound() {
        Instance in = Instances.random(97002, 25, 200, false);
        checkTheSetpointNow(in);
        Schedule s = planner.plan(in.slots(), in.model(), in.storedKwh());
        Slot first = in.slots().get(0);
        assertThat(s.powerKw()[0]).isGreaterThan(8);
        assertThat(s.firstKw()).isEqualTo(first.minKw());
        // Re-planned exactly from where it lands, the setpoint beats the grid's own first move.
        assertThat(objectiveStartingWith(in, s.firstKw())).isLessThan(s.objective() - 0.01);
        assertThat(objectiveStartingWith(in, s.powerKw()[0])).isCloseTo(s.objective(), within(1e-9));
    }

    private void checkTheSetpointNow(Instance in) {
        Schedule s = planner.plan(in.slots(), in.model(), in.storedKwh());
        Slot first = in.slots().get(0);
        BatteryModel m = in.model();
        assertThat(s.firstKw()).isBetween(first.minKw() - 1e-9, first.maxKw() + 1e-9);
        double after = in.storedKwh() + m.storedChange(s.firstKw(), first.hours());
        assertThat(after).isBetween(Math.min(in.storedKwh(), m.minKwh()) - 1e-9, Math.max(in.storedKwh(), m.maxKwh()) + 1e-9);
        // Mostly the setpoint refines the plan's own first move. But the value of the first move need not be
        // convex (a feed-in above the import price, negative prices): a full move either way can be a local
        // optimum, and the grid, short of a bound by part of a step, may rank them the other way than the
        // exact bound does. Against the plan's first move the setpoint is only ever that bound, or where the
        // band stops it on the way there.
        if (s.firstKw() * s.powerKw()[0] < 0) {
            boolean atBound = s.firstKw() < 0 ? s.firstKw() == first.minKw() : s.firstKw() == first.maxKw();
            boolean atBand = s.firstKw() < 0 ? after < m.minKwh() + m.stepKwh() : after > m.maxKwh() - m.stepKwh();
            assertThat(atBound || atBand)
                    .as("setpoint %s kW against the plan's %s kW is neither the slot's bound [%s, %s] nor stopped by the band (%s kWh after)",
                            s.firstKw(), s.powerKw()[0], first.minKw(), first.maxKw(), after)
                    .isTrue();
        }
    }

    /** The objective of moving at {@code kw} in the first slot and then following the exact plan from there. */
    private double objectiveStartingWith(Instance in, double kw) {
        BatteryModel m = in.model();
        Slot first = in.slots().get(0);
        double delta = m.storedChange(kw, first.hours());
        Schedule rest = planner.plan(in.slots().subList(1, in.slots().size()), m, in.storedKwh() + delta);
        return first.gridCost(kw) + m.degradation(delta) - m.terminalValuePerKwh() * delta + rest.objective();
    }

    @Property(tries = 300)
    void storedEnergyFollowsThePowersThroughTheEfficiencies(@ForAll long seed, @ForAll @IntRange(min = 1, max = 48) int slots) {
        Instance in = Instances.random(seed, slots, 200, false);
        Schedule s = planner.plan(in.slots(), in.model(), in.storedKwh());
        BatteryModel m = in.model();
        double charged = 0;
        double discharged = 0;
        for (int t = 0; t < slots; t++) {
            double kwh = s.powerKw()[t] * in.slots().get(t).hours();
            if (kwh > 0) {
                charged += kwh;
            } else {
                discharged -= kwh;
            }
        }
        assertThat(s.storedKwh()[0]).isEqualTo(in.storedKwh());
        assertThat(s.storedKwh()[slots] - s.storedKwh()[0])
                .isCloseTo(charged * m.chargeEfficiency() - discharged / m.dischargeEfficiency(), within(1e-6));
        double cost = 0;
        for (int t = 0; t < slots; t++) {
            cost += in.slots().get(t).gridCost(s.powerKw()[t]);
        }
        assertThat(s.gridCost()).isCloseTo(cost, within(1e-9));
    }

    @Property(tries = 300)
    void neverWorseThanIdleOrSimpleRules(@ForAll long seed, @ForAll @IntRange(min = 1, max = 48) int slots) {
        Instance in = Instances.random(seed, slots, 200, false);
        Schedule dp = planner.plan(in.slots(), in.model(), in.storedKwh());
        Schedule idle = Instances.follow(in, new int[slots + 1]);
        assertThat(dp.objective()).isLessThanOrEqualTo(idle.objective() + 1e-9);
        assertThat(dp.objective()).isLessThanOrEqualTo(priceThresholdRule(in).objective() + 1e-9);
        assertThat(dp.objective()).isLessThanOrEqualTo(selfConsumptionRule(in).objective() + 1e-9);
    }

    /** Tiny instances: every path over the SoC grid is tried. */
    @Property(tries = 200)
    void optimalAgainstBruteForce(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int slots) {
        Instance in = Instances.random(seed, slots, 8, false);
        Schedule dp = planner.plan(in.slots(), in.model(), in.storedKwh());
        double best = bruteForce(in, 0, 0, new int[slots + 1]);
        assertThat(dp.objective()).isCloseTo(best, within(1e-9));
    }

    private double bruteForce(Instance in, int t, int level, int[] path) {
        path[t] = level;
        if (t == in.slots().size()) {
            return Instances.follow(in, path).objective();
        }
        double best = Double.POSITIVE_INFINITY;
        for (int d : Instances.moves(in, in.slots().get(t), level)) {
            best = Math.min(best, bruteForce(in, t + 1, level + d, path));
        }
        return best;
    }

    /** Charge as hard as allowed below the median import price, discharge as hard above it. */
    static Schedule priceThresholdRule(Instance in) {
        double[] prices = in.slots().stream().mapToDouble(Slot::importPrice).sorted().toArray();
        double median = prices[prices.length / 2];
        int[] path = new int[in.slots().size() + 1];
        for (int t = 0; t < in.slots().size(); t++) {
            Slot s = in.slots().get(t);
            List<Integer> moves = Instances.moves(in, s, path[t]);
            int d = s.importPrice() < median ? moves.stream().max(Integer::compare).orElse(0)
                    : s.importPrice() > median ? moves.stream().min(Integer::compare).orElse(0) : 0;
            path[t + 1] = path[t] + d;
        }
        return Instances.follow(in, path);
    }

    /** Store the surplus, cover the load: the move whose power is closest to the negative net load. */
    static Schedule selfConsumptionRule(Instance in) {
        int[] path = new int[in.slots().size() + 1];
        for (int t = 0; t < in.slots().size(); t++) {
            Slot s = in.slots().get(t);
            int k = path[t];
            int d = Instances.moves(in, s, k).stream()
                    .min((a, b) -> Double.compare(Math.abs(in.model().acPower(a * in.model().stepKwh(), s.hours()) + s.netLoadKw()),
                            Math.abs(in.model().acPower(b * in.model().stepKwh(), s.hours()) + s.netLoadKw())))
                    .orElse(0);
            path[t + 1] = k + d;
        }
        return Instances.follow(in, path);
    }

    @Property(tries = 50)
    void idlingIsAlwaysAvailable(@ForAll long seed) {
        Instance in = Instances.random(seed, 6, 50, false);
        for (Slot s : in.slots()) {
            assertThat(Instances.moves(in, s, 0)).contains(0);
        }
        assertThat(Arrays.stream(planner.plan(in.slots(), in.model(), in.storedKwh()).storedKwh()).allMatch(Double::isFinite)).isTrue();
    }
}
