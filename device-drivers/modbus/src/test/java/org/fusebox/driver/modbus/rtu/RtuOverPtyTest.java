package org.fusebox.driver.modbus.rtu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fusebox.api.driver.Channel;
import org.fusebox.api.driver.ChannelRecord;
import org.fusebox.api.driver.ConnectionException;
import org.fusebox.api.driver.PreparedRead;
import org.fusebox.api.driver.TypedValue;
import org.fusebox.driver.modbus.ModbusMasterDriver;
import org.fusebox.driver.modbus.PointChannels;
import org.fusebox.driver.modbus.map.Point;
import org.fusebox.driver.modbus.map.PointType;
import org.fusebox.driver.modbus.map.RegisterMap;
import org.fusebox.driver.modbus.map.RegisterMapReader;
import org.fusebox.driver.modbus.map.RegisterType;
import org.fusebox.driver.modbus.peer.RtuSlave;
import org.fusebox.driver.modbus.peer.SocatPtyPair;
import org.fusebox.driver.modbus.rtu.ModbusRtuSettings.Parity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real RTU frames over a virtual serial line: socat joins two pseudo terminals, j2mod's RTU slave serves an
 * SDM630 register image on one, and the driver reads it through its RTU settings on the other, both sides
 * through jSerialComm. Needs socat (skipped without it, failed without it on CI).
 */
@Timeout(60)
class RtuOverPtyTest {

    private static final int UNIT_ID = 2;

    @TempDir
    Path dir;

    private SocatPtyPair line;
    private RtuSlave meter;
    private ModbusMasterDriver driver;
    private ModbusRtuSettings settings;

    @BeforeEach
    void start() throws Exception {
        line = SocatPtyPair.start(dir);
        meter = new RtuSlave(line.deviceEnd(), UNIT_ID, 20, 100);
        meter.setFloat(0x00, 231.5f);
        meter.setFloat(0x02, 229.75f);
        meter.setFloat(0x04, 233.0f);
        meter.setFloat(0x06, 12.25f);
        meter.setFloat(0x08, 8.5f);
        meter.setFloat(0x0A, 0.125f);
        meter.setFloat(0x34, -4200f);
        meter.setFloat(0x46, 50.0f);
        meter.setFloat(0x48, 1234.5f);
        meter.setFloat(0x4A, 98.25f);
        meter.start();
        // 9600 8E1, as the slave; a short timeout keeps the silent-device case quick
        settings = new ModbusRtuSettings(line.driverEnd().toString(), 9600, 8, Parity.EVEN, 1, UNIT_ID, 500,
                125, 8);
        driver = new ModbusMasterDriver("rtu-meter", settings);
    }

    @AfterEach
    void stop() throws Exception {
        if (driver != null) {
            driver.disconnect();
        }
        if (meter != null) {
            meter.close();
        }
        if (line != null) {
            line.close();
        }
    }

    private static RegisterMap sdm630() throws Exception {
        try (InputStream in = RtuOverPtyTest.class.getResourceAsStream("/maps/eastron-sdm630.json")) {
            return new RegisterMapReader().read(in);
        }
    }

    private static double value(List<ChannelRecord> records, String name) {
        ChannelRecord record = records.stream().filter(r -> r.channel().name().equals(name)).findFirst()
                .orElseThrow();
        assertThat(record.succeeded()).as(name + ": " + record.error()).isTrue();
        return record.value().asDouble();
    }

    private static Channel holding(String name, int address, PointType type) {
        return PointChannels.toChannel(Point.of(name, RegisterType.HOLDING, address, type));
    }

