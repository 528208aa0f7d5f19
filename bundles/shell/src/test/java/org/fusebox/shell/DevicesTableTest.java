package org.fusebox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevicesTableTest {

    private static List<String> print(List<DeviceRow> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DevicesTable.of(rows).print(new PrintStream(bytes, true, StandardCharsets.UTF_8), StandardCharsets.UTF_8, true);
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void hasAHeaderAndOneLinePerRowWithEveryColumn() {
        List<String> lines = print(DeviceRow.of(SampleSite.report()));

        assertThat(lines.get(0)).contains("Device", "Role", "Status", "Measurement", "Setpoint");
        // header, separator, six rows
        assertThat(lines).hasSize(8);
        assertThat(lines.get(5)).contains("cp-1/1", "charger", "ONLINE", "CHARGING 11.04 kW, session 5.20 kWh", "20.0 A");
    }

    @Test
    void columnsAreAligned() {
        List<String> lines = print(DeviceRow.of(SampleSite.report()));

        int roleColumn = lines.get(0).indexOf("Role");
        assertThat(lines.subList(2, lines.size())).allSatisfy(line -> assertThat(line.substring(roleColumn)).matches(
                "(grid|pv|battery|charger)\\s.*"));
    }

    @Test
    void anEmptySiteSaysSo() {
        assertThat(String.join("\n", print(List.of()))).contains("no devices");
    }
}
