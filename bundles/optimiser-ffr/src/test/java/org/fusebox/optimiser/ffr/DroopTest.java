package org.fusebox.optimiser.ffr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DroopTest {

    private static final FfrSettings S = FfrSettings.DEFAULTS; // 50 Hz, ±0.2 Hz band, full at ±0.5 Hz

    @Test
    void nothingInsideTheDeadBandEdgesIncluded() {
        for (double hz : new double[] {50.0, 49.95, 50.1, 49.8, 50.2, 49.800000001}) {
            assertThat(Droop.response(hz, S)).as("%s Hz", hz).isZero();
        }
        assertThat(Droop.response(Double.NaN, S)).isZero();
    }

    @Test
    void linearBeyondTheBandUpToTheFullDeviation() {
        assertThat(Droop.response(49.7, S)).isCloseTo(-1.0 / 3, within(1e-9));
        assertThat(Droop.response(49.6, S)).isCloseTo(-2.0 / 3, within(1e-9));
        assertThat(Droop.response(50.35, S)).isCloseTo(0.5, within(1e-9));
        assertThat(Droop.response(49.79, S)).isCloseTo(-0.01 / 0.3, within(1e-9));
    }

    @Test
    void saturatesAtTheFullDeviationBothWays() {
        assertThat(Droop.response(49.5, S)).isCloseTo(-1, within(1e-9));
        assertThat(Droop.response(47.0, S)).isEqualTo(-1);
        assertThat(Droop.response(50.5, S)).isCloseTo(1, within(1e-9));
        assertThat(Droop.response(52.0, S)).isEqualTo(1);
    }

    @Test
    void followsItsConfiguration() {
        FfrSettings sixty = FfrSettings.from(Sites.props("nominalHz", 60, "deadBandHz", "0.036", "fullResponseDeviationHz", 0.5));
        assertThat(Droop.response(60.03, sixty)).isZero();
        assertThat(Droop.response(59.5, sixty)).isCloseTo(-1, within(1e-9));
        assertThat(Droop.response(60.268, sixty)).isCloseTo(0.5, within(1e-9));
        assertThat(Droop.response(49.7, sixty)).isEqualTo(-1); // far under 60 Hz
    }
}
