package org.fusebox.vpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fusebox.vpp.FlexSite.BatteryFlex;
import org.fusebox.vpp.FlexSite.EvFlex;
import org.fusebox.vpp.FlexibilityCalculator.Direction;
import org.fusebox.vpp.FlexibilityCalculator.FlexSlot;
import org.junit.jupiter.api.Test;

class FlexibilityCalculatorTest {

    static final Instant T0 = Instant.parse("2026-01-15T18:00:00Z");
    static final double ETA = Math.sqrt(0.9);
    private static final List<Slot> QUARTERS = Slot.aligned(T0, Duration.ofMinutes(15), Duration.ofHours(4));

    /** 20 kWh, 10 kW both ways, 60 % (12 kWh), band 20..100 %, idle. */
    private static BatteryFlex battery(double powerKw) {
        return new BatteryFlex("bat", 12, 4, 20, 10, 10, powerKw, ETA, ETA);
    }

    @Test
    void slotsFollowTheClockAndTheFirstEndsAtTheNextBoundary() {
        List<Slot> slots = Slot.aligned(T0.plusSeconds(7 * 60), Duration.ofMinutes(15), Duration.ofHours(1));
        assertThat(slots).hasSize(4);
        assertThat(slots.get(0).end()).isEqualTo(T0.plusSeconds(15 * 60));
        assertThat(slots.get(3).end()).isEqualTo(T0.plusSeconds(60 * 60));
        assertThat(QUARTERS).hasSize(16);
    }

    @Test
    void aBatteryShedsItsRatingForAsLongAsItsBandAllows() {
        // 8 kWh above the minimum; 10 kW out of the battery takes 10 / 0.949 = 10.54 kW from storage: 2.64 kWh a quarter
        var calc = new FlexibilityCalculator(new FlexSite(T0, 10, 26.22, List.of(battery(0)), List.of()), QUARTERS);
        FlexSlot first = calc.offer().get(0);
        assertThat(first.shedKw()).isEqualTo(10);
        assertThat(first.shedSlots()).isEqualTo(3);
        assertThat(first.shedUntil()).isEqualTo(T0.plusSeconds(45 * 60));
        // over four quarters it can only give 8 kWh x 0.949 / 1 h
        assertThat(calc.total(Direction.SHED, 0, 4)).isCloseTo(8 * ETA, within(1e-6));
        // and adds its charging rating while there is room: 8 kWh / (10 kW x 0.949 x 0.25 h) = 3.37 quarters
        assertThat(first.addKw()).isEqualTo(10);
        assertThat(first.addSlots()).isEqualTo(3);
    }

    @Test
    void theShedNeverTakesTheImportBelowZero() {
        var calc = new FlexibilityCalculator(new FlexSite(T0, 4, 26.22, List.of(battery(0)), List.of()), QUARTERS);
        assertThat(calc.offer().get(0).shedKw()).isEqualTo(4);
    }

    @Test
    void theAddStaysUnderThePlanningLimit() {
        var calc = new FlexibilityCalculator(new FlexSite(T0, 20, 26.22, List.of(battery(0)), List.of()), QUARTERS);
        assertThat(calc.offer().get(0).addKw()).isEqualTo(6.22);
        var over = new FlexibilityCalculator(new FlexSite(T0, 30, 26.22, List.of(battery(0)), List.of()), QUARTERS);
        assertThat(over.offer().get(0).addKw()).isZero();
    }

    @Test
    void aChargingBatteryShedsItsChargingPlusItsDischarge() {
        var calc = new FlexibilityCalculator(new FlexSite(T0, 10, 26.22, List.of(battery(5)), List.of()), QUARTERS);
        assertThat(calc.referenceImportKw(0)).isEqualTo(15);
        assertThat(calc.offer().get(0).shedKw()).isEqualTo(15);
    }

