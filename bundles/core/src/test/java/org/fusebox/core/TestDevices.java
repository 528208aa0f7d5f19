package org.fusebox.core;

import org.fusebox.testing.TestSites;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fusebox.api.device.Battery;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.EvCharger;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.device.GridMeter;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.device.ReadingListener;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;

/** Minimal in-memory devices for the core's unit tests; the simulator stands in for real ones elsewhere. */
final class TestDevices {

    private TestDevices() {
    }

    /** A core configuration with a 40 A fuse and the other defaults, except the given overrides. */
    static Map<String, Object> config(Map<String, Object> overrides) {
        Map<String, Object> m = new java.util.HashMap<>();
        m.put("fuseLimitAmps", 40.0);
        m.putAll(overrides);
        return m;
    }

    static final class Meter implements GridMeter {
        final List<ReadingListener> listeners = new CopyOnWriteArrayList<>();
        volatile MeterReading reading;
        private final String id;

        Meter(String id, double amps) {
            this.id = id;
            set(amps);
        }

        void set(double amps) {
            reading = new MeterReading(Instant.now(), Power.ofWatts(amps * 230 * 3), PhaseCurrents.ofAmps(amps, amps, amps),
                    Voltage.NOMINAL_230, Energy.ZERO, Energy.ZERO);
            listeners.forEach(l -> l.readingUpdated(this));
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public DeviceStatus status() {
            return DeviceStatus.online(Instant.EPOCH);
        }

        @Override
        public Optional<MeterReading> reading() {
            return Optional.ofNullable(reading);
        }

        @Override
        public void addReadingListener(ReadingListener l) {
            listeners.add(l);
        }

        @Override
        public void removeReadingListener(ReadingListener l) {
            listeners.remove(l);
        }
    }

    static final class Charger implements EvCharger {
        final List<Double> writes = new CopyOnWriteArrayList<>();
        /** The EV on connector 1, null when none is plugged in. */
        volatile EvSession session;
        /** When set, reading() throws it, as a broken driver would. */
        volatile RuntimeException readFailure;
        /** What the charger answers to a limit. */
        volatile WriteResult answer = WriteResult.accepted();
        /** When set, a write waits for it, as a driver call blocked on the driver's own lock does. */
        volatile java.util.concurrent.CountDownLatch holdWrites;
        private final String id;
        private final ConnectorInfo info = new ConnectorInfo(1, TestSites.THREE, Current.ofAmps(6), Current.ofAmps(32), Current.ofAmps(8));

        Charger(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public DeviceStatus status() {
            return DeviceStatus.online(Instant.EPOCH);
        }

        @Override
        public List<ConnectorInfo> connectors() {
            return List.of(info);
        }

        @Override
        public Optional<ChargerReading> reading() {
            RuntimeException failure = readFailure;
            if (failure != null) {
                throw failure;
            }
            return Optional.of(new ChargerReading(Instant.now(), List.of(new ConnectorReading(1, ConnectorState.CHARGING, Power.ZERO,
                    PhaseCurrents.ZERO, Current.ZERO, Energy.ZERO, session))));
        }

        @Override
        public CompletionStage<WriteResult> setCurrentLimit(int connectorId, Current limit) {
            java.util.concurrent.CountDownLatch hold = holdWrites;
            if (hold != null) {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            writes.add(limit.amps());
            return CompletableFuture.completedFuture(answer);
        }

        Double lastWrite() {
            return writes.isEmpty() ? null : writes.get(writes.size() - 1);
        }
    }

    static final class Bat implements Battery {
        final List<Double> writes = new CopyOnWriteArrayList<>();

        @Override
        public String id() {
            return "bat";
        }

        @Override
        public DeviceStatus status() {
            return DeviceStatus.online(Instant.EPOCH);
        }

        @Override
        public BatteryRatings ratings() {
            return new BatteryRatings(Energy.ofKilowattHours(10), Power.ofKilowatts(5), Power.ofKilowatts(5), Percent.of(90), 3);
        }

        @Override
        public Optional<BatteryReading> reading() {
            return Optional.of(new BatteryReading(Instant.now(), Power.ZERO, Percent.of(50), Power.ZERO));
        }

        @Override
        public CompletionStage<WriteResult> setPower(Power power) {
            writes.add(power.watts());
            return CompletableFuture.completedFuture(WriteResult.accepted());
        }
    }
}
