package org.fusebox.driver.ocpp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.fusebox.api.units.Phase;
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
    void aBadValueIsSkippedAndNamedAndTheRestOfTheMessageIsUsed() throws Exception {
        MeterValueReader.Sample s = MeterValueReader.read(values(
                "{\"value\":\"lots\",\"measurand\":\"Power.Active.Import\"},"
                        + "{\"value\":\"1\",\"measurand\":\"Current.Import\",\"unit\":\"W\",\"phase\":\"L1\"},"
                        + "{\"value\":\"-3\",\"measurand\":\"Current.Import\",\"unit\":\"A\",\"phase\":\"L2\"},"
                        + "{\"value\":\"8\",\"measurand\":\"Current.Import\",\"unit\":\"A\",\"phase\":\"L3\"},"
                        + "{\"value\":\"4200\"}"),
                List.of(Phase.L1, Phase.L2, Phase.L3));
        assertThat(s.energyWh()).isEqualTo(4200.0);
        assertThat(s.currents()).containsOnlyKeys(Phase.L3);
        assertThat(s.powerW()).isNull();
        assertThat(s.skipped()).hasSize(3);
        assertThat(s.skipped().get(0)).contains("sampledValue[0]").contains("not a number");
        assertThat(s.skipped().get(1)).contains("sampledValue[1]").contains("unit W does not fit Current.Import");
        assertThat(s.skipped().get(2)).contains("negative");
    }

    @Test
    void perPhaseEnergyRegistersNeverOverwriteTheTotalWhateverTheirOrder() throws Exception {
        String total = "{\"value\":\"10000\",\"measurand\":\"Energy.Active.Import.Register\",\"unit\":\"Wh\"}";
        String phases = "{\"value\":\"3333\",\"phase\":\"L1\"},{\"value\":\"3.333\",\"unit\":\"kWh\",\"phase\":\"L2\"},"
                + "{\"value\":\"3334\",\"phase\":\"L3\"}";
        List<Phase> three = List.of(Phase.L1, Phase.L2, Phase.L3);
        assertThat(MeterValueReader.read(values(total + "," + phases), three).energyWh()).isEqualTo(10000.0);
        assertThat(MeterValueReader.read(values(phases + "," + total), three).energyWh()).isEqualTo(10000.0);
        // without a total, the phases add up
        assertThat(MeterValueReader.read(values(phases), three).energyWh()).isEqualTo(10000.0);
    }

    @Test
    void outletWinsOverInletAndEvValuesAreIgnoredExceptSoc() throws Exception {
        MeterValueReader.Sample s = MeterValueReader.read(values(
                "{\"value\":\"17\",\"measurand\":\"Current.Import\",\"phase\":\"L1\",\"location\":\"Inlet\"},"
                        + "{\"value\":\"16\",\"measurand\":\"Current.Import\",\"phase\":\"L1\",\"location\":\"Outlet\"},"
                        + "{\"value\":\"99\",\"measurand\":\"Current.Import\",\"phase\":\"L2\",\"location\":\"EV\"},"
                        + "{\"value\":\"11\",\"measurand\":\"Power.Active.Import\",\"unit\":\"kW\",\"location\":\"Inlet\"},"
                        + "{\"value\":\"40\",\"measurand\":\"SoC\",\"location\":\"EV\",\"context\":\"Trigger\"}"),
                List.of(Phase.L1, Phase.L2, Phase.L3));
        assertThat(s.currents()).containsOnlyKeys(Phase.L1).containsEntry(Phase.L1, 16.0);
        assertThat(s.powerW()).as("Inlet power, for want of an Outlet one").isEqualTo(11000.0);
        assertThat(s.socPercent()).isEqualTo(40.0);
        assertThat(s.skipped()).isEmpty();
    }

    @Test
    void theNewestOfSeveralMeterValueEntriesWins() throws Exception {
        JsonNode two = new ObjectMapper().readTree("[{\"timestamp\":\"2024-01-01T00:00:10Z\",\"sampledValue\":"
                + "[{\"value\":\"0\",\"measurand\":\"Current.Import\",\"phase\":\"L1\",\"context\":\"Transaction.End\"}]},"
                + "{\"timestamp\":\"2024-01-01T00:00:00Z\",\"sampledValue\":"
                + "[{\"value\":\"16\",\"measurand\":\"Current.Import\",\"phase\":\"L1\",\"context\":\"Sample.Periodic\"}]}]");
        assertThat(MeterValueReader.read(two, List.of(Phase.L1)).currents()).containsEntry(Phase.L1, 0.0);
    }
}
