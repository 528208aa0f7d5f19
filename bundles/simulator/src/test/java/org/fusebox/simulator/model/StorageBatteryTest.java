package org.fusebox.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class StorageBatteryTest {

    private final TestSites.ManualNanos realTime = new TestSites.ManualNanos();

    private StorageBattery battery(double socPercent, double efficiency) {
        SiteConfig c = TestSites.quiet()
                .batteryCapacityWattHours(10_000)
                .batteryMaxChargeWatts(5_000)
                .batteryMaxDischargeWatts(4_000)
                .batteryRoundTripEfficiency(efficiency)
                .batteryInitialSocPercent(socPercent)
                .build();
        return new StorageBattery(c, realTime);
    }

    @Test
    void followsItsSetpointWithinTheRatings() {
        StorageBattery b = battery(50, 0.9);

        b.setPower(3_000);
        b.advance(60, realTime.getAsLong());
        assertThat(b.watts()).isEqualTo(3_000);

        b.setPower(9_000);
        b.advance(60, realTime.getAsLong());
        assertThat(b.watts()).isEqualTo(b.maxChargeWatts());

        b.setPower(-9_000);
        b.advance(60, realTime.getAsLong());
        assertThat(b.watts()).isEqualTo(-b.maxDischargeWatts());
    }

    @Test
    void losesTheSquareRootOfTheRoundTripEfficiencyEachWay() {
        StorageBattery b = battery(50, 0.81);
        double before = b.storedWattHours();

        b.setPower(2_000);
        b.advance(3600, realTime.getAsLong());
        assertThat(b.storedWattHours() - before).isCloseTo(2_000 * 0.9, within(1e-6));

        double beforeDischarge = b.storedWattHours();
        b.setPower(-1_800);
        b.advance(3600, realTime.getAsLong());
        assertThat(beforeDischarge - b.storedWattHours()).isCloseTo(1_800 / 0.9, within(1e-6));
    }

    @Test
    void aFullCycleReturnsTheRoundTripEfficiency() {
        StorageBattery b = battery(0, 0.85);
        b.setPower(5_000);
        while (b.socPercent() < 100) {
            b.advance(60, realTime.getAsLong());
        }
        b.setPower(-4_000);
        while (b.socPercent() > 0) {
            b.advance(60, realTime.getAsLong());
        }
        assertThat(b.dischargedWattHours() / b.chargedWattHours()).isCloseTo(0.85, within(1e-9));
    }

    @Test
    void theBmsStopsChargingWhenFullAndDischargingWhenEmpty() {
        StorageBattery full = battery(100, 0.9);
        full.setPower(5_000);
        full.advance(60, realTime.getAsLong());
        assertThat(full.watts()).isZero();
        assertThat(full.socPercent()).isEqualTo(100);

        StorageBattery empty = battery(0, 0.9);
        empty.setPower(-4_000);
        empty.advance(60, realTime.getAsLong());
        assertThat(empty.watts()).isZero();
        assertThat(empty.socPercent()).isZero();
    }

    @Test
    void reachesFullExactlyWithinAStepAndReportsTheAveragePower() {
        StorageBattery b = battery(99, 1.0);
        b.setPower(5_000);
        b.advance(3600, realTime.getAsLong());
        // 100 Wh of room over one hour: an average of 100 W
        assertThat(b.watts()).isCloseTo(100, within(1e-6));
        assertThat(b.socPercent()).isEqualTo(100);
    }

    @Test
    void idlesWhenItsControllerIsQuietForTheWatchdogTimeout() {
        StorageBattery b = battery(50, 0.9);
        b.setPower(3_000);
        realTime.advance(Duration.ofSeconds(9));
        b.advance(1, realTime.getAsLong());
        assertThat(b.watts()).isEqualTo(3_000);

        realTime.advance(Duration.ofSeconds(2));
        b.advance(1, realTime.getAsLong());
        assertThat(b.watts()).isZero();
        assertThat(b.setpointWatts()).isZero();

        b.setPower(-2_000);
        b.advance(1, realTime.getAsLong());
        assertThat(b.watts()).isEqualTo(-2_000);
    }

    @Test
    void refusesANonFiniteSetpoint() {
        StorageBattery b = battery(50, 0.9);
        assertThatThrownBy(() -> b.setPower(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    record Command(double watts, int seconds) {
    }

    @Provide
    Arbitrary<List<Command>> commands() {
        Arbitrary<Command> one = Combinators.combine(
                Arbitraries.doubles().between(-20_000, 20_000),
                Arbitraries.integers().between(1, 7_200)).as(Command::new);
        return one.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    void socStaysWithinItsRangeAndEnergyIsAccountedFor(@ForAll("commands") List<Command> commands,
            @ForAll @DoubleRange(min = 0, max = 100) double initialSoc,
            @ForAll @DoubleRange(min = 0.5, max = 1.0) double efficiency) {
        StorageBattery b = battery(initialSoc, efficiency);
        double initialStored = b.storedWattHours();
        for (Command c : commands) {
            b.setPower(c.watts());
            b.advance(c.seconds(), realTime.getAsLong());
            assertThat(b.socPercent()).isBetween(0.0, 100.0);
            assertThat(b.storedWattHours()).isBetween(0.0, b.capacityWattHours());
            assertThat(b.watts()).isBetween(-b.maxDischargeWatts(), b.maxChargeWatts());
            // never pushed the other way than asked
            assertThat(b.watts() * c.watts()).isGreaterThanOrEqualTo(0.0);
        }
        double oneWay = Math.sqrt(efficiency);
        double expected = initialStored + b.chargedWattHours() * oneWay - b.dischargedWattHours() / oneWay;
        assertThat(b.storedWattHours()).isCloseTo(expected, within(1e-6 * b.capacityWattHours()));
    }

    @Test
    void reportsTheCommandedSetpointWhileHoldingItsRating() {
        StorageBattery b = battery(50, 0.9);
        b.setPower(12_345);
        b.advance(1, realTime.getAsLong());
        assertThat(b.setpointWatts()).isEqualTo(12_345);
        assertThat(b.watts()).isEqualTo(5_000);
    }
}
