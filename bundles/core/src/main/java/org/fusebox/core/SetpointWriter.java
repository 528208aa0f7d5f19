package org.fusebox.core;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.fusebox.api.control.BatterySetpoint;
import org.fusebox.api.control.ChargerSetpoint;
import org.fusebox.api.control.PvSetpoint;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.Device;
import org.fusebox.api.device.WriteResult;

/**
 * Sends setpoints to devices: only when they change, or again after the refresh interval so device
 * watchdogs know the controller is alive. Writes never block the cycle; answers are collected as they
 * arrive.
 */
final class SetpointWriter {

    /** Changes smaller than this are not worth a write (chargers take tenths of an amp, batteries tens of watts). */
    private static final double CURRENT_STEP_AMPS = 0.05;
    private static final double POWER_STEP_WATTS = 10;

    private record Sent(double value, long atNanos) {
    }

    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final Map<String, WriteResult> results = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private final Clock wallClock;

    SetpointWriter(LongSupplier nanoTime) {
        this(nanoTime, Clock.systemUTC());
    }

    SetpointWriter(LongSupplier nanoTime, Clock wallClock) {
        this.nanoTime = nanoTime;
        this.wallClock = wallClock;
    }

    void write(Setpoints setpoints, DeviceRegistry devices, Duration refresh) {
        for (ChargerSetpoint c : setpoints.chargers()) {
            String key = c.connector().toString();
            devices.charger(c.connector().chargerId()).ifPresentOrElse(
                    ch -> send(key, ch, c.limit().amps(), CURRENT_STEP_AMPS, refresh,
                            () -> ch.setCurrentLimit(c.connector().connectorId(), c.limit())),
                    () -> record(key, WriteResult.failed("charger not present")));
        }
        for (BatterySetpoint b : setpoints.batteries()) {
            devices.battery(b.batteryId()).ifPresentOrElse(
                    bat -> send(b.batteryId(), bat, b.power().watts(), POWER_STEP_WATTS, refresh, () -> bat.setPower(b.power())),
                    () -> record(b.batteryId(), WriteResult.failed("battery not present")));
        }
        for (PvSetpoint p : setpoints.pv()) {
            devices.inverter(p.inverterId()).ifPresent(
                    pv -> send(p.inverterId(), pv, p.maxOutput().watts(), POWER_STEP_WATTS, refresh, () -> pv.limitOutput(p.maxOutput())));
        }
    }

    /** Sends at once, whatever was sent before: for the safe state of a device that is leaving. */
    void writeNow(String key, Supplier<CompletionStage<WriteResult>> write) {
        sent.remove(key);
        dispatch(key, write);
    }

    private void send(String key, Device device, double value, double step, Duration refresh,
            Supplier<CompletionStage<WriteResult>> write) {
        if (!isOnline(device)) {
            record(key, WriteResult.failed("device not online"));
            sent.remove(key);
            return;
        }
        long now = nanoTime.getAsLong();
        Sent last = sent.get(key);
        if (last != null && Math.abs(last.value() - value) < step && now - last.atNanos() < refresh.toNanos()) {
            return;
        }
        sent.put(key, new Sent(value, now));
        dispatch(key, write);
    }

    private void dispatch(String key, Supplier<CompletionStage<WriteResult>> write) {
        try {
            write.get().whenComplete((r, e) -> record(key,
                    e != null ? WriteResult.failed(String.valueOf(e.getMessage())) : r == null ? WriteResult.failed("no answer") : r));
        } catch (RuntimeException | LinkageError e) {
            record(key, WriteResult.failed("driver error: " + e));
            sent.remove(key);
        }
    }

    /**
     * Keeps a device's answer. A refusal or failure is stamped with when it came (real time) and stays
     * until the device accepts a later write, so one bad answer is not lost under the next cycle's news.
     */
    private void record(String key, WriteResult result) {
        if (result.isAccepted()) {
            results.put(key, result);
            return;
        }
        results.put(key, new WriteResult(result.outcome(), result.detail() + " (at " + wallClock.instant() + ", real time)"));
    }

    private static boolean isOnline(Device d) {
        try {
            return d.status().isOnline();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Forgets a device that left, so it is written afresh when it returns. */
    void forget(String idPrefix) {
        sent.keySet().removeIf(k -> k.equals(idPrefix) || k.startsWith(idPrefix + "/"));
    }

    Map<String, WriteResult> results() {
        return Map.copyOf(results);
    }
}
