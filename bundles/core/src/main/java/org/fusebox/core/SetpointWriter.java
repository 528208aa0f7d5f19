package org.fusebox.core;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
    /** Devices put in their safe state on leaving: a cycle already under way must not write over that. */
    private final Set<String> retired = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> deviceLocks = new ConcurrentHashMap<>();
    /** Writes of a cycle being handed to each device's driver now. */
    private final Map<String, Integer> writing = new ConcurrentHashMap<>();
    /** How long a leaving device's safe state waits for a cycle's write in progress. */
    static final long SAFE_STATE_WAIT_MILLIS = 500;
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
            String id = c.connector().chargerId();
            devices.charger(id).ifPresentOrElse(
                    ch -> send(id, key, ch, c.limit().amps(), CURRENT_STEP_AMPS, refresh,
                            () -> ch.setCurrentLimit(c.connector().connectorId(), c.limit())),
                    () -> record(key, WriteResult.failed("charger not present")));
        }
        for (BatterySetpoint b : setpoints.batteries()) {
            devices.battery(b.batteryId()).ifPresentOrElse(
                    bat -> send(b.batteryId(), b.batteryId(), bat, b.power().watts(), POWER_STEP_WATTS, refresh, () -> bat.setPower(b.power())),
                    () -> record(b.batteryId(), WriteResult.failed("battery not present")));
        }
        for (PvSetpoint p : setpoints.pv()) {
            devices.inverter(p.inverterId()).ifPresent(
                    pv -> send(p.inverterId(), p.inverterId(), pv, p.maxOutput().watts(), POWER_STEP_WATTS, refresh,
                            () -> pv.limitOutput(p.maxOutput())));
        }
    }

    /**
     * Sends a leaving device's safe state at once, whatever was sent before, and writes nothing more to it until
     * it is {@link #welcome welcomed} back. A cycle planned before it left may be writing to it right now: the safe
     * state waits for that write to be handed over (at most {@link #SAFE_STATE_WAIT_MILLIS}), so it comes after it.
     * No lock is held while a driver is called: a driver that is stopping may hold its own locks while it leaves.
     */
    void writeSafeState(String deviceId, String key, Supplier<CompletionStage<WriteResult>> write) {
        Object lock = lock(deviceId);
        synchronized (lock) {
            retired.add(deviceId);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SAFE_STATE_WAIT_MILLIS);
            long left;
            while (writing.getOrDefault(deviceId, 0) > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        sent.remove(key);
        dispatch(key, write);
    }

    private Object lock(String deviceId) {
        return deviceLocks.computeIfAbsent(deviceId, k -> new Object());
    }

    private void send(String deviceId, String key, Device device, double value, double step, Duration refresh,
            Supplier<CompletionStage<WriteResult>> write) {
        Object lock = lock(deviceId);
        synchronized (lock) {
            if (retired.contains(deviceId)) {
                return;
            }
            writing.merge(deviceId, 1, Integer::sum);
        }
        try {
            sendIfDue(key, device, value, step, refresh, write);
        } finally {
            synchronized (lock) {
                writing.merge(deviceId, -1, Integer::sum);
                lock.notifyAll();
            }
        }
    }

    private void sendIfDue(String key, Device device, double value, double step, Duration refresh,
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

    /** A device with this id (back, or new) takes setpoints again, written afresh. */
    void welcome(String deviceId) {
        synchronized (lock(deviceId)) {
            forget(deviceId);
            retired.remove(deviceId);
        }
    }

    Map<String, WriteResult> results() {
        return Map.copyOf(results);
    }
}
