package org.fusebox.driver.modbus.tcp;

import org.fusebox.driver.modbus.ModbusMasterDriver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import org.fusebox.api.driver.Channel;
import org.fusebox.api.driver.ChannelRecord;
import org.fusebox.api.driver.ConnectionException;
import org.fusebox.api.driver.PreparedRead;
import org.fusebox.api.driver.TypedValue;
import org.fusebox.driver.modbus.PointChannels;
import org.fusebox.driver.modbus.map.Point;
import org.fusebox.driver.modbus.map.PointType;
import org.fusebox.driver.modbus.map.RegisterMap;
import org.fusebox.driver.modbus.map.RegisterMapReader;
import org.fusebox.driver.modbus.map.RegisterType;
import org.fusebox.driver.modbus.map.WordOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ModbusTcpDriverTest {

    private LoopbackModbusServer server;
    private ModbusMasterDriver driver;

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackModbusServer(200, 100).start();
        driver = new ModbusMasterDriver("test-device",
                ModbusTcpSettings.of("127.0.0.1", server.port(), LoopbackModbusServer.UNIT_ID).withTimeout(500));
    }

    @AfterEach
    void stop() {
        driver.disconnect();
        server.close();
    }

    private static int[] floatWords(float f) {
        int bits = Float.floatToIntBits(f);
        return new int[] {bits >>> 16, bits & 0xFFFF};
    }

    private static List<Channel> channels(RegisterMap map) {
        return map.points().stream().map(PointChannels::toChannel).toList();
    }

    @Test
    void readsTheShippedSdm630MapInBatchedRequests() throws Exception {
        server.setInput(0x00, floatWords(231.5f));
        server.setInput(0x06, floatWords(12.25f));
        server.setInput(0x34, floatWords(-4200f));
        server.setInput(0x48, floatWords(1234.5f));
        RegisterMap map;
        try (InputStream in = getClass().getResourceAsStream("/maps/eastron-sdm630.json")) {
            map = new RegisterMapReader().read(in);
        }
        try (PreparedRead read = driver.prepareRead(channels(map))) {
            List<ChannelRecord> records = read.execute();
            assertThat(records).hasSize(map.points().size()).allMatch(ChannelRecord::succeeded);
            assertThat(value(records, "voltageL1")).isEqualTo(231.5);
            assertThat(value(records, "currentL1")).isEqualTo(12.25);
            assertThat(value(records, "powerTotal")).isEqualTo(-4200.0);
            assertThat(value(records, "importEnergy")).isEqualTo(1234.5);
        }
    }

    @Test
    void readsScaledHoldingRegistersAndWritesThemBack() throws Exception {
        Point setpoint = Point.of("battery.setpoint", RegisterType.HOLDING, 10, PointType.INT32)
                .withWordOrder(WordOrder.LITTLE).withScale(1).withUnit("W");
        Channel channel = PointChannels.toChannel(setpoint);

        List<ChannelRecord> written = driver.write(List.of(
                ChannelRecord.success(channel, TypedValue.of(-2500.0), java.time.Instant.now())));

        assertThat(written.get(0).succeeded()).isTrue();
        // -250 as int32, little word order: low word first
        assertThat(server.holding(10)).isEqualTo(0xFF06);
        assertThat(server.holding(11)).isEqualTo(0xFFFF);
        assertThat(driver.read(List.of(channel)).get(0).value().asDouble()).isEqualTo(-2500.0);
    }

    @Test
    void writesASingleRegister() throws Exception {
        Channel limit = PointChannels.toChannel(Point.of("limit", RegisterType.HOLDING, 3, PointType.UINT16));
        driver.write(List.of(ChannelRecord.success(limit, TypedValue.of(60000L), java.time.Instant.now())));
        assertThat(server.holding(3)).isEqualTo(60000);
        assertThat(driver.read(List.of(limit)).get(0).value()).isEqualTo(TypedValue.of(60000L));
    }

    @Test
    void inputRegistersAndOutOfRangeValuesAreRefusedWithoutTouchingTheDevice() throws Exception {
        Channel input = PointChannels.toChannel(Point.of("in", RegisterType.INPUT, 0, PointType.UINT16));
        Channel small = PointChannels.toChannel(Point.of("small", RegisterType.HOLDING, 0, PointType.INT16));
        List<ChannelRecord> results = driver.write(List.of(
                ChannelRecord.success(input, TypedValue.of(1L), java.time.Instant.now()),
                ChannelRecord.success(small, TypedValue.of(70000L), java.time.Instant.now())));
        assertThat(results.get(0).error()).contains("input registers");
        assertThat(results.get(1).error()).contains("int16");
    }

    @Test
    void illegalAddressFailsOnlyTheChannelsInThatRequest() throws Exception {
        server.setHolding(0, 42);
        Channel good = PointChannels.toChannel(Point.of("good", RegisterType.HOLDING, 0, PointType.UINT16));
        Channel missing = PointChannels.toChannel(Point.of("missing", RegisterType.HOLDING, 5000, PointType.UINT16));

        List<ChannelRecord> records = driver.read(List.of(good, missing));

        assertThat(records.get(0).value()).isEqualTo(TypedValue.of(42L));
        assertThat(records.get(1).succeeded()).isFalse();
        assertThat(records.get(1).error()).contains("illegal data address");
        // an exception reply is an answer: the connection stays up
        assertThat(driver.connected()).isTrue();
    }

    @Test
    void illegalAddressOnWriteIsReportedPerValue() throws Exception {
        Channel missing = PointChannels.toChannel(Point.of("missing", RegisterType.HOLDING, 5000, PointType.UINT16));
        ChannelRecord result = driver.write(List.of(
                ChannelRecord.success(missing, TypedValue.of(1L), java.time.Instant.now()))).get(0);
        assertThat(result.error()).contains("illegal data address");
    }

    @Test
    void sentinelBecomesAFailedRecordNamingTheReason() throws Exception {
        server.setHolding(7, 0x8000);
        Channel channel = PointChannels.toChannel(Point.of("temp", RegisterType.HOLDING, 7, PointType.INT16));
        assertThat(driver.read(List.of(channel)).get(0).error()).contains("not implemented");
    }

    @Test
    void aDeviceThatDropsOffMidRunIsReportedAndPickedUpAgainWhenBack() throws Exception {
        server.setHolding(0, 7);
        try (PullableCable cable = new PullableCable(server.port()).plugIn()) {
            ModbusMasterDriver viaCable = new ModbusMasterDriver("cabled-device",
                    ModbusTcpSettings.of("127.0.0.1", cable.port(), LoopbackModbusServer.UNIT_ID).withTimeout(500));
            Channel channel = PointChannels.toChannel(Point.of("x", RegisterType.HOLDING, 0, PointType.UINT16));
            PreparedRead read = viaCable.prepareRead(List.of(channel));
            assertThat(read.execute().get(0).value()).isEqualTo(TypedValue.of(7L));

            cable.unplug();
            long started = System.nanoTime();
            assertThatThrownBy(read::execute).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("cabled-device").hasMessageContaining(String.valueOf(cable.port()));
            // and again while it is still gone: a refused connect, also reported
            assertThatThrownBy(read::execute).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("cannot connect");
            // bounded by the timeouts, not a hang
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(viaCable.connected()).isFalse();

            server.setHolding(0, 8);
            cable.plugIn();
            assertThat(read.execute().get(0).value()).isEqualTo(TypedValue.of(8L));
            viaCable.disconnect();
        }
    }

    @Test
    void aSilentDeviceTimesOutInsteadOfHanging() throws Exception {
        // a listener that accepts and never answers
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ModbusMasterDriver toSilent = new ModbusMasterDriver("silent",
                    ModbusTcpSettings.of("127.0.0.1", silent.getLocalPort(), 1).withTimeout(300));
            Channel channel = PointChannels.toChannel(Point.of("x", RegisterType.HOLDING, 0, PointType.UINT16));
            long started = System.nanoTime();
            assertThatThrownBy(() -> toSilent.read(List.of(channel))).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("silent");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            toSilent.disconnect();
        }
    }

    @Test
    void nobodyListeningIsAConnectionException() {
        ModbusMasterDriver nowhere = new ModbusMasterDriver("nowhere",
                ModbusTcpSettings.of("127.0.0.1", server.port(), 1).withTimeout(300));
        server.stop();
        assertThatThrownBy(nowhere::connect).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("cannot connect");
    }

    private static double value(List<ChannelRecord> records, String name) {
        return records.stream().filter(r -> r.channel().name().equals(name)).findFirst().orElseThrow()
                .value().asDouble();
    }
}
