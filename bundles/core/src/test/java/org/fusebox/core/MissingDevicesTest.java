package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.fusebox.api.health.HealthStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A device that left is reported missing for a while, then no longer: it was most likely removed on purpose. */
class MissingDevicesTest {

    private static final long MINUTE = 60_000_000_000L;

    private final AtomicLong nanos = new AtomicLong(0);
    private final ControlLoopService loop = new ControlLoopService(nanos::get, false);
    private final TestDevices.Meter meter = new TestDevices.Meter("grid", 0);

    @AfterEach
    void stop() {
        loop.deactivate();
    }

    @Test
    void aDeviceThatLeftIsReportedForTenMinutesThenDroppedWithALogLine() {
        TestDevices.Charger charger = new TestDevices.Charger("a");
        loop.addGridMeter(meter);
        loop.addEvCharger(charger);
        loop.start(TestDevices.config(Map.of()), null);
        loop.runCycleNow("test");

        loop.removeEvCharger(charger);
        nanos.addAndGet(10 * MINUTE - 1);
        meter.set(0);
        loop.runCycleNow("test");
        assertThat(loop.state().reasons()).contains("a missing: held in its safe state");
        assertThat(loop.health().status()).isEqualTo(HealthStatus.DEGRADED);

        meter.set(0);
        // the clock moves inside the capture: a cycle the loop's own thread runs (asked for when the device left)
        // may be the one that drops it, and it must see the new time only while its log line is captured
        String log = ConfigurationSafetyTest.capturingStderr(() -> {
            nanos.addAndGet(1);
            loop.runCycleNow("test");
        });
        assertThat(loop.state().reasons()).doesNotContain("a missing: held in its safe state");
        assertThat(loop.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(log).contains("INFO org.fusebox.core.ControlLoopService - Device a has been missing for 10 min: no longer reported as missing");

        // it may still come back, and is controlled again at once
        TestDevices.Charger back = new TestDevices.Charger("a");
        loop.addEvCharger(back);
        meter.set(0);
        loop.runCycleNow("test");
        assertThat(back.lastWrite()).isEqualTo(32.0);
    }

    @Test
    void howLongIsConfigurableAndADeviceThatReturnsInTimeIsNotDropped() {
        TestDevices.Charger charger = new TestDevices.Charger("a");
        TestDevices.Bat battery = new TestDevices.Bat();
        loop.addGridMeter(meter);
        loop.addEvCharger(charger);
        loop.addBattery(battery);
        loop.start(TestDevices.config(Map.of("missingDeviceReportMillis", 60_000L)), null);
        loop.runCycleNow("test");
        loop.removeEvCharger(charger);
        loop.removeBattery(battery);

        nanos.addAndGet(MINUTE / 2);
        loop.addBattery(battery);
        meter.set(0);
        loop.runCycleNow("test");
        assertThat(loop.state().reasons()).containsExactly("a missing: held in its safe state");

        nanos.addAndGet(MINUTE / 2);
        meter.set(0);
        loop.runCycleNow("test");
        assertThat(loop.state().reasons()).isEmpty();
    }
}
