package org.fusebox.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.fusebox.api.units.Phase;
import org.junit.jupiter.api.Test;

/** Building load, sun and clouds: what nobody controls. */
class EnvironmentTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void summerDaysAreLongerThanWinterDaysAt50North() {
        Daylight june = Daylight.on(LocalDate.of(2024, 6, 21), 50, 1);
        Daylight december = Daylight.on(LocalDate.of(2024, 12, 21), 50, 0);
        assertThat(june.dayLengthHours()).isBetween(15.5, 16.8);
        assertThat(december.dayLengthHours()).isBetween(7.6, 8.6);
        assertThat(june.strength()).isGreaterThan(december.strength() * 2);
        // solar noon sits at 13:00 on the clock in summer time
        assertThat((june.sunriseHour() + june.sunsetHour()) / 2).isEqualTo(13.0);
    }

    @Test
    void pvProducesByDayOnlyAndNeverAboveItsPeak() {
        SolarPlant pv = new SolarPlant(10_000, 50, new Random(1));
        ZonedDateTime t = ZonedDateTime.of(2024, 6, 21, 0, 0, 0, 0, BERLIN);
        double noonish = 0;
        for (int minute = 0; minute < 24 * 60; minute++) {
            t = t.plusMinutes(1);
            pv.advance(t, 60);
            assertThat(pv.watts()).isBetween(0.0, pv.peakWatts());
            if (t.getHour() < 4 || t.getHour() >= 23) {
                assertThat(pv.watts()).as("at %s", t).isZero();
            }
            if (t.getHour() >= 12 && t.getHour() < 14) {
                noonish = Math.max(noonish, pv.watts());
            }
        }
        assertThat(noonish).isGreaterThan(0.5 * pv.peakWatts());
        assertThat(pv.producedWattHours()).isPositive();
    }

    @Test
    void curtailmentCapsTheOutput() {
        SolarPlant pv = new SolarPlant(10_000, 50, new Random(1));
        ZonedDateTime noon = ZonedDateTime.of(2024, 6, 21, 13, 0, 0, 0, BERLIN);
        pv.advance(noon, 1);
        double uncapped = pv.watts();
        pv.limitOutput(uncapped / 2);
        pv.advance(noon.plusSeconds(1), 1);
        assertThat(pv.watts()).isLessThanOrEqualTo(uncapped / 2);
        assertThat(pv.availableWatts()).isGreaterThan(pv.watts());
        pv.limitOutput(1e9);
        assertThat(pv.outputCapWatts()).isEqualTo(pv.peakWatts());
    }

    @Test
    void buildingLoadIsLowAtNightAndPeaksInTheEvening() {
        double night = HouseLoad.profileFactor(3);
        assertThat(HouseLoad.profileFactor(7.5)).isGreaterThan(2 * night);
        assertThat(HouseLoad.profileFactor(19)).isGreaterThan(3 * night);
        assertThat(HouseLoad.profileFactor(23.9)).isCloseTo(HouseLoad.profileFactor(0.1), org.assertj.core.data.Offset.offset(0.05));
    }

    @Property(tries = 100)
    void buildingLoadStaysWithinItsNoiseBand(@ForAll long seed, @ForAll @IntRange(min = 1, max = 900) int stepSeconds) {
        HouseLoad house = new HouseLoad(2_000, new Random(seed));
        ZonedDateTime t = ZonedDateTime.of(2024, 3, 1, 0, 0, 0, 0, BERLIN);
        for (int i = 0; i < 200; i++) {
            t = t.plusSeconds(stepSeconds);
            house.advance(t, stepSeconds);
            double hour = t.getHour() + t.getMinute() / 60.0 + t.getSecond() / 3600.0;
            double profile = 2_000 * HouseLoad.profileFactor(hour);
            assertThat(house.watts()).isBetween(profile * HouseLoad.NOISE_LOW - 1e-9, profile * HouseLoad.NOISE_HIGH + 1e-9);
        }
    }

    @Test
    void buildingLoadIsSlightlyUnbalanced() {
        double sum = 0;
        for (Phase p : Phase.values()) {
            sum += HouseLoad.phaseShare(p);
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(HouseLoad.phaseShare(Phase.L1)).isNotEqualTo(HouseLoad.phaseShare(Phase.L3));
        assertThat(HouseLoad.phaseShare(Phase.L1) - HouseLoad.phaseShare(Phase.L3)).isLessThan(0.2);
    }

    @Property(tries = 200)
    void noiseNeverLeavesItsBounds(@ForAll long seed, @ForAll @DoubleRange(min = 0.01, max = 5000) double step,
            @ForAll @DoubleRange(min = 0.5, max = 600) double hold, @ForAll @DoubleRange(min = 0.1, max = 600) double relax) {
        BoundedNoise n = BoundedNoise.uniform(new Random(seed), 0.3, 0.9, hold, relax);
        for (int i = 0; i < 100; i++) {
            assertThat(n.advance(step)).isBetween(0.3, 0.9);
        }
    }

    @Test
    void noiseActuallyMoves() {
        BoundedNoise n = BoundedNoise.uniform(new Random(5), 0, 1, 10, 1);
        double first = n.value();
        boolean moved = false;
        for (int i = 0; i < 20 && !moved; i++) {
            moved = Math.abs(n.advance(Duration.ofSeconds(30).toSeconds()) - first) > 1e-3;
        }
        assertThat(moved).isTrue();
    }
}
