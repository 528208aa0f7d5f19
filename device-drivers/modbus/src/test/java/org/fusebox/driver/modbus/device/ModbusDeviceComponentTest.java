package org.fusebox.driver.modbus.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.fusebox.api.device.Device;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.GridMeter;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.metrics.Measurement;
import org.fusebox.driver.modbus.tcp.LoopbackModbusServer;
import org.fusebox.driver.modbus.tcp.PullableCable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ModbusDeviceComponentTest {

    private LoopbackModbusServer server;
    private final RecordingBundleContext bundle = new RecordingBundleContext();
    private final ModbusDeviceComponent component = new ModbusDeviceComponent();

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackModbusServer(10, 100).start();
        // an SDM630 exporting on L3: currents are magnitudes, the phase power carries the sign
        setFloat(0x00, 230f);
        setFloat(0x02, 232f);
        setFloat(0x04, 234f);
        setFloat(0x06, 10.5f);
        setFloat(0x08, 11f);
        setFloat(0x0A, 4f);
        setFloat(0x0C, 2400f);
        setFloat(0x0E, 2500f);
        setFloat(0x10, -900f);
        setFloat(0x34, 4000f);
        setFloat(0x48, 1234.5f);
        setFloat(0x4A, 12.25f);
    }

    @AfterEach
    void stop() {
        component.deactivate();
        server.close();
    }

    private void setFloat(int address, float value) {
        int bits = Float.floatToIntBits(value);
        server.setInput(address, bits >>> 16, bits & 0xFFFF);
    }

    private Path sdm630File() throws Exception {
        Path file = dir.resolve("sdm630.json");
        try (InputStream in = getClass().getResourceAsStream("/maps/eastron-sdm630.json")) {
            Files.copy(in, file);
        }
        return file;
    }

    private Map<String, Object> meterConfig(int port, String map) {
        Map<String, Object> c = new HashMap<>();
        c.put("id", "grid");
        c.put("role", "GRID_METER");
        c.put("host", "127.0.0.1");
        c.put("port", port);
        c.put("unitId", LoopbackModbusServer.UNIT_ID);
        c.put("timeoutMillis", 300);
        c.put("pollMillis", 100L);
        c.put("map", map);
        return c;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private GridMeter meter() {
        assertThat(bundle.live).hasSize(1);
        return (GridMeter) bundle.live.get(0).service();
    }

    @Test
    void publishesAMeterReadingFromAnSdm630Image() throws Exception {
        Instant before = Instant.now();
        component.activate(bundle.context, Configs.of(meterConfig(server.port(), sdm630File().toString())));

        assertThat(bundle.live).singleElement().satisfies(r -> {
            assertThat(r.className()).isEqualTo(GridMeter.class.getName());
            assertThat(r.properties().get(Device.DEVICE_ID_PROPERTY)).isEqualTo("grid");
        });
        GridMeter meter = meter();
        AtomicInteger heard = new AtomicInteger();
        meter.addReadingListener(d -> {
            throw new IllegalStateException("a broken listener");
        });
        meter.addReadingListener(d -> heard.incrementAndGet());
        await(() -> meter.reading().isPresent() && heard.get() > 0, "a reading arrives and listeners hear of it");

        MeterReading r = meter.reading().orElseThrow();
        assertThat(meter.status().isOnline()).isTrue();
        assertThat(r.timestamp()).isAfterOrEqualTo(before).isBeforeOrEqualTo(Instant.now());
        assertThat(r.power().watts()).isEqualTo(4000.0);
        assertThat(r.currents().l1().amps()).isEqualTo(10.5);
        assertThat(r.currents().l2().amps()).isEqualTo(11.0);
        assertThat(r.currents().l3().amps()).isEqualTo(-4.0);
        assertThat(r.voltage().volts()).isCloseTo(232.0, within(1e-9));
        assertThat(r.importedTotal().wattHours()).isEqualTo(1_234_500.0);
        assertThat(r.exportedTotal().wattHours()).isEqualTo(12_250.0);
        assertThat(component.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(component.name()).isEqualTo("modbus.grid");

        component.deactivate();
        assertThat(bundle.live).isEmpty();
    }

    @Test
    void aPulledCableTurnsTheMeterOfflineWithTheReasonAndBackOnlineWithFreshReadings() throws Exception {
        try (PullableCable cable = new PullableCable(server.port()).plugIn()) {
            component.activate(bundle.context, Configs.of(meterConfig(cable.port(), "builtin:eastron-sdm630")));
            GridMeter meter = meter();
            await(() -> meter.reading().isPresent(), "the first reading");

            cable.unplug();
            await(() -> meter.status().state() == DeviceStatus.State.OFFLINE, "the meter is offline");
            assertThat(meter.status().reason()).contains("grid").contains(String.valueOf(cable.port()));
            assertThat(meter.reading()).isEmpty();
            assertThat(component.health().status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(component.health().details()).anyMatch(d -> d.contains("OFFLINE"));

            Instant pluggedBackAt = Instant.now();
            setFloat(0x34, -1500f);
            cable.plugIn();
            await(() -> meter.status().isOnline() && meter.reading().isPresent(), "the meter is back");
            MeterReading fresh = meter.reading().orElseThrow();
            assertThat(fresh.timestamp()).isAfterOrEqualTo(pluggedBackAt);
            assertThat(fresh.power().watts()).isEqualTo(-1500.0);
            assertThat(bundle.live).hasSize(1); // registered once, not per reconnect
        }
    }

    private double measured(String name, Map<String, String> labels) {
        return component.measurements().stream().filter(m -> m.name().equals(name) && m.labels().equals(labels))
                .mapToDouble(Measurement::value).findFirst().orElse(Double.NaN);
    }

    private double failedRequests() {
        return component.measurements().stream().filter(m -> m.name().equals("requests_failed_total"))
                .mapToDouble(Measurement::value).sum();
    }

    @Test
    void theDevicesRequestsFailuresAndReconnectsAreMeasured() throws Exception {
        assertThat(component.measurements()).isEmpty();
        Map<String, String> grid = Map.of("device", "grid");
        try (PullableCable cable = new PullableCable(server.port()).plugIn()) {
            component.activate(bundle.context, Configs.of(meterConfig(cable.port(), "builtin:eastron-sdm630")));
            GridMeter meter = meter();
            await(() -> meter.reading().isPresent(), "the first reading");
            assertThat(component.component()).isEqualTo("modbus");
            assertThat(measured("requests_total", grid)).isPositive();
            assertThat(failedRequests()).isZero();
            assertThat(measured("connected", grid)).isEqualTo(1.0);
            assertThat(measured("reconnects_total", grid)).isZero();
            // the duration is taken once the poll that published the reading has ended
            await(() -> !Double.isNaN(measured("last_poll_duration_seconds", grid)), "the first poll's duration");
            assertThat(measured("last_poll_duration_seconds", grid)).isPositive().isLessThan(60);
            assertThat(component.measurements()).filteredOn(m -> m.name().equals("requests_failed_total"))
                    .extracting(m -> m.labels().get("reason"))
                    .containsExactlyInAnyOrder("timeout", "exception_reply", "malformed", "connection");

            cable.unplug();
            await(() -> meter.status().state() == DeviceStatus.State.OFFLINE, "the meter is offline");
            assertThat(failedRequests() + measured("connect_failures_total", grid)).isPositive();
            cable.plugIn();
            await(() -> meter.status().isOnline() && meter.reading().isPresent(), "the meter is back");
            await(() -> measured("reconnects_total", grid) >= 1, "the reconnect is counted");
            assertThat(measured("connected", grid)).isEqualTo(1.0);

            // a new configuration of the same device keeps counting
            double before = measured("requests_total", grid);
            Map<String, Object> slower = meterConfig(cable.port(), "builtin:eastron-sdm630");
            slower.put("pollMillis", 200L);
            component.modified(Configs.of(slower));
            await(() -> measured("requests_total", grid) > before, "requests are counted on");
        }
    }

    @Test
    void anInvalidConfigurationIsRefusedWithEveryReasonAndNothingIsRegistered() {
        Map<String, Object> c = new HashMap<>();
        c.put("id", "bad id");
        c.put("role", "TOASTER");
        c.put("host", " ");
        c.put("port", 0);
        c.put("unitId", 300);
        c.put("timeoutMillis", 0);
        c.put("pollMillis", 1L);
        c.put("map", dir.resolve("missing.json").toString());
        component.activate(bundle.context, Configs.of(c));

        assertThat(bundle.live).isEmpty();
        assertThat(component.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(String.join("\n", component.health().details())).contains("refused", "nothing is registered",
                "id 'bad id'", "role 'TOASTER'", "host is empty", "port 0", "unitId 300", "timeoutMillis 0",
                "pollMillis 1", "missing.json cannot be read: no such file");
    }

    @Test
    void aRefusedChangeKeepsThePreviousConfigurationRunning() throws Exception {
        component.activate(bundle.context, Configs.of(meterConfig(server.port(), "builtin:eastron-sdm630")));
        GridMeter meter = meter();
        await(() -> meter.reading().isPresent(), "the first reading");

        Map<String, Object> bad = meterConfig(server.port(), "builtin:eastron-sdm630");
        bad.put("role", "PV_INVERTER"); // without ratedPowerWatts, and the SDM630 has no producedEnergy
        component.modified(Configs.of(bad));

        assertThat(bundle.live).singleElement().extracting(RecordingBundleContext.Registration::service)
                .isSameAs(meter);
        assertThat(component.health().details()).singleElement().asString()
                .contains("previous configuration is kept", "ratedPowerWatts", "producedEnergy");
        Instant after = Instant.now();
        await(() -> meter.reading().map(r -> r.timestamp().isAfter(after)).orElse(false), "polling goes on");
    }

    @Test
    void aMapWithoutTheRolesPointsIsRefused() throws Exception {
        Path map = dir.resolve("tiny.json");
        Files.writeString(map, """
                {"name": "tiny", "points": [
                  {"name": "powerTotal", "registerType": "input", "address": 0, "type": "float32", "unit": "W"}]}
                """);
        component.activate(bundle.context, Configs.of(meterConfig(server.port(), map.toString())));
        assertThat(bundle.live).isEmpty();
        assertThat(component.health().details()).singleElement().asString()
                .contains("currentL1", "importEnergy", "exportEnergy", "GRID_METER");
    }
}
