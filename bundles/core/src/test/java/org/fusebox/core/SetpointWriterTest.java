package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.units.Current;
import org.junit.jupiter.api.Test;

class SetpointWriterTest {

    private final AtomicLong nanos = new AtomicLong();
    private final SetpointWriter writer = new SetpointWriter(nanos::get,
            Clock.fixed(Instant.parse("2026-12-07T10:15:30Z"), ZoneOffset.UTC));
    private final DeviceRegistry devices = new DeviceRegistry(nanos::get);
    private final TestDevices.Charger charger = new TestDevices.Charger("cp-1");
    private final ConnectorRef cp1 = new ConnectorRef("cp-1", 1);

    @Test
    void aRefusalStaysWithItsTimeUntilALaterWriteIsAccepted() {
        devices.add(DeviceRegistry.Role.EV_CHARGER, charger);
        Duration refresh = Duration.ofSeconds(5);

        charger.answer = WriteResult.rejected("profile refused");
        writer.write(Setpoints.empty().withChargerLimit(cp1, Current.ofAmps(10)), devices, refresh);
        WriteResult refused = writer.results().get("cp-1/1");
        assertThat(refused.outcome()).isEqualTo(WriteResult.Outcome.REJECTED);
        assertThat(refused.detail()).isEqualTo("profile refused (at 2026-12-07T10:15:30Z, real time)");

        // The next cycles ask the same: nothing is sent again before the refresh, and the refusal stays visible.
        charger.answer = WriteResult.accepted();
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        writer.write(Setpoints.empty().withChargerLimit(cp1, Current.ofAmps(10)), devices, refresh);
        assertThat(charger.writes).hasSize(1);
        assertThat(writer.results().get("cp-1/1")).isEqualTo(refused);

        // A changed limit the charger accepts clears it.
        writer.write(Setpoints.empty().withChargerLimit(cp1, Current.ofAmps(12)), devices, refresh);
        assertThat(writer.results().get("cp-1/1")).isEqualTo(WriteResult.accepted());
    }

    @Test
    void aCycleUnderWayDoesNotWriteOverTheSafeStateOfALeavingCharger() {
        devices.add(DeviceRegistry.Role.EV_CHARGER, charger);
        Duration refresh = Duration.ofSeconds(5);
        writer.write(Setpoints.empty().withChargerLimit(cp1, Current.ofAmps(32)), devices, refresh);

        // the charger leaves: its failsafe current goes out; a cycle that planned with it still writes 32 A
        writer.writeSafeState("cp-1", "cp-1/1", () -> charger.setCurrentLimit(1, Current.ofAmps(8)));
        writer.write(Setpoints.empty().withChargerLimit(cp1, Current.ofAmps(32)), devices, refresh);
        assertThat(charger.lastWrite()).isEqualTo(8.0);

        // back: it takes setpoints again, at once
        writer.welcome("cp-1");
        writer.write(Setpoints.empty().withChargerLimit(cp1, Current.ofAmps(32)), devices, refresh);
        assertThat(charger.lastWrite()).isEqualTo(32.0);
    }

    @Test
    void aSafeStateIsNotHeldUpForeverByACycleWriteStuckInTheDriver() throws Exception {
        devices.add(DeviceRegistry.Role.EV_CHARGER, charger);
        java.util.concurrent.CountDownLatch driverLock = new java.util.concurrent.CountDownLatch(1);
        charger.holdWrites = driverLock;
        // a cycle's write blocks in the driver, whose lock the leaving thread holds (a driver stopping)
        Thread cycle = new Thread(() -> writer.write(Setpoints.empty().withChargerLimit(cp1, Current.ofAmps(32)), devices,
                Duration.ofSeconds(5)));
        cycle.start();
        while (cycle.getState() != Thread.State.WAITING) {
            Thread.sleep(5);
        }

        Thread leaving = new Thread(() -> writer.writeSafeState("cp-1", "cp-1/1", () -> {
            charger.holdWrites = null;
            driverLock.countDown();
            return charger.setCurrentLimit(1, Current.ofAmps(8));
        }));
        leaving.start();
        leaving.join(30_000);
        cycle.join(30_000);

        assertThat(leaving.isAlive()).as("the safe state waited for the stuck write for ever").isFalse();
        assertThat(cycle.isAlive()).isFalse();
        assertThat(charger.writes).contains(8.0);
    }
}
