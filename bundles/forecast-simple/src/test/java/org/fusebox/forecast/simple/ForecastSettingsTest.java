package org.fusebox.forecast.simple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForecastSettingsTest {

    @Test
    void defaultsLearnAndStoreUnderKarafData() {
        ForecastSettings s = ForecastSettings.fromLoad(Configs.of(LoadForecastConfig.class, Map.of()), "/opt/karaf/data");
        assertThat(s.method()).isEqualTo(ForecastSettings.Method.WEEKDAY_PROFILE);
        assertThat(s.curve()).isNull();
        assertThat(s.memoryWeeks()).isEqualTo(4);
        assertThat(s.samplePeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.store()).isEqualTo(Path.of("/opt/karaf/data/fusebox/forecast/site_load.profile"));
        assertThat(ForecastSettings.fromLoad(Configs.of(LoadForecastConfig.class, Map.of()), null).store()).isNull();
    }

    @Test
    void pvBellFromPeakAndCommaSeparatedCurves() {
        ForecastSettings pv = ForecastSettings.fromPv(Configs.of(PvForecastConfig.class,
                Map.of("peakPowerWatts", 8000.0, "sunrise", "06:30", "sunset", "20:30", "zone", "Europe/Brussels")), null);
        assertThat(pv.curve().watts(4 * 13 + 2)).isGreaterThan(7900);
        assertThat(pv.zone()).isEqualTo(ZoneId.of("Europe/Brussels"));
        String[] hourly = { "100,100,100,100,100,100", "200,200,200,200,200,200", "300,300,300,300,300,300",
            "400, 400, 400, 400, 400, 400" };
        ForecastSettings load = ForecastSettings.fromLoad(Configs.of(LoadForecastConfig.class,
                Map.of("curveWatts", hourly, "method", "curve")), null);
        assertThat(load.curve().watts(0)).isEqualTo(100);
        assertThat(load.curve().watts(95)).isEqualTo(400);
    }

    @Test
    void refusesWithEveryReason() {
        assertThatThrownBy(() -> ForecastSettings.fromPv(Configs.of(PvForecastConfig.class, Map.of(
                "method", "guess", "curveWatts", new String[] { "1", "x" }, "peakPowerWatts", 5000.0,
                "zone", "Mars/Olympus", "memoryWeeks", 0, "sampleSeconds", 901)), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("method must be 'curve' or 'weekday-profile', got 'guess'")
                .hasMessageContaining("curveWatts entry 'x' is not a number")
                .hasMessageContaining("either curveWatts or peakPowerWatts")
                .hasMessageContaining("zone 'Mars/Olympus'")
                .hasMessageContaining("memoryWeeks must be within 1..52, got 0")
                .hasMessageContaining("sampleSeconds must be within 1..900, got 901");
        assertThatThrownBy(() -> ForecastSettings.fromPv(Configs.of(PvForecastConfig.class, Map.of(
                "peakPowerWatts", 5000.0, "sunrise", "7h", "sunset", "05:00")), null))
                .hasMessageContaining("sunrise must be a local time like 07:30, got '7h'");
        assertThatThrownBy(() -> ForecastSettings.fromPv(Configs.of(PvForecastConfig.class, Map.of(
                "peakPowerWatts", -1.0)), null))
                .hasMessageContaining("peak power must be finite and not negative");
        assertThatThrownBy(() -> ForecastSettings.fromLoad(Configs.of(LoadForecastConfig.class, Map.of(
                "curveWatts", new String[] { "1", "2", "3" })), null))
                .hasMessageContaining("1, 24 or 96 values, got 3");
    }

    @Test
    void curveMethodNeedsACurve() {
        assertThatThrownBy(() -> ForecastSettings.fromLoad(Configs.of(LoadForecastConfig.class, Map.of("method", "curve")), null))
                .hasMessageContaining("method 'curve' needs a curve");
    }
}
