package org.fusebox.driver.modbus.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fusebox.driver.modbus.peer.Waits.await;

import java.util.HashMap;
import java.util.Map;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.GridMeter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An RTU device configuration: accepted and polled (the port is missing here, so it stays OFFLINE), or refused. */
@Timeout(60)
class RtuConfigurationTest {

    private final RecordingBundleContext bundle = new RecordingBundleContext();
    private final ModbusDeviceComponent component = new ModbusDeviceComponent();

    @AfterEach
    void stop() {
        component.deactivate();
    }

    private static Map<String, Object> rtu() {
        Map<String, Object> c = new HashMap<>();
        c.put("id", "sdm-rtu");
        c.put("transport", "rtu");
        c.put("serialPort", "/dev/ttyFUSEBOX-NONE");
        c.put("baudRate", 9600);
        c.put("parity", "none");
        c.put("stopBits", 2);
        c.put("unitId", 2);
        c.put("timeoutMillis", 300);
        c.put("pollMillis", 100L);
        c.put("map", "builtin:eastron-sdm630");
        return c;
    }

    @Test
    void anRtuDeviceIsRegisteredAndOfflineNamingItsPort() throws Exception {
        component.activate(bundle.context, Configs.of(rtu()));
        assertThat(bundle.live).singleElement().satisfies(r -> assertThat(r.className())
                .isEqualTo(GridMeter.class.getName()));
        GridMeter meter = (GridMeter) bundle.live.get(0).service();
        await(() -> meter.status().reason().contains("/dev/ttyFUSEBOX-NONE"), "the port is named");
        assertThat(meter.status().state()).isEqualTo(DeviceStatus.State.OFFLINE);
        assertThat(meter.status().reason()).contains("9600 8N2 unit 2");
    }

    @Test
    void aBadRtuConfigurationIsRefusedWithEveryReason() {
        Map<String, Object> c = rtu();
        c.put("serialPort", "");
        c.put("baudRate", 1234);
        c.put("parity", "mark");
        c.put("dataBits", 9);
        c.put("unitId", 248);
        component.activate(bundle.context, Configs.of(c));
        assertThat(bundle.live).isEmpty();
        assertThat(String.join("\n", component.health().details())).contains("serialPort is empty",
                "baudRate 1234", "parity 'mark'", "dataBits 9", "unitId 248");

        Map<String, Object> unknown = rtu();
        unknown.put("transport", "carrier-pigeon");
        component.modified(Configs.of(unknown));
        assertThat(String.join("\n", component.health().details())).contains("transport 'carrier-pigeon'");
    }
}
