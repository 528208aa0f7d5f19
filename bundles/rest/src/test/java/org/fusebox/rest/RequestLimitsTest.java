package org.fusebox.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestLimitsTest {

    static RestConfig config(double min, double max, int hours) {
        return new RestConfig() {
            public Class<? extends Annotation> annotationType() { return RestConfig.class; }
            public double minEnergyKwh() { return min; }
            public double maxEnergyKwh() { return max; }
            public int maxDepartureHours() { return hours; }
            public int maxStreamClients() { return 32; }
        };
    }

    @Test
    void theDefaultsAreATenthOfAKilowattHourToAMegawattHourWithinAWeek() {
        assertThat(RequestLimits.from(config(0.1, 1000, 168))).isEqualTo(RequestLimits.DEFAULTS);
        assertThat(RequestLimits.DEFAULTS.horizon()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void badBoundsAreRefusedWithEveryReason() {
        assertThatThrownBy(() -> RequestLimits.from(config(Double.NaN, 0, 0)))
                .hasMessageContaining("minEnergyKwh must be a number above 0")
                .hasMessageContaining("maxEnergyKwh must be a number above minEnergyKwh")
                .hasMessageContaining("maxDepartureHours must be at least 1");
        assertThatThrownBy(() -> RequestLimits.from(config(5, 4, 10))).hasMessageContaining("maxEnergyKwh");
    }
}
