package org.fusebox.forecast.simple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalTime;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DailyCurveTest {

    @Test
    void hourlyValuesHoldForTheirFourQuarters() {
        double[] hourly = IntStream.range(0, 24).mapToDouble(h -> h * 100.0).toArray();
        DailyCurve c = DailyCurve.of(hourly);
        assertThat(c.watts(DailyCurve.quarterOf(LocalTime.of(7, 0)))).isEqualTo(700);
        assertThat(c.watts(DailyCurve.quarterOf(LocalTime.of(7, 59)))).isEqualTo(700);
        assertThat(c.watts(DailyCurve.quarterOf(LocalTime.of(8, 0)))).isEqualTo(800);
        assertThat(c.dailyWattHours()).isCloseTo(IntStream.range(0, 24).sum() * 100.0, within(1e-9));
    }

    @Test
    void quarterHourlyAndConstantCurves() {
        double[] q = IntStream.range(0, 96).mapToDouble(i -> i).toArray();
        assertThat(DailyCurve.of(q).watts(95)).isEqualTo(95);
        assertThat(DailyCurve.of(q).watts(DailyCurve.quarterOf(LocalTime.of(12, 20)))).isEqualTo(49);
        assertThat(DailyCurve.of(500).watts(0)).isEqualTo(500);
        assertThat(DailyCurve.of(500).dailyWattHours()).isEqualTo(12_000);
    }

    @Test
    void refusesOtherLengthsAndNegativeValues() {
        assertThatThrownBy(() -> DailyCurve.of(new double[12])).hasMessageContaining("1, 24 or 96 values, got 12");
        assertThatThrownBy(() -> DailyCurve.of(100, -1)).hasMessageContaining("1, 24 or 96");
        double[] withNegative = new double[24];
        withNegative[3] = -5;
        assertThatThrownBy(() -> DailyCurve.of(withNegative)).hasMessageContaining("not negative, got -5");
        assertThatThrownBy(() -> DailyCurve.of(Double.NaN)).hasMessageContaining("finite");
    }

    @Test
    void clearSkyBellIsDarkAtNightSymmetricAndHoldsTheBellsEnergy() {
        DailyCurve c = DailyCurve.clearSky(10_000, LocalTime.of(7, 0), LocalTime.of(19, 0));
        assertThat(c.watts(DailyCurve.quarterOf(LocalTime.of(6, 45)))).isZero();
        assertThat(c.watts(DailyCurve.quarterOf(LocalTime.of(19, 0)))).isZero();
        assertThat(c.watts(DailyCurve.quarterOf(LocalTime.of(7, 0)))).isPositive();
        // The bell peaks at 13:00: the quarters either side of it mirror each other, as do 08:00 and 17:45.
        assertThat(c.watts(DailyCurve.quarterOf(LocalTime.of(12, 45))))
                .isCloseTo(c.watts(DailyCurve.quarterOf(LocalTime.of(13, 0))), within(1e-6));
        assertThat(c.watts(DailyCurve.quarterOf(LocalTime.of(8, 0))))
                .isCloseTo(c.watts(DailyCurve.quarterOf(LocalTime.of(17, 45))), within(1e-6));
        assertThat(c.watts(DailyCurve.quarterOf(LocalTime.of(12, 45)))).isLessThanOrEqualTo(10_000).isGreaterThan(9_900);
        // Integral of peak * sin over 12 h: 2/pi * peak * 12 h.
        assertThat(c.dailyWattHours()).isCloseTo(2 / Math.PI * 10_000 * 12, within(1e-6));
    }

    @Test
    void sunriseInsideAQuarterCountsOnlyItsDaylightPart() {
        DailyCurve c = DailyCurve.clearSky(1000, LocalTime.of(7, 10), LocalTime.of(17, 10));
        assertThat(c.watts(DailyCurve.quarterOf(LocalTime.of(7, 0)))).isPositive()
                .isLessThan(c.watts(DailyCurve.quarterOf(LocalTime.of(7, 15))));
        assertThat(c.dailyWattHours()).isCloseTo(2 / Math.PI * 1000 * 10, within(1e-6));
    }

    @Test
    void refusesABellThatSetsBeforeItRises() {
        assertThatThrownBy(() -> DailyCurve.clearSky(1000, LocalTime.of(19, 0), LocalTime.of(7, 0)))
                .hasMessageContaining("sunrise 19:00 must be before sunset 07:00");
    }
}