    @Test
    void readsTheSdm630MapInPlannedRequestsOverRtu() throws Exception {
        RegisterMap map = sdm630();
        try (PreparedRead read = driver.prepareRead(map.points().stream().map(PointChannels::toChannel).toList())) {
            List<ChannelRecord> records = read.execute();
            assertThat(records).hasSize(map.points().size());
            assertThat(value(records, "voltageL1")).isEqualTo(231.5);
            assertThat(value(records, "voltageL2")).isEqualTo(229.75);
            assertThat(value(records, "voltageL3")).isEqualTo(233.0);
            assertThat(value(records, "currentL1")).isEqualTo(12.25);
            assertThat(value(records, "currentL2")).isEqualTo(8.5);
            assertThat(value(records, "currentL3")).isEqualTo(0.125);
            assertThat(value(records, "powerTotal")).isEqualTo(-4200.0);
            assertThat(value(records, "frequency")).isEqualTo(50.0);
            assertThat(value(records, "importEnergy")).isEqualTo(1234.5);
            assertThat(value(records, "exportEnergy")).isEqualTo(98.25);

            // the plan is reused: a changed image is read again over the same port
            meter.setFloat(0x34, 1500f);
            assertThat(value(read.execute(), "powerTotal")).isEqualTo(1500.0);
        }
        assertThat(driver.connected()).isTrue();
    }

    @Test
    void writesOneAndSeveralHoldingRegistersOverRtu() throws Exception {
        Channel single = holding("limit", 3, PointType.UINT16);
        Channel pair = holding("setpoint", 10, PointType.INT32);

        List<ChannelRecord> written = driver.write(List.of(
                ChannelRecord.success(single, TypedValue.of(60000L), Instant.now()),
                ChannelRecord.success(pair, TypedValue.of(-250L), Instant.now())));

        assertThat(written).allSatisfy(r -> assertThat(r.succeeded()).as(String.valueOf(r.error())).isTrue());
        assertThat(meter.holding(3)).isEqualTo(60000);
        assertThat(meter.holding(10)).isEqualTo(0xFFFF);
        assertThat(meter.holding(11)).isEqualTo(0xFF06);
        List<ChannelRecord> back = driver.read(List.of(single, pair));
        assertThat(back.get(0).value()).isEqualTo(TypedValue.of(60000L));
        assertThat(back.get(1).value().asDouble()).isEqualTo(-250.0);
    }

    @Test
    void anExceptionReplyFailsOnlyItsChannelsAndTheLineStaysUp() throws Exception {
        Channel voltage = PointChannels.toChannel(Point.of("voltageL1", RegisterType.INPUT, 0, PointType.FLOAT32));
        Channel missing = holding("missing", 5000, PointType.UINT16);

        List<ChannelRecord> records = driver.read(List.of(voltage, missing));

        assertThat(records.get(0).value().asDouble()).isEqualTo(231.5);
        assertThat(records.get(1).succeeded()).isFalse();
        assertThat(records.get(1).error()).contains("illegal data address");
        assertThat(driver.connected()).isTrue();
        assertThat(driver.read(List.of(voltage)).get(0).value().asDouble()).isEqualTo(231.5);
    }

    @Test
    void aSilentDeviceIsAConnectionExceptionNamingThePortNotAHang() throws Exception {
        Channel power = PointChannels.toChannel(Point.of("powerTotal", RegisterType.INPUT, 0x34, PointType.FLOAT32));
        assertThat(driver.read(List.of(power)).get(0).value().asDouble()).isEqualTo(-4200.0);

        meter.silence();
        assertThatThrownBy(() -> driver.read(List.of(power))).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("rtu-meter")
                .hasMessageContaining(line.driverEnd() + " 9600 8E1 unit " + UNIT_ID);
        assertThat(driver.connected()).isFalse();
    }

    @Test
    void aDeviceThatAnswersAgainIsReadAfterAReconnect() throws Exception {
        Channel power = PointChannels.toChannel(Point.of("powerTotal", RegisterType.INPUT, 0x34, PointType.FLOAT32));
        meter.silence();
        assertThatThrownBy(() -> driver.read(List.of(power))).isInstanceOf(ConnectionException.class);

        meter.setFloat(0x34, 3000f);
        meter.answer();
        assertThat(readAgain(power)).isEqualTo(3000.0);
    }

    /** Reads as the poller does after a failure: again on the next cycle, until a deadline. */
    private double readAgain(Channel channel) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                return driver.read(List.of(channel)).get(0).value().asDouble();
            } catch (ConnectionException e) {
                assertThat(e.getMessage()).contains("rtu-meter", line.driverEnd().toString());
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
