package org.fusebox.optimiser.evdeadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlinePlannerTest {

    private static final Instant T0 = Instances.T0;
    private final DeadlinePlanner planner = new DeadlinePlanner();

    private static List<Slot> hourly(double cap, double... prices) {
        List<Slot> slots = new ArrayList<>();
        for (int t = 0; t < prices.length; t++) {
            slots.add(new Slot(T0.plusSeconds(3600L * t), Duration.ofHours(1), prices[t], cap));
        }
        return slots;
    }

    private static Instant afterHours(double h) {
        return T0.plusSeconds(Math.round(h * 3600));
    }

    @Test
    void chargesInTheCheapestSlotsBeforeDeparture() {
        List<Slot> slots = hourly(50, 0.30, 0.10, 0.20, 0.05);
        EvDemand ev = new EvDemand("a", 20, afterHours(3), 11, 0);
        ChargePlan plan = planner.plan(slots, List.of(ev));
        // 0.05 is after departure; 11 kWh at 0.10, then 9 at 0.20.
        assertThat(plan.kw(0, 1)).isCloseTo(11, within(1e-9));
        assertThat(plan.kw(0, 2)).isCloseTo(9, within(1e-9));
        assertThat(plan.kw(0, 0)).isZero();
        assertThat(plan.kw(0, 3)).isZero();
        assertThat(plan.cost()).isCloseTo(11 * 0.10 + 9 * 0.20, within(1e-6));
        assertThat(plan.shortfalls()).isEmpty();
    }

    @Test
    void meetsDeadlinesWhereEarliestDeadlineFirstGreedyWouldNot() {
        // Greedy: A takes the whole cheap slot 0, then B (1 kW max) can only reach 2 of its 3 kWh.
        List<Slot> slots = hourly(2, 0.10, 0.20, 0.30);
        EvDemand a = new EvDemand("a", 2, afterHours(2), 2, 0);
        EvDemand b = new EvDemand("b", 3, afterHours(3), 1, 0);
        ChargePlan plan = planner.plan(slots, List.of(a, b));
        assertThat(plan.shortfalls()).isEmpty();
        assertThat(plan.deliveredKwh(0)).isCloseTo(2, within(1e-9));
        assertThat(plan.deliveredKwh(1)).isCloseTo(3, within(1e-9));
    }

    @Test
    void whenTheCapIsTooSmallDeliversAllItCanAndSaysWhoIsShort() {
        List<Slot> slots = hourly(10, 0.30, 0.10);
        EvDemand a = new EvDemand("a", 15, afterHours(2), 11, 0);
        EvDemand b = new EvDemand("b", 10, afterHours(1), 11, 0);
        ChargePlan plan = planner.plan(slots, List.of(a, b));
        double delivered = plan.deliveredKwh(0) + plan.deliveredKwh(1);
        assertThat(delivered).isCloseTo(20, within(1e-9));
        double missing = plan.shortfalls().values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(missing).isCloseTo(5, within(1e-9));
    }

    @Test
    void aSlotCutByTheDepartureIsNotUsed() {
        List<Slot> slots = hourly(50, 0.30, 0.01);
        EvDemand ev = new EvDemand("a", 5, afterHours(1.5), 11, 0);
        ChargePlan plan = planner.plan(slots, List.of(ev));
        assertThat(plan.kw(0, 1)).isZero();
        assertThat(plan.kw(0, 0)).isCloseTo(5, within(1e-9));
    }

    @Test
    void negativePricesDoNotMakeItDeliverMoreThanAsked() {
        List<Slot> slots = hourly(50, -0.05, -0.10, 0.10);
        EvDemand ev = new EvDemand("a", 4, afterHours(3), 11, 0);
        ChargePlan plan = planner.plan(slots, List.of(ev));
        assertThat(plan.deliveredKwh(0)).isCloseTo(4, within(1e-9));
        assertThat(plan.kw(0, 1)).isCloseTo(4, within(1e-9));
    }

    @Test
    void equalPricesPreferTheEarlierSlot() {
        List<Slot> slots = hourly(50, 0.10, 0.10, 0.10);
        ChargePlan plan = planner.plan(slots, List.of(new EvDemand("a", 5, afterHours(3), 11, 0)));
        assertThat(plan.kw(0, 0)).isCloseTo(5, within(1e-9));
    }

    @Test
    void aFragmentBelowTheMinimumIsMovedToASlotAlreadyCharging() {
        // The relaxed optimum is 7.4 kW at 0.10 and 0.6 kW at 0.20; 0.6 kW is below the 4.14 kW minimum.
        List<Slot> slots = hourly(7.4, 0.10, 0.20, 0.30);
        EvDemand ev = new EvDemand("a", 8, afterHours(3), 11, 4.14);
        EvDemand other = new EvDemand("b", 0, afterHours(3), 11, 4.14);
        ChargePlan plan = planner.plan(slots, List.of(ev, other));
        for (int t = 0; t < 3; t++) {
            assertThat(plan.kw(0, t) == 0 || plan.kw(0, t) >= 4.14 - 1e-9).as("slot %d: %s", t, plan.kw(0, t)).isTrue();
        }
        assertThat(plan.deliveredKwh(0)).isGreaterThanOrEqualTo(8 - 1e-9);
    }

    @Test
    void nothingToPlanIsAnEmptyPlan() {
        assertThat(planner.plan(hourly(10, 0.1), List.of()).cost()).isZero();
        assertThat(planner.plan(List.of(), List.of(new EvDemand("a", 5, afterHours(1), 11, 0))).shortfalls()).containsKey("a");
    }
}
