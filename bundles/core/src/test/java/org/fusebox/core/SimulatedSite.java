package org.fusebox.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.fusebox.api.control.ControlMode;
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
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;
import org.fusebox.testing.TestSites;

/**
 * A site whose physics the test knows (the true uncontrolled load, what each EV really draws) next to what
 * its devices report (a meter that may miss polls, chargers whose meter values lag, stop, or stay behind
 * after a transaction), driven through the real control loop one second of a fake clock at a time.
 */
final class SimulatedSite {

    static final double FUSE = 63;
    static final double MARGIN = 2;
    static final double CHARGER_MAX = 32;
    static final double FAILSAFE_AMPS = 6;
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong nanos = new AtomicLong(1_000 * SECOND);
    final ControlLoopService loop = new ControlLoopService(nanos::get, false);
    final Meter meter = new Meter();
    final List<Charger> chargers = new ArrayList<>();
    /** The true load nothing controls, equal on every phase. */
    double uncontrolled;
    private int step;

    SimulatedSite(int chargerCount, double uncontrolled) {
        this(chargerCount, uncontrolled, Map.of());
    }

    /** @param config core configuration keys on top of the 63 A fuse, 2 A margin and a 1 s period (the fake clock's step) */
    SimulatedSite(int chargerCount, double uncontrolled, Map<String, Object> config) {
        this.uncontrolled = uncontrolled;
        loop.addGridMeter(meter);
        for (int i = 0; i < chargerCount; i++) {
            Charger c = new Charger("ev-" + i);
            chargers.add(c);
            loop.addEvCharger(c);
        }
        Map<String, Object> all = new java.util.HashMap<>(Map.of("fuseLimitAmps", FUSE, "safetyMarginAmps", MARGIN, "cyclePeriodMillis", 1000L));
        all.putAll(config);
        loop.start(all, null);
    }

    void stop() {
        loop.deactivate();
    }

    Instant wallNow() {
        return TestSites.T0.plusNanos(nanos.get());
    }

    /** The true current per phase at the grid connection now. */
    double trueGridAmps() {
        return uncontrolled + chargers.stream().mapToDouble(Charger::trueDraw).sum();
    }

    /** The most the grid can carry before the next cycle if every EV takes all it was allowed. */
    double worstCaseAmps() {
        return uncontrolled + chargers.stream().mapToDouble(c -> c.limit).sum();
    }

    /** One second passes: the meter polls (unless {@code meterFails}), then the loop runs a cycle. */
    void second(boolean meterFails) {
        nanos.addAndGet(SECOND);
        step++;
        for (Charger c : chargers) {
            c.sampleIfDue(step, wallNow());
        }
        meter.poll(meterFails, trueGridAmps(), wallNow());
        loop.runCycleNow("test");
    }

    ControlMode mode() {
        return loop.state().mode();
    }

    /** A grid meter that keeps its last good reading, marked stale, after a failed poll. */
    static final class Meter implements GridMeter {
        private volatile MeterReading reading;
        private volatile DeviceStatus status = DeviceStatus.online(Instant.EPOCH);

        void poll(boolean fails, double amps, Instant now) {
            if (fails && reading != null) {
                status = DeviceStatus.stale("no answer to the last poll", now);
                return;
            }
            reading = new MeterReading(now, Power.ofWatts(amps * 230 * 3), PhaseCurrents.ofAmps(amps, amps, amps), Voltage.NOMINAL_230,
                    Energy.ZERO, Energy.ZERO);
            status = DeviceStatus.online(now);
        }

        boolean stale() {
            return status.stale();
        }

        @Override
        public String id() {
            return "grid";
        }

        @Override
        public DeviceStatus status() {
            return status;
        }

        @Override
        public Optional<MeterReading> reading() {
            return Optional.ofNullable(reading);
        }

        @Override
        public void addReadingListener(ReadingListener l) {
        }

        @Override
        public void removeReadingListener(ReadingListener l) {
        }
    }

    /**
     * A one-connector three-phase charger with an EV. The EV draws what it wants up to the limit, or nothing
     * while it pauses on its own; the charger reports the state it believes in and the currents of its last
     * sample, stamped with the time of that sample, every {@code sampleEvery} seconds, or never again once it
     * {@code stopsReporting}.
     */
    final class Charger implements EvCharger {
        private final String id;
        private final ConnectorInfo info = new ConnectorInfo(1, TestSites.THREE, Current.ofAmps(6), Current.ofAmps(CHARGER_MAX),
                Current.ofAmps(FAILSAFE_AMPS));
        /** The limit the charger applies (the last one written). */
        double limit;
        final List<Double> writes = new ArrayList<>();
        /** What the EV would take if allowed. */
        double wants = CHARGER_MAX;
        /** The EV stopped drawing without telling (paused by the car); it may resume at any time. */
        boolean evPaused;
        /** The transaction stopped: the charger delivers nothing, whatever it still reports. */
        boolean sessionEnded;
        ConnectorState reportedState = ConnectorState.CHARGING;
        int sampleEvery = 1;
        boolean stopsReporting;
        private double reportedAmps;
        private Instant measuredAt;

        Charger(String id) {
            this.id = id;
        }

        double trueDraw() {
            return evPaused || sessionEnded ? 0 : Math.min(wants, limit);
        }

        void sampleIfDue(int step, Instant now) {
            if (measuredAt == null || !stopsReporting && step % sampleEvery == 0) {
                reportedAmps = trueDraw();
                measuredAt = now;
            }
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
            // The driver stamps the reading "now"; only measuredAt tells how old the currents are.
            ConnectorReading c = new ConnectorReading(1, reportedState, Power.ofWatts(reportedAmps * 690),
                    PhaseCurrents.ofAmps(reportedAmps, reportedAmps, reportedAmps), Current.ofAmps(limit), Energy.ZERO,
                    new EvSession("s-" + id, null, TestSites.T0, Energy.ZERO, null, null, null, null), measuredAt);
            return Optional.of(new ChargerReading(wallNow(), List.of(c)));
        }

        @Override
        public CompletionStage<WriteResult> setCurrentLimit(int connectorId, Current l) {
            limit = l.amps();
            writes.add(limit);
            return CompletableFuture.completedFuture(WriteResult.accepted());
        }
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
