package org.fusebox.driver.modbus.device;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.driver.Channel;
import org.fusebox.api.driver.ChannelRecord;
import org.fusebox.api.driver.ConnectionException;
import org.fusebox.api.driver.PreparedRead;
import org.fusebox.api.units.Power;
import org.fusebox.driver.modbus.PointChannels;
import org.fusebox.driver.modbus.map.Point;
import org.fusebox.driver.modbus.map.RegisterMap;
import org.fusebox.driver.modbus.sunspec.SunSpecModel;
import org.fusebox.driver.modbus.sunspec.SunSpecPoints;
import org.fusebox.driver.modbus.sunspec.SunSpecScan;
import org.fusebox.driver.modbus.sunspec.SunSpecScanner;
import org.fusebox.driver.modbus.tcp.ModbusTcpDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one device on its own daemon thread and keeps the latest reading and status. Nothing here throws
 * into a caller: every failure becomes a {@link DeviceStatus} with the reason, and the latest reading is
 * dropped so no one acts on a value the device no longer vouches for.
 */
final class DevicePoller {

    static final long MAX_BACKOFF_MILLIS = 30_000;

    private static final Logger LOG = LoggerFactory.getLogger(DevicePoller.class);

    private final DeviceSettings settings;
    private final Clock clock;
    private final Runnable onPoll;
    private final ModbusTcpDriver driver;
    private ScheduledExecutorService executor;
    private PreparedRead read; // built on the first poll that reaches the device when the map is discovered
    private long backoffMillis;

    private volatile DeviceStatus status;
    private volatile Object latest;

    /** @param onPoll run on the poll thread after every poll, successful or not */
    DevicePoller(DeviceSettings settings, Clock clock, Runnable onPoll) {
        this.settings = settings;
        this.clock = clock;
        this.onPoll = onPoll;
        this.driver = new ModbusTcpDriver(settings.id(), settings.tcp(), clock);
        this.status = DeviceStatus.offline("not polled yet", clock.instant());
        if (!settings.sunspec()) {
            read = driver.prepareRead(channels(settings.map()));
        }
    }

    DeviceSettings settings() {
        return settings;
    }

    DeviceStatus status() {
        return status;
    }

    /** The latest reading of the given type, or {@code null}. */
    <T> T latest(Class<T> type) {
        Object r = latest;
        return type.isInstance(r) ? type.cast(r) : null;
    }

    synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "fusebox-modbus-" + settings.id());
            t.setDaemon(true);
            return t;
        });
        executor.execute(this::cycle);
    }

    synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
        driver.disconnect();
    }

    private void cycle() {
        long delay;
        try {
            delay = pollOnce() ? settings.pollMillis() : nextBackoff();
        } catch (RuntimeException e) {
            // a bug must not end the polling thread
            LOG.error("{}: poll failed unexpectedly", settings.id(), e);
            fail(DeviceStatus.State.FAULT, "internal error: " + e);
            delay = nextBackoff();
        }
        try {
            onPoll.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: reading listener failed: {}", settings.id(), e.toString());
        }
        ScheduledExecutorService ex;
        synchronized (this) {
            ex = executor;
        }
        if (ex != null && !ex.isShutdown()) {
            try {
                ex.schedule(this::cycle, delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // stopped between the check and the schedule
            }
        }
    }

    /** One poll; true when a reading was published. */
    boolean pollOnce() {
        try {
            if (read == null) {
                read = discover();
                if (read == null) {
                    return false;
                }
            }
            List<ChannelRecord> records = read.execute();
            Instant at = clock.instant();
            ReadingMapper mapper = new ReadingMapper(records);
            Object reading = settings.role() == Role.GRID_METER ? mapper.meter(at)
                    : mapper.pv(at, Power.ofWatts(settings.ratedPowerWatts()));
            latest = reading;
            backoffMillis = 0;
            if (!status.isOnline()) {
                LOG.info("{}: online", settings.id());
                status = DeviceStatus.online(at);
            }
            return true;
        } catch (ConnectionException e) {
            fail(DeviceStatus.State.OFFLINE, e.getMessage());
        } catch (ReadingMapper.MissingPointException e) {
            fail(DeviceStatus.State.FAULT, e.getMessage());
        }
        return false;
    }

    private PreparedRead discover() throws ConnectionException {
        SunSpecScan scan = new SunSpecScanner(driver).scan();
        int modelId = settings.role() == Role.GRID_METER ? SunSpecPoints.METER_WYE : SunSpecPoints.INVERTER_THREE_PHASE;
        SunSpecModel model = scan.model(modelId).orElse(null);
        if (model == null) {
            String found = scan.found() ? "found models " + scan.models().stream().map(SunSpecModel::id).toList()
                    : "";
            String problem = scan.problem() == null ? "" : scan.problem();
            fail(DeviceStatus.State.FAULT, "SunSpec model " + modelId + " not found: "
                    + String.join("; ", List.of(found, problem).stream().filter(s -> !s.isEmpty()).toList()));
            return null;
        }
        RegisterMap map = settings.role() == Role.GRID_METER
                ? renamed(SunSpecPoints.meter203(model), PointNames.SUNSPEC_METER)
                : renamed(SunSpecPoints.inverter103(model), PointNames.SUNSPEC_INVERTER);
        LOG.info("{}: SunSpec model {} at register {}", settings.id(), modelId, model.dataAddress());
        return driver.prepareRead(channels(map));
    }

    static RegisterMap renamed(RegisterMap map, Map<String, String> names) {
        return new RegisterMap(map.name(), map.points().stream()
                .map(p -> new Point(names.getOrDefault(p.name(), p.name()), p.registerType(), p.address(), p.type(),
                        p.wordOrder(), p.scale(), p.scaleFactorAddress(), p.unit()))
                .toList());
    }

    private static List<Channel> channels(RegisterMap map) {
        return map.points().stream().map(PointChannels::toChannel).toList();
    }

    private void fail(DeviceStatus.State state, String reason) {
        latest = null;
        DeviceStatus now = status;
        if (now.state() != state || !now.reason().equals(reason)) {
            LOG.warn("{}: {}: {}", settings.id(), state, reason);
            status = new DeviceStatus(state, reason, now.state() == state ? now.since() : clock.instant());
        }
    }

    private long nextBackoff() {
        backoffMillis = backoffMillis == 0 ? settings.pollMillis()
                : Math.min(backoffMillis * 2, Math.max(MAX_BACKOFF_MILLIS, settings.pollMillis()));
        return backoffMillis;
    }
}
