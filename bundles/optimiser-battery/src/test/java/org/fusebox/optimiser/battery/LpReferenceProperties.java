package org.fusebox.optimiser.battery;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.fusebox.optimiser.battery.Instances.Instance;

/**
 * The dynamic program against the continuous optimum: never below it (the LP relaxes the SoC grid), and
 * above it by no more than what rounding an optimal continuous path to the grid can cost.
 */
class LpReferenceProperties {

    private final SocPlanner planner = new SocPlanner();

    @Property(tries = 60)
    void withinTheGridRoundingOfTheContinuousOptimum(@ForAll long seed, @ForAll @IntRange(min = 1, max = 24) int slots) {
        Instance in = Instances.random(seed, slots, 200, true);
        double dp = planner.plan(in.slots(), in.model(), in.storedKwh()).objective();
        double lp = LpReference.solve(in, 0);
        BatteryModel m = in.model();
        double step = m.stepKwh();
        // Rounding a path of the LP with every move one step smaller to the nearest grid levels is feasible
        // for the planner and changes each move by at most one step.
        double shrunk = LpReference.solve(in, step);
        double maxPrice = in.slots().stream().mapToDouble(s -> Math.max(Math.abs(s.importPrice()), Math.abs(s.exportPrice()))).max().orElse(0);
        double perMove = step * (maxPrice / m.chargeEfficiency() + m.degradationPerKwh() / 2);
        double bound = shrunk + slots * perMove + m.terminalValuePerKwh() * step / 2;
        assertThat(dp).isGreaterThanOrEqualTo(lp - 1e-6).isLessThanOrEqualTo(bound + 1e-6);
    }
}
