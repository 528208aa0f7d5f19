package org.fusebox.optimiser.peakshaving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class IntervalMeterTest {

    private static final Instant T0 = Instant.parse("2026-01-15T18:00:00Z");
    private static final BillingIntervals QUARTERS = new BillingIntervals(Duration.ofMinutes(15), ZoneOffset.UTC);

    private static IntervalMeter meter() {
        return new IntervalMeter(QUARTERS, Duration.ofSeconds(30));
    }

    @Test
    void intervalsFollowTheClockOfTheSiteZone() {
        assertThat(QUARTERS.startOf(T0.plusSeconds(14 * 60 + 59))).isEqualTo(T0);
        assertThat(QUARTERS.startOf(T0.plusSeconds(15 * 60))).isEqualTo(T0.plusSeconds(900));
        // India is UTC+05:30: hourly intervals start on its own full hour, at half past in UTC.
        BillingIntervals kolkata = new BillingIntervals(Duration.ofHours(1), ZoneId.of("Asia/Kolkata"));
        assertThat(kolkata.startOf(Instant.parse("2026-01-15T18:10:00Z"))).isEqualTo(Instant.parse("2026-01-15T17:30:00Z"));
        // Summer time in Brussels moves whole hours: quarters stay on :00/:15/:30/:45.
        BillingIntervals brussels = new BillingIntervals(Duration.ofMinutes(15), ZoneId.of("Europe/Brussels"));
        assertThat(brussels.startOf(Instant.parse("2026-03-29T01:07:00Z"))).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
    }

    @Test
    void integratesPowerAndSplitsTheStepOverTheBoundary() {
        IntervalMeter m = meter();
        IntervalMeter.Update u = m.update(T0, 36_000, 0);
        assertThat(u.current().complete()).isTrue();
        assertThat(u.current().wattHours()).isZero();
        for (int s = 10; s < 900; s += 10) {
            u = m.update(T0.plusSeconds(s), 36_000, 0);
        }
        // 890 s at 36 kW = 8.9 kWh.
        assertThat(u.current().wattHours()).isCloseTo(8_900, within(1e-6));
        assertThat(u.current().source()).isEqualTo(IntervalMeter.Source.POWER);
        u = m.update(T0.plusSeconds(904), 36_000, 0);
        assertThat(u.closed()).isNotNull();
        assertThat(u.closed().wattHours()).isCloseTo(9_000, within(1e-6));
        assertThat(u.closed().averageWatts()).isCloseTo(36_000, within(1e-6));
        assertThat(u.closed().complete()).isTrue();
        assertThat(u.current().start()).isEqualTo(T0.plusSeconds(900));
        assertThat(u.current().wattHours()).isCloseTo(40, within(1e-6));
        assertThat(u.current().complete()).isTrue();
    }

    @Test
    void prefersTheRegisterWhichCountsWhatHappensBetweenReadings() {
        IntervalMeter m = meter();
        m.update(T0, 10_000, 5_000_000);
        // A 40 kW spike between two readings that both show 10 kW: only the register sees it.
        IntervalMeter.Update u = m.update(T0.plusSeconds(10), 10_000, 5_000_000 + 111.1);
        assertThat(u.current().wattHours()).isCloseTo(111.1, within(1e-6));
        assertThat(u.current().source()).isEqualTo(IntervalMeter.Source.REGISTER);
    }

    @Test
    void aCoarseOrStuckRegisterIsCoveredByThePowerCount() {
        IntervalMeter m = meter();
        m.update(T0, 36_000, 5_000_000);
        IntervalMeter.Update u = null;
        for (int s = 1; s <= 20; s++) {
            u = m.update(T0.plusSeconds(s), 36_000, 5_000_000); // a 1 kWh register has not moved yet
        }
        assertThat(u.current().wattHours()).isCloseTo(200, within(1e-6));
        assertThat(u.current().source()).isEqualTo(IntervalMeter.Source.POWER);
    }

    @Test
    void aRegisterThatGoesBackwardsIsCountedFromPowerForThatStep() {
        IntervalMeter m = meter();
        m.update(T0, 36_000, 5_000_000);
        m.update(T0.plusSeconds(10), 36_000, 5_000_100);
        IntervalMeter.Update u = m.update(T0.plusSeconds(20), 36_000, 42); // meter replaced
        assertThat(u.current().wattHours()).isCloseTo(200, within(1e-6));
        u = m.update(T0.plusSeconds(30), 36_000, 142);
        assertThat(u.current().wattHours()).isCloseTo(300, within(1e-6));
    }

    @Test
    void joiningLateEstimatesTheUnseenPartAtTheImportNow() {
        IntervalMeter m = meter();
        IntervalMeter.Update u = m.update(T0.plusSeconds(300), 12_000, 0);
        assertThat(u.current().wattHours()).isCloseTo(1_000, within(1e-6));
        assertThat(u.current().complete()).isFalse();
        // Export counts as no import.
        u = m.update(T0.plusSeconds(310), -5_000, 0);
        assertThat(u.current().wattHours()).isCloseTo(1_000, within(1e-6));
    }

    @Test
    void aClockThatJumpsBackWithinTheIntervalSkipsTheStep() {
        IntervalMeter m = meter();
        m.update(T0, 36_000, 0);
        m.update(T0.plusSeconds(100), 36_000, 0);
        IntervalMeter.Update u = m.update(T0.plusSeconds(50), 36_000, 0);
        assertThat(u.current().wattHours()).isCloseTo(1_000, within(1e-6));
        assertThat(u.closed()).isNull();
        u = m.update(T0.plusSeconds(60), 36_000, 0);
        assertThat(u.current().wattHours()).isCloseTo(1_100, within(1e-6));
    }

    @Test
    void aClockThatJumpsBackIntoAnEarlierIntervalStartsItAfresh() {
        IntervalMeter m = meter();
        m.update(T0, 36_000, 0);
        m.update(T0.plusSeconds(100), 36_000, 0);
        IntervalMeter.Update u = m.update(T0.minusSeconds(600), 18_000, 0);
        assertThat(u.closed()).isNotNull();
        assertThat(u.closed().complete()).isFalse();
        assertThat(u.current().start()).isEqualTo(T0.minusSeconds(900));
        assertThat(u.current().wattHours()).isCloseTo(1_500, within(1e-6)); // 300 s unseen at 18 kW
        assertThat(u.current().complete()).isFalse();
    }

    @Test
    void aLongGapOverABoundaryStartsTheNewIntervalAfreshAndMarksBothIncomplete() {
        IntervalMeter m = meter();
        m.update(T0, 36_000, 5_000_000);
        m.update(T0.plusSeconds(10), 36_000, 5_000_100);
        // The clock leaps two hours (or the meter was silent): neither the register nor the power says how
        // the energy of the gap splits, so the new interval is estimated from the import now.
        IntervalMeter.Update u = m.update(T0.plusSeconds(7_200 + 60), 6_000, 5_000_150);
        assertThat(u.closed().wattHours()).isCloseTo(100, within(1e-6));
        assertThat(u.closed().complete()).isFalse();
        assertThat(u.current().start()).isEqualTo(T0.plusSeconds(7_200));
        assertThat(u.current().wattHours()).isCloseTo(100, within(1e-6));
        assertThat(u.current().complete()).isFalse();
        u = m.update(T0.plusSeconds(7_200 + 70), 6_000, 5_000_170);
        assertThat(u.current().wattHours()).isCloseTo(120, within(1e-6));
    }

    @Test
    void aLongGapWithinTheIntervalIsCountedByTheRegister() {
        IntervalMeter m = meter();
        m.update(T0, 0, 5_000_000);
        IntervalMeter.Update u = m.update(T0.plusSeconds(600), 0, 5_004_000);
        assertThat(u.current().wattHours()).isCloseTo(4_000, within(1e-6));
        assertThat(u.current().complete()).isTrue();
    }
}
