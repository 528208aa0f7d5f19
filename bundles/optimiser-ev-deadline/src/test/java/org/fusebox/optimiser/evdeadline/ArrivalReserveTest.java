package org.fusebox.optimiser.evdeadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reserve on small cases that can be checked by hand. */
class ArrivalReserveTest {

    private static final Instant T0 = Instances.T0; // 18:00
    private static final Instant END = T0.plus(Duration.ofHours(2));
    private final DeadlinePlanner planner = new DeadlinePlanner();

    /** 18:00-19:00 dear, 19:00-20:00 cheap, 10 kW for all EVs together. */
    private static List<Slot> evening() {
        return List.of(new Slot(T0, Duration.ofHours(1), 0.30, 10), new Slot(T0.plus(Duration.ofHours(1)), Duration.ofHours(1), 0.10, 10));
    }

    @Test
    void withoutTheReserveTheEvPluggedInTakesTheCheapHourTheLaterOneNeeds() {
        ChargePlan alone = planner.plan(evening(), List.of(new EvDemand("a", 10, END, 10, 0)));
        assertThat(alone.kw(0, 0)).isZero();
        assertThat(alone.kw(0, 1)).isCloseTo(10, within(1e-9));
    }

    @Test
    void theReserveMovesItToTheDearHourSoThatTheEvArrivingAtSevenCanCharge() {
        ExpectedArrival b = new ExpectedArrival("b", T0.plus(Duration.ofHours(1)), END, 10, 10);
        DeadlinePlanner.Reserved r = planner.plan(evening(), List.of(new EvDemand("a", 10, END, 10, 0)), List.of(b));
        assertThat(r.plan().kw(0, 0)).isCloseTo(10, within(1e-9));
        assertThat(r.plan().kw(0, 1)).isZero();
        assertThat(r.reservedKw()[1]).isCloseTo(10, within(1e-9));
        assertThat(r.keptKwh()[0]).isCloseTo(10, within(1e-9));
    }

    @Test
    void theReserveNeverTakesEnergyAnEvPluggedInNeeds() {
        // a needs 15 kWh at 10 kW: 10 in the first hour and 5 in the second whatever comes; b gets the other 5.
        ExpectedArrival b = new ExpectedArrival("b", T0.plus(Duration.ofHours(1)), END, 10, 10);
        DeadlinePlanner.Reserved r = planner.plan(evening(), List.of(new EvDemand("a", 15, END, 10, 0)), List.of(b));
        assertThat(r.plan().deliveredKwh(0)).isCloseTo(15, within(1e-9));
        assertThat(r.plan().shortfalls()).isEmpty();
        assertThat(r.keptKwh()[0]).isCloseTo(5, within(1e-9));
    }

    @Test
    void anArrivalInsideASlotCutsItAndTheEvPluggedInDrawsMoreBeforeIt() {
        // b arrives at 19:30 into the cheap hour: a takes 19:00-19:30 at its maximum, b the rest of the hour.
        ExpectedArrival b = new ExpectedArrival("b", T0.plus(Duration.ofMinutes(90)), END, 5, 10);
        DeadlinePlanner.Reserved r = planner.plan(evening(), List.of(new EvDemand("a", 5, END, 10, 0)), List.of(b));
        List<Slot> cut = r.plan().slots();
        assertThat(cut).hasSize(3);
        assertThat(cut.get(2).start()).isEqualTo(T0.plus(Duration.ofMinutes(90)));
        assertThat(r.plan().kw(0, 1)).isCloseTo(10, within(1e-9));
        assertThat(r.plan().kw(0, 2)).isZero();
        assertThat(r.reservedKw()[2]).isCloseTo(10, within(1e-9));
        // Over the given slots: 5 kWh in the cheap hour, shown as 5 kW on average.
        ChargePlan merged = DeadlinePlanner.merged(r.plan(), evening());
        assertThat(merged.kw(0, 1)).isCloseTo(5, within(1e-9));
    }

    @Test
    void arrivalsThatChargingOnArrivalWouldServeComeBeforeThoseItWouldNot() {
        // b (19:00, 10 kWh) fits under charging on arrival; c (19:00, after b) does not. Room for b first.
        ExpectedArrival b = new ExpectedArrival("b", T0.plus(Duration.ofHours(1)), END, 8, 10);
        ExpectedArrival c = new ExpectedArrival("c", T0.plus(Duration.ofHours(1)).plusSeconds(60), END, 20, 10);
        boolean[] served = DeadlinePlanner.onArrivalServes(evening(), List.of(new EvDemand("a", 2, END, 10, 0)), List.of(b, c));
        assertThat(served).containsExactly(true, false);
        DeadlinePlanner.Reserved r = planner.plan(evening(), List.of(new EvDemand("a", 2, END, 10, 0)), List.of(b, c));
        assertThat(r.keptKwh()[0]).isCloseTo(8, within(1e-9));
    }
}