    @Test
    void aBatteryAtItsMinimumShedsNothingButItsCharging() {
        var empty = new BatteryFlex("bat", 4, 4, 20, 10, 10, 3, ETA, ETA);
        var calc = new FlexibilityCalculator(new FlexSite(T0, 10, 26.22, List.of(empty), List.of()), QUARTERS);
        assertThat(calc.offer().get(0).shedKw()).isEqualTo(3);
        var idle = new BatteryFlex("bat", 4, 4, 20, 10, 10, 0, ETA, ETA);
        assertThat(new FlexibilityCalculator(new FlexSite(T0, 10, 26.22, List.of(idle), List.of()), QUARTERS).offer().get(0).shedKw())
                .isZero();
    }

    @Test
    void anEvShedsWhileItsSlackLasts() {
        // 10 kWh in 2 h at 11 kW: paused for m quarters it needs 11 x (2 - m/4) >= 10, so m <= 4
        var ev = new EvFlex("cp/1", 11, 4.14, 11, 10, T0.plusSeconds(2 * 3600));
        var calc = new FlexibilityCalculator(new FlexSite(T0, 0, 26.22, List.of(), List.of(ev)), QUARTERS);
        FlexSlot first = calc.offer().get(0);
        assertThat(first.shedKw()).isEqualTo(11);
        assertThat(first.shedSlots()).isEqualTo(4);
        // an EV that is full by then, or gone, offers nothing
        assertThat(calc.offer().get(8).shedKw()).isZero();
        // it is charging at its maximum: nothing to add
        assertThat(first.addKw()).isZero();
    }

    @Test
    void anEvWithoutSlackShedsNothing() {
        var ev = new EvFlex("cp/1", 11, 4.14, 11, 5.5, T0.plusSeconds(30 * 60));
        var calc = new FlexibilityCalculator(new FlexSite(T0, 0, 26.22, List.of(), List.of(ev)), QUARTERS);
        assertThat(calc.offer().get(0).shedKw()).isZero();
    }

    @Test
    void anEvBelowItsMaximumAddsOnlyWhatItStillNeeds() {
        // at 5 kW of 11, needing 3 kWh: a quarter at 11 kW is 2.75 kWh, within the need
        var ev = new EvFlex("cp/1", 5, 4.14, 11, 3, T0.plusSeconds(3 * 3600));
        var calc = new FlexibilityCalculator(new FlexSite(T0, 0, 26.22, List.of(), List.of(ev)), QUARTERS);
        assertThat(calc.offer().get(0).addKw()).isEqualTo(6);
        assertThat(calc.offer().get(0).addSlots()).isEqualTo(1);
        // over two quarters it may only take the 3 kWh: 6 kW total, 1 kW more than now
        assertThat(calc.total(Direction.ADD, 0, 2)).isCloseTo(1, within(1e-6));
    }

    @Test
    void devicesAddUpAndSharesStayWithinEach() {
        var ev = new EvFlex("cp/1", 11, 4.14, 11, 10, T0.plusSeconds(2 * 3600));
        var calc = new FlexibilityCalculator(new FlexSite(T0, 5, 40, List.of(battery(0)), List.of(ev)), QUARTERS);
        assertThat(calc.total(Direction.SHED, 0, 1)).isEqualTo(16); // capped by the import: 5 + 11
        double[] shares = calc.shares(Direction.SHED, 0, 1, 8);
        assertThat(shares[0] + shares[1]).isCloseTo(8, within(1e-9));
        assertThat(shares[0]).isCloseTo(8 * 10 / 21.0, within(1e-9));
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> new FlexSite(T0, Double.NaN, 10, List.of(), List.of())).hasMessageContaining("uncontrolledKw");
        assertThatThrownBy(() -> new BatteryFlex("b", 1, 5, 4, 1, 1, 0, 1, 1)).hasMessageContaining("minKwh <= maxKwh");
        assertThatThrownBy(() -> new EvFlex("e", 1, 5, 4, 1, T0)).hasMessageContaining("minKw <= maxKw");
        assertThatThrownBy(() -> new FlexibilityCalculator(new FlexSite(T0, 0, 10, List.of(), List.of()), List.of()))
                .hasMessageContaining("no slots");
    }
}
