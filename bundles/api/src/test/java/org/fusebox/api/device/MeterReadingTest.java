package org.fusebox.api.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;
import org.junit.jupiter.api.Test;

class MeterReadingTest {

    private static final Instant NOW = Instant.parse("2026-12-08T00:00:00Z");

    private static MeterReading withHz(double hz) {
        return new MeterReading(NOW, Power.ofWatts(1000), PhaseCurrents.ofAmps(1, 2, 3), Voltage.NOMINAL_230,
                Energy.ZERO, Energy.ZERO, hz);
    }

    @Test
    void theSixArgumentReadingHasNoFrequency() {
        MeterReading r = new MeterReading(NOW, Power.ofWatts(1000), PhaseCurrents.ofAmps(1, 2, 3), Voltage.NOMINAL_230,
                Energy.ZERO, Energy.ZERO);

        assertThat(r.frequency()).isEmpty();
        assertThat(r.frequencyHz()).isNaN();
        assertThat(r).isEqualTo(withHz(Double.NaN));
    }

    @Test
    void aMeasuredFrequencyIsCarried() {
        assertThat(withHz(49.7).frequency()).hasValue(49.7);
        assertThat(withHz(49.7).withFrequency(50.2).frequency()).hasValue(50.2);
        assertThat(withHz(49.7).withFrequency(Double.NaN).frequency()).isEmpty();
    }

    @Test
    void aFrequencyOutsideZeroToHundredHertzIsRefused() {
        for (double bad : new double[] {0, -50, 100, 500, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> withHz(bad)).as("%s Hz", bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("frequencyHz must be within 0 and 100 Hz").hasMessageContaining(String.valueOf(bad));
        }
        assertThat(withHz(0.001).frequency()).isPresent();
        assertThat(withHz(99.99).frequency()).isPresent();
    }
}
