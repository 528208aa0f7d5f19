package org.fusebox.driver.ocpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.fusebox.api.units.Phase;
import org.fusebox.driver.ocpp.protocol.ViolationException;
import org.junit.jupiter.api.Test;

class MeterValueReaderTest {

    private static JsonNode values(String sampled) throws Exception {
        return new ObjectMapper().readTree("[{\"timestamp\":\"2024-01-01T00:00:00Z\",\"sampledValue\":[" + sampled + "]}]");
    }

    @Test
    void unitsAreConvertedAndPhasesKept() throws Exception {
        MeterValueReader.Sample s = MeterValueReader.read(values(
                "{\"value\":\"12345\"},"
                        + "{\"value\":\"2.2\",\"measurand\":\"Power.Active.Import\",\"unit\":\"kW\",\"phase\":\"L1\"},"
                        + "{\"value\":\"1.8\",\"measurand\":\"Power.Active.Import\",\"unit\":\"kW\",\"phase\":\"L2\"},"
                        + "{\"value\":\"9.5\",\"measurand\":\"Current.Import\",\"phase\":\"L2-N\",\"unit\":\"A\"},"
                        + "{\"value\":\"230\",\"measurand\":\"Voltage\",\"unit\":\"V\"},"
                        + "{\"value\":\"80.4\",\"measurand\":\"SoC\",\"unit\":\"Percent\",\"location\":\"EV\"}"),
                List.of(Phase.L1, Phase.L2, Phase.L3));
        assertThat(s.energyWh()).isEqualTo(12345.0);
        assertThat(s.powerW()).isEqualTo(4000.0);
        assertThat(s.currents()).containsOnlyKeys(Phase.L2).containsEntry(Phase.L2, 9.5);
        assertThat(s.socPercent()).isEqualTo(80.4);
    }

    @Test
    void aCurrentWithoutPhaseIsCountedOnEveryPhaseOfTheConnector() throws Exception {
        MeterValueReader.Sample s = MeterValueReader.read(values(
                "{\"value\":\"7\",\"measurand\":\"Current.Import\",\"unit\":\"A\"},"
                        + "{\"value\":\"3.5\",\"measurand\":\"Energy.Active.Import.Register\",\"unit\":\"kWh\"}"),
                List.of(Phase.L3));
        assertThat(s.currents()).containsOnlyKeys(Phase.L3);
        assertThat(s.energyWh()).isEqualTo(3500.0);
        assertThat(s.powerW()).isNull();
    }

    @Test
    void nonNumbersAndWrongUnitsAreRefused() {
        assertThatThrownBy(() -> MeterValueReader.read(values("{\"value\":\"lots\"}"), List.of(Phase.L1)))
                .isInstanceOf(ViolationException.class).hasMessageContaining("PropertyConstraintViolation");
        assertThatThrownBy(() -> MeterValueReader.read(values("{\"value\":\"1\",\"unit\":\"W\"}"), List.of(Phase.L1)))
                .isInstanceOf(ViolationException.class).hasMessageContaining("does not fit");
    }
}
