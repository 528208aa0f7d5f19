package org.fusebox.driver.modbus.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RegisterMapReaderTest {

    private static RegisterMap parse(String json) throws IOException {
        return new RegisterMapReader().read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shippedSdm630MapLoads() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/maps/eastron-sdm630.json")) {
            RegisterMap map = new RegisterMapReader().read(in);
            assertThat(map.points()).hasSize(13);
            Point power = map.point("powerTotal").orElseThrow();
            assertThat(power.registerType()).isEqualTo(RegisterType.INPUT);
            assertThat(power.address()).isEqualTo(0x34);
            assertThat(power.type()).isEqualTo(PointType.FLOAT32);
            assertThat(power.unit()).isEqualTo("W");
            assertThat(map.point("exportEnergy").orElseThrow().address()).isEqualTo(0x4A);
        }
    }

    @Test
    void scaleAndScaleFactorByName() throws IOException {
        RegisterMap map = parse("""
                {"name": "t", "defaults": {"registerType": "holding"},
                 "points": [
                   {"name": "W", "address": 40083, "type": "int16", "scaleFactor": "W_SF", "unit": "W"},
                   {"name": "W_SF", "address": 40084, "type": "int16"},
                   {"name": "Hz", "address": "0x10", "type": "uint32", "wordOrder": "little", "scale": -2}
                 ]}""");
        assertThat(map.point("W").orElseThrow().scaleFactorAddress()).isEqualTo(40084);
        Point hz = map.point("Hz").orElseThrow();
        assertThat(hz.scale()).isEqualTo(-2);
        assertThat(hz.wordOrder()).isEqualTo(WordOrder.LITTLE);
        assertThat(hz.address()).isEqualTo(16);
    }

    @Test
    void errorsNameThePointAndField() {
        assertThatThrownBy(() -> parse("""
                {"name": "t", "points": [{"name": "x", "address": 1, "type": "int12", "registerType": "input"}]}"""))
                .hasMessageContaining("x").hasMessageContaining("int12").hasMessageContaining("int16");
        assertThatThrownBy(() -> parse("""
                {"name": "t", "points": [{"name": "x", "address": 1, "type": "int16"}]}"""))
                .hasMessageContaining("registerType");
        assertThatThrownBy(() -> parse("""
                {"name": "t", "points": [{"name": "x", "adress": 1, "type": "int16", "registerType": "input"}]}"""))
                .hasMessageContaining("unknown field 'adress'");
        assertThatThrownBy(() -> parse("""
                {"name": "t", "points": [{"name": "x", "address": 1, "type": "int16", "registerType": "input",
                  "scaleFactor": "nope"}]}"""))
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> parse("""
                {"name": "t", "points": [{"name": "x", "address": 70000, "type": "int16", "registerType": "input"}]}"""))
                .hasMessageContaining("70000");
    }

    @Test
    void duplicateNamesAreRejected() {
        assertThatThrownBy(() -> parse("""
                {"name": "t", "defaults": {"registerType": "input", "type": "int16"},
                 "points": [{"name": "x", "address": 1}, {"name": "x", "address": 2}]}"""))
                .hasMessageContaining("used twice");
    }

    @Test
    void writablePointsAndPollClasses() throws IOException {
        RegisterMap map = parse("""
                {"name": "t", "defaults": {"registerType": "holding", "poll": "slow"},
                 "points": [
                   {"name": "powerSetpoint", "address": 10, "type": "int32", "access": "readWrite", "verify": true},
                   {"name": "command", "address": 12, "type": "uint16", "access": "write"},
                   {"name": "soc", "address": 13, "type": "uint16", "poll": "fast"}
                 ]}""");
        Point setpoint = map.point("powerSetpoint").orElseThrow();
        assertThat(setpoint.access()).isEqualTo(Access.READ_WRITE);
        assertThat(setpoint.verify()).isTrue();
        assertThat(setpoint.poll()).isEqualTo(PollClass.SLOW);
        assertThat(map.point("command").orElseThrow().access().readable()).isFalse();
        assertThat(map.point("soc").orElseThrow().poll()).isEqualTo(PollClass.FAST);
        assertThat(map.point("soc").orElseThrow().access()).isEqualTo(Access.READ);
    }

    @Test
    void writableInputRegistersAndBadAccessAreRefusedByName() {
        assertThatThrownBy(() -> parse("""
                {"name": "t", "points": [
                   {"name": "p", "registerType": "input", "address": 1, "type": "int16", "access": "write"}]}"""))
                .hasMessageContaining("p: only holding registers can be written");
        assertThatThrownBy(() -> parse("""
                {"name": "t", "points": [
                   {"name": "p", "registerType": "holding", "address": 1, "type": "int16", "verify": true}]}"""))
                .hasMessageContaining("p: 'verify' needs a writable point");
        assertThatThrownBy(() -> parse("""
                {"name": "t", "points": [
                   {"name": "p", "registerType": "holding", "address": 1, "type": "int16", "poll": "sometimes"}]}"""))
                .hasMessageContaining("p: 'poll' is 'sometimes'");
        assertThatThrownBy(() -> parse("""
                {"name": "t", "points": [
                   {"name": "p", "registerType": "holding", "address": 1, "type": "int16", "access": "rw"}]}"""))
                .hasMessageContaining("p: 'access' is 'rw'");
    }
}
