package org.fusebox.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.stream.Stream;
import org.fusebox.simulator.SimulatorSettings.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SimulatorSettingsTest {

    private static SimulatorConfig config(Map<String, ?> values) {
        return ConfigValues.of(SimulatorConfig.class, values);
    }

    @Test
    void theDefaultsAreValidAndMakeALivelySite() {
        SimulatorSettings s = SimulatorSettings.from(ConfigValues.defaults(SimulatorConfig.class));
        assertThat(s.speed()).isEqualTo(1);
        assertThat(s.tick()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.startTime()).isEmpty();
        assertThat(s.site().chargers()).isEqualTo(4);
        assertThat(s.site().hasPv()).isTrue();
        assertThat(s.site().hasBattery()).isTrue();
        assertThat(s.site().fuseLimitAmps()).isEqualTo(63);
        assertThat(s.site().zone()).isEqualTo(ZoneId.systemDefault());
        // four chargers at full power would take more than the fuse gives: something to control
        assertThat(s.site().chargers() * s.site().chargerMaxAmps()).isGreaterThan(s.site().fuseLimitAmps());
    }

    @Test
    void convertsUnitsForTheModel() {
        SimulatorSettings s = SimulatorSettings.from(config(Map.of("pvPeakKw", 12.5, "batteryEfficiencyPercent", 81.0,
                "evArrivalMeanMinutes", 1.5, "speed", 60.0, "tickMillis", 500L, "failsafeTimeoutSeconds", 30L)));
        assertThat(s.site().pvPeakWatts()).isEqualTo(12_500);
        assertThat(s.site().batteryRoundTripEfficiency()).isEqualTo(0.81);
        assertThat(s.site().evArrivalMeanInterval()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.site().failsafeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.simulatedStep()).isEqualTo(Duration.ofSeconds(30));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("speed", 0.5, "allowed 1..3600"),
                Arguments.of("speed", 3601.0, "allowed 1..3600"),
                Arguments.of("speed", Double.NaN, "allowed 1..3600"),
                Arguments.of("tickMillis", 0L, "allowed 50..10000"),
                Arguments.of("fuseLimitAmps", 0.0, "allowed 1..4000"),
                Arguments.of("fuseLimitAmps", -63.0, "allowed 1..4000"),
                Arguments.of("baseLoadKw", -1.0, "allowed 0 or more"),
                Arguments.of("pvPeakKw", -5.0, "allowed 0 or more"),
                Arguments.of("batteryCapacityKwh", -1.0, "allowed 0 or more"),
                Arguments.of("batteryMaxChargeKw", 0.0, "must be above 0 when batteryCapacityKwh is above 0"),
                Arguments.of("batteryMaxDischargeKw", -3.0, "must be above 0"),
                Arguments.of("batteryEfficiencyPercent", 0.0, "allowed 1..100"),
                Arguments.of("batteryEfficiencyPercent", 120.0, "allowed 1..100"),
                Arguments.of("batteryInitialSocPercent", 101.0, "allowed 0..100"),
                Arguments.of("chargers", -1, "allowed 0..100"),
                Arguments.of("chargerPhases", 2, "allowed 1 or 3"),
                Arguments.of("chargerMaxAmps", 0.0, "allowed 1..80"),
                Arguments.of("chargerMinAmps", 40.0, "must not exceed chargerMaxAmps=32"),
                Arguments.of("chargerFailsafeAmps", 33.0, "must not exceed chargerMaxAmps=32"),
                Arguments.of("chargerFailsafeAmps", -1.0, "allowed 0..80"),
                Arguments.of("failsafeTimeoutSeconds", 0L, "allowed 1..3600"),
                Arguments.of("evArrivalMeanMinutes", 0.0, "allowed at least 0.1"),
                Arguments.of("startTime", "tomorrow", "ISO-8601"),
                Arguments.of("timeZone", "Mars/Olympus", "zone id"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("refusals")
    void refusesAWrongValueNamingKeyValueAndWhatIsAllowed(String key, Object value, String allowed) {
        assertThatThrownBy(() -> SimulatorSettings.from(config(Map.of(key, value))))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(key + "=" + (value instanceof Double d ? SimulatorSettings.fmt(d) : value))
                .hasMessageContaining(allowed);
    }

    @Test
    void namesEveryWrongValueAtOnce() {
        InvalidConfigurationException e = (InvalidConfigurationException) org.junit.jupiter.api.Assertions.assertThrows(
                InvalidConfigurationException.class,
                () -> SimulatorSettings.from(config(Map.of("speed", 0.0, "chargerPhases", 2, "fuseLimitAmps", -1.0))));
        assertThat(e.reasons()).hasSize(3);
        assertThat(String.join("\n", e.reasons())).contains("speed=0", "chargerPhases=2", "fuseLimitAmps=-1");
    }

    @Test
    void aSiteWithoutBatteryNeedsNoBatteryRatings() {
        SimulatorSettings s = SimulatorSettings.from(config(Map.of("batteryCapacityKwh", 0.0, "batteryMaxChargeKw", 0.0,
                "batteryMaxDischargeKw", 0.0, "pvPeakKw", 0.0, "chargers", 0)));
        assertThat(s.site().hasBattery()).isFalse();
        assertThat(s.site().hasPv()).isFalse();
        assertThat(s.site().chargers()).isZero();
    }

    @Test
    void readsTheStartTimeWithOrWithoutAnOffset() {
        SimulatorSettings utc = SimulatorSettings.from(config(Map.of("startTime", "2024-06-21T06:00:00Z")));
        assertThat(utc.startTime()).contains(Instant.parse("2024-06-21T06:00:00Z"));

        SimulatorSettings local = SimulatorSettings.from(config(Map.of("startTime", "2024-06-21T06:00",
                "timeZone", "Europe/Berlin")));
        assertThat(local.startTime()).contains(Instant.parse("2024-06-21T04:00:00Z"));
        assertThat(local.site().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void tellsAPaceChangeFromASiteChange() {
        SimulatorSettings base = SimulatorSettings.from(config(Map.of()));
        SimulatorSettings faster = SimulatorSettings.from(config(Map.of("speed", 60.0, "tickMillis", 1000L)));
        SimulatorSettings moreChargers = SimulatorSettings.from(config(Map.of("chargers", 6)));
        SimulatorSettings elsewhen = SimulatorSettings.from(config(Map.of("startTime", "2024-01-01T00:00:00Z")));
        assertThat(faster.sameSiteAs(base)).isTrue();
        assertThat(moreChargers.sameSiteAs(base)).isFalse();
        assertThat(elsewhen.sameSiteAs(base)).isFalse();
    }

    @Test
    void modbusPortsAreCheckedAndPartOfTheSite() {
        SimulatorSettings s = SimulatorSettings.from(config(Map.of("gridMeterModbusPort", 5020, "pvModbusPort", 5021,
                "batteryModbusPort", 5022, "modbusHost", "0.0.0.0")));
        assertThat(s.modbus()).isEqualTo(new ModbusExposure("0.0.0.0", 5020, 5021, 5022));
        assertThat(s.sameSiteAs(SimulatorSettings.from(ConfigValues.defaults(SimulatorConfig.class)))).isFalse();
        assertThat(SimulatorSettings.from(ConfigValues.defaults(SimulatorConfig.class)).modbus())
                .isEqualTo(ModbusExposure.NONE);

        assertThatThrownBy(() -> SimulatorSettings.from(config(Map.of("gridMeterModbusPort", 70000,
                "pvModbusPort", 5021, "batteryModbusPort", 5021, "pvPeakKw", 0.0))))
                .isInstanceOf(SimulatorSettings.InvalidConfigurationException.class)
                .hasMessageContaining("gridMeterModbusPort=70000 refused")
                .hasMessageContaining("batteryModbusPort=5021 refused: pvModbusPort uses that port already")
                .hasMessageContaining("pvModbusPort=5021 refused: the site has no PV");
    }

    @Test
    void theOcppUrlIsCheckedAndPartOfTheSite() {
        SimulatorSettings defaults = SimulatorSettings.from(ConfigValues.defaults(SimulatorConfig.class));
        assertThat(defaults.ocpp().enabled()).isFalse();

        SimulatorSettings s = SimulatorSettings.from(config(Map.of("ocppCentralSystemUrl", " ws://127.0.0.1:8887/ocpp/ ",
                "ocppPassword", "secret-pass", "ocppMeterValueIntervalSeconds", 10)));
        assertThat(s.ocpp()).isEqualTo(new OcppExposure("ws://127.0.0.1:8887/ocpp", "secret-pass", 10));
        assertThat(s.sameSiteAs(defaults)).isFalse();
        assertThat(s.toString()).contains("OCPP").doesNotContain("secret-pass");
        assertThat(s.ocpp().toString()).doesNotContain("secret-pass");
        assertThat(SimulatorSettings.from(config(Map.of("ocppCentralSystemUrl", "wss://gateway.example:443/ocpp")))
                .ocpp().enabled()).isTrue();

        for (String bad : new String[] { "http://127.0.0.1:8887/ocpp", "ws:///ocpp", "ws://host/ocpp?x=1", "not a url",
            "ws://user:pw@host/ocpp" }) {
            assertThatThrownBy(() -> SimulatorSettings.from(config(Map.of("ocppCentralSystemUrl", bad))))
                    .isInstanceOf(SimulatorSettings.InvalidConfigurationException.class)
                    .hasMessageContaining("ocppCentralSystemUrl=" + bad + " refused");
        }
        assertThatThrownBy(() -> SimulatorSettings.from(config(Map.of("ocppMeterValueIntervalSeconds", 0))))
                .hasMessageContaining("ocppMeterValueIntervalSeconds=0 refused");
    }
}
