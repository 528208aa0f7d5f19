package org.fusebox.driver.modbus.device;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.driver.Channel;
import org.fusebox.api.driver.ChannelRecord;
import org.fusebox.api.driver.ConnectionException;
import org.fusebox.api.driver.PreparedRead;
import org.fusebox.api.units.Power;
import org.fusebox.driver.modbus.ModbusMasterDriver;
import org.fusebox.driver.modbus.PointChannels;
import org.fusebox.driver.modbus.map.PollClass;
import org.fusebox.driver.modbus.map.RegisterMap;
import org.fusebox.driver.modbus.sunspec.SunSpecScanner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one device on its own daemon thread and keeps the latest reading and status. Nothing here throws
 * into a caller: every failure becomes a {@link DeviceStatus} with the reason, and the latest reading is
 * dropped so no one acts on a value the device no longer vouches for. Setpoint writes run on the same
 * thread between polls, so the device sees one request at a time; the caller gets a future at once.
 */
final class DevicePoller {

    static final long MAX_BACKOFF_MILLIS = 30_000;
    /** A write's requests (scale factor, value, read-back, for up to three registers) each get the timeout. */
    static final int WRITE_TIMEOUTS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(DevicePoller.class);

    private final DeviceSettings settings;
    private final Clock clock;
    private final Runnable onPoll;
    private final ModbusMasterDriver driver;
    private ScheduledExecutorService executor;
    // poll-thread state: the profile is settled on the first poll that reaches a SunSpec device
    private DeviceProfile profile;
    private PreparedRead fastRead;
    private PreparedRead slowRead;
    private List<ChannelRecord> slowRecords = List.of();
    private long polls;
    private long backoffMillis;

    private volatile DeviceStatus status;
    private volatile Object latest;
    private volatile BatteryRatings ratings;
    private volatile Double commandedWatts;

    /** @param onPoll run on the poll thread after every poll, successful or not */
    DevicePoller(DeviceSettings settings, Clock clock, Runnable onPoll) {
        this.settings = settings;
        this.clock = clock;
        this.onPoll = onPoll;
        this.driver = new ModbusMasterDriver(settings.id(), settings.transport(), clock);
        this.status = DeviceStatus.offline("not polled yet", clock.instant());
        this.ratings = settings.ratings();
        if (!settings.sunspec()) {
            use(DeviceProfile.fromMap(settings.map(), settings.role(), settings.ratedPowerWatts()));
        }
    }

    DeviceSettings settings() {
        return settings;
    }

    DeviceStatus status() {
        return status;
    }

    /** The configured ratings, capped by the limits the battery reports; null for other roles. */
    BatteryRatings ratings() {
        return ratings;
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

    /**
     * Queues a setpoint write behind the poll in progress. The future completes with the device's answer,
     * or FAILED when there was none within {@link #WRITE_TIMEOUTS} timeouts; a write still queued then is
     * dropped, never sent late.
     */
    CompletionStage<WriteResult> write(double watts) {
        CompletableFuture<WriteResult> result = new CompletableFuture<>();
        long deadline = (long) WRITE_TIMEOUTS * settings.transport().timeoutMillis();
        result.completeOnTimeout(WriteResult.failed("no answer from " + settings.id() + " within " + deadline
                + " ms"), deadline, TimeUnit.MILLISECONDS);
        ScheduledExecutorService ex;
        synchronized (this) {
            ex = executor;
        }
        if (ex == null) {
            result.complete(WriteResult.failed(settings.id() + " is stopped"));
            return result;
        }
        try {
            ex.execute(() -> {
                if (!result.isDone()) {
                    result.complete(writeNow(watts));
                }
            });
        } catch (RejectedExecutionException stopped) {
            result.complete(WriteResult.failed(settings.id() + " is stopped"));
        }
        return result;
    }

    private WriteResult writeNow(double watts) {
        try {
            if (profile == null) {
                settle();
                if (profile == null) {
                    return WriteResult.failed(settings.id() + ": " + status.reason());
                }
            }
            WriteResult r = profile.writer().write(driver, watts);
            if (r.isAccepted()) {
                commandedWatts = watts;
            } else {
                LOG.warn("{}: setpoint {} W not taken: {} {}", settings.id(), watts, r.outcome(), r.detail());
            }
            return r;
        } catch (ConnectionException e) {
            fail(DeviceStatus.State.OFFLINE, e.getMessage());
            return WriteResult.failed(e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{}: write failed unexpectedly", settings.id(), e);
            return WriteResult.failed("internal error: " + e);
        }
    }

    /** The setpoint last accepted, or null. */
    Double commandedWatts() {
        return commandedWatts;
    }

    boolean canWrite() {
        DeviceProfile p = profile;
        // a SunSpec device is only known after its scan; until then assume it can, the write will tell
        return p == null || p.canWrite();
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
            } catch (RejectedExecutionException stopped) {
                // stopped between the check and the schedule
            }
        }
    }

    /** One poll; true when a reading was published. */
    boolean pollOnce() {
        try {
            if (profile == null) {
                settle();
                if (profile == null) {
                    return false;
                }
            }
            boolean slowDue = slowRead != null && (slowRecords.isEmpty() || polls % settings.slowPollEvery() == 0);
            polls++;
            List<ChannelRecord> records = new ArrayList<>(fastRead.execute());
            if (slowDue) {
                slowRecords = slowRead.execute();
            }
            records.addAll(slowRecords);
            Instant at = clock.instant();
            ReadingMapper mapper = new ReadingMapper(records);
            Double commanded = commandedWatts;
            Object reading = switch (settings.role()) {
                case GRID_METER -> mapper.meter(at);
                case PV_INVERTER -> mapper.pv(at, Power.ofWatts(commanded != null
                        ? Math.min(commanded, settings.ratedPowerWatts()) : settings.ratedPowerWatts()));
                case BATTERY -> {
                    ratings = mapper.cappedRatings(settings.ratings());
                    yield mapper.battery(at, commanded == null ? 0 : commanded);
                }
            };
            latest = reading;
            backoffMillis = 0;
            if (!status.isOnline()) {
                LOG.info("{}: online", settings.id());
                status = DeviceStatus.online(at);
            }
            return true;
        } catch (ConnectionException e) {
            slowRecords = List.of(); // read everything again once the device is back
            fail(DeviceStatus.State.OFFLINE, e.getMessage());
        } catch (ReadingMapper.MissingPointException e) {
            fail(DeviceStatus.State.FAULT, e.getMessage());
        }
        return false;
    }

    /** Scans a SunSpec device for the role's models; leaves the profile null and a FAULT when they are missing. */
    private void settle() throws ConnectionException {
        try {
            DeviceProfile found = DeviceProfile.fromSunSpec(new SunSpecScanner(driver).scan(), settings.role(),
                    settings.ratedPowerWatts());
            LOG.info("{}: SunSpec {}", settings.id(), found.map().points().stream().map(p -> p.name()).toList());
            use(found);
        } catch (IllegalStateException | IllegalArgumentException e) {
            fail(DeviceStatus.State.FAULT, e.getMessage());
        }
    }

    private void use(DeviceProfile p) {
        profile = p;
        fastRead = driver.prepareRead(channels(p.map(), PollClass.FAST));
        List<Channel> slow = channels(p.map(), PollClass.SLOW);
        slowRead = slow.isEmpty() ? null : driver.prepareRead(slow);
        slowRecords = List.of();
    }

    private static List<Channel> channels(RegisterMap map, PollClass poll) {
        return map.points().stream().filter(p -> p.access().readable() && p.poll() == poll)
                .map(PointChannels::toChannel).toList();
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
