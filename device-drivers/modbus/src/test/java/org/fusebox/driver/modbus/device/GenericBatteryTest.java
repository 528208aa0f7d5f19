package org.fusebox.driver.modbus.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fusebox.driver.modbus.peer.Waits.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.device.Battery;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.units.Power;
import org.fusebox.driver.modbus.peer.PetriModbusServer;
import org.fusebox.driver.modbus.peer.ScriptedModbusServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A battery described by a JSON map with a writable, verified setpoint, on the digitalpetri server. */
@Timeout(90)
class GenericBatteryTest {

    private static final String MAP = """
            {"name": "test battery inverter",
             "defaults": {"registerType": "holding"},
             "points": [
               {"name": "soc", "address": 0, "type": "uint16", "scale": -1, "unit": "%"},
               {"name": "dischargePower", "address": 1, "type": "int16", "unit": "W"},
               {"name": "powerSetpoint", "address": 2, "type": "int32", "unit": "W",
                "access": "readWrite", "verify": true},
               {"name": "maxChargePower", "address": 4, "type": "uint16", "scale": 1, "unit": "W", "poll": "slow"}
             ]}
            """;

    private PetriModbusServer server;
    private final RecordingBundleContext bundle = new RecordingBundleContext();
    private final ModbusDeviceComponent component = new ModbusDeviceComponent();

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = new PetriModbusServer().start();
        server.setHolding(0, 734, 1500, 0, 0, 400);
    }

    @AfterEach
    void stop() throws Exception {
        component.deactivate();
        server.close();
    }

    private Map<String, Object> config(int port) throws Exception {
        Path map = dir.resolve("battery.json");
        Files.writeString(map, MAP);
        Map<String, Object> c = new HashMap<>();
        c.put("id", "home-battery");
        c.put("role", "BATTERY");
        c.put("host", "127.0.0.1");
        c.put("port", port);
        c.put("timeoutMillis", 400);
        c.put("pollMillis", 50L);
        c.put("map", map.toString());
        c.put("capacityWattHours", 10_000.0);
        c.put("maxChargeWatts", 5000.0);
        c.put("maxDischargeWatts", 5000.0);
        return c;
    }

    private Battery battery() {
        assertThat(bundle.live).singleElement()
                .satisfies(r -> assertThat(r.className()).isEqualTo(Battery.class.getName()));
        return (Battery) bundle.live.get(0).service();
    }

    @Test
    void readsSocPowerAndLimitsAndWritesAVerifiedSetpoint() throws Exception {
        component.activate(bundle.context, Configs.of(config(server.port())));
        Battery battery = battery();
        await(() -> battery.reading().isPresent(), "a reading");
        BatteryReading r = battery.reading().orElseThrow();
        assertThat(r.soc().value()).isEqualTo(73.4);
        assertThat(r.power().watts()).isEqualTo(-1500.0); // discharging 1.5 kW
        assertThat(battery.ratings().maxChargePower().watts()).isEqualTo(4000.0);
        assertThat(battery.ratings().maxDischargePower().watts()).isEqualTo(5000.0);

        WriteResult w = battery.setPower(Power.ofWatts(-70_000)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(w.isAccepted()).as(w.detail()).isTrue();
        assertThat(server.holding(2)).isEqualTo(0xFFFE); // -70000 as int32, high word first
        assertThat(server.holding(3)).isEqualTo(0xEE90);
        await(() -> battery.reading().map(x -> x.setpoint().watts() == -70_000).orElse(false), "setpoint read back");
    }

    @Test
    void aSetpointTheDeviceDoesNotKeepFails() throws Exception {
        server.ignoreWritesTo(3);
        component.activate(bundle.context, Configs.of(config(server.port())));
        Battery battery = battery();
        WriteResult w = battery.setPower(Power.ofWatts(1000)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(w.outcome()).isEqualTo(WriteResult.Outcome.FAILED);
        assertThat(w.detail()).contains("powerSetpoint", "wrote 1000 W but the device holds 0 W");
    }

    @Test
    void aSilentDeviceFailsTheWriteWithinItsDeadlineAndGoesOffline() throws Exception {
        try (ScriptedModbusServer silent = new ScriptedModbusServer()) {
            silent.behave(ScriptedModbusServer.Behaviour.SILENT);
            component.activate(bundle.context, Configs.of(config(silent.port())));
            Battery battery = battery();
            long start = System.nanoTime();
            WriteResult w = battery.setPower(Power.ofWatts(1000)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertThat(w.outcome()).isEqualTo(WriteResult.Outcome.FAILED);
            assertThat(w.detail()).contains("home-battery");
            // the write waits behind at most one poll; each costs one timeout, the deadline is ten
            assertThat(tookMillis).isLessThanOrEqualTo(DevicePoller.WRITE_TIMEOUTS * 400 + 2000);
            await(() -> battery.status().state() == DeviceStatus.State.OFFLINE, "offline");
            assertThat(battery.status().reason()).contains(String.valueOf(silent.port()));
            assertThat(component.health().status()).isEqualTo(HealthStatus.DEGRADED);
        }
    }

    @Test
    void aBatteryConfigurationIsRefusedWithEveryReason() throws Exception {
        Path map = dir.resolve("no-setpoint.json");
        Files.writeString(map, """
                {"name": "read only", "points": [
                  {"name": "soc", "registerType": "holding", "address": 0, "type": "uint16"}]}
                """);
        Map<String, Object> c = config(server.port());
        c.put("map", map.toString());
        c.put("capacityWattHours", 0.0);
        c.put("maxChargeWatts", -1.0);
        c.put("phases", 2);
        component.activate(bundle.context, Configs.of(c));
        assertThat(bundle.live).isEmpty();
        assertThat(String.join("\n", component.health().details())).contains("capacityWattHours 0.0",
                "maxChargeWatts -1.0", "phases 2", "lacks a battery power point", "writable powerSetpoint");
    }
}
