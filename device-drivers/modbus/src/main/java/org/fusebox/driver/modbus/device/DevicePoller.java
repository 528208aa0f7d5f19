package org.fusebox.driver.modbus.device;

import java.time.Clock;
import java.util.function.BiConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.PvReading;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.driver.Channel;
import org.fusebox.api.driver.ChannelRecord;
import org.fusebox.api.driver.ConnectionException;
import org.fusebox.api.driver.PreparedRead;
import org.fusebox.driver.modbus.ModbusMasterDriver;
import org.fusebox.driver.modbus.PlannedRead;
import org.fusebox.driver.modbus.PointChannels;
import org.fusebox.driver.modbus.RequestCounters;
import org.fusebox.driver.modbus.map.PollClass;
import org.fusebox.driver.modbus.map.RegisterMap;
import org.fusebox.driver.modbus.map.RegisterSpan;
import org.fusebox.driver.modbus.sunspec.SunSpecLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one device on its own daemon thread and keeps the latest reading and status. Nothing here throws
 * into a caller: every failure becomes a {@link DeviceStatus} with the reason. One failed poll keeps the
 * last good reading, marked stale, while it is younger than the configured bound; an older one is dropped
 * so no one acts on a value the device no longer vouches for. Setpoint writes run on the same thread
 * between polls, so the device sees one request at a time; the caller gets a future at once.
 *
 * <p>A SunSpec device's layout (identity and model chain) is read on every new connection and every
 * {@code rescanMillis}; points are only ever read with the layout of the current connection.
 *
 * <p>Request budget: the fast points are read every poll, in one go, because they make one reading. The
 * slow points' requests are spread over the polls: each poll reads slow requests while it is within its
 * period, and at least one when some are due, so a slow device gets a fresh reading every poll instead of
 * one long poll that outlasts the core's reading timeout.
 */
final class DevicePoller {

    /** A write's requests (scale factor, value, read-back, for up to five registers) each get the timeout. */
    static final int WRITE_TIMEOUTS = 12;

    private static final Logger LOG = LoggerFactory.getLogger(DevicePoller.class);

    /** How a poll ended, for the wait before the next one. */
    enum Outcome {
        /** A reading was published. */
        READ,
        /** The device answered, with an error: poll again at the normal rate. */
        ANSWERED,
        /** No answer: back off. */
        SILENT
    }

    private final DeviceSettings settings;
    private final Clock clock;
    private final Runnable onPoll;
    private final ModbusMasterDriver driver;
    private ScheduledExecutorService executor;
    // poll-thread state
    private DeviceProfile profile;
    private final BiConsumer<String, String> onLayoutChange;
    private SunSpecLayout layout;
    private long layoutConnection = -1;
    private Instant layoutReadAt;
    private PreparedRead fastRead;
    private List<PreparedRead> slowReads = List.of();
    private final Map<String, ChannelRecord> slowRecords = new LinkedHashMap<>();
    private final List<PreparedRead> slowDue = new ArrayList<>();
    private long polls;
    private long backoffMillis;
    private int silentPolls;

    private volatile DeviceStatus status;
    private volatile Object latest;
    private volatile Instant latestAt;
    private volatile BatteryRatings ratings;
    private volatile Double commandedWatts;
    private volatile Instant requestedAt;

    /** @param onPoll run on the poll thread after every poll, successful or not */
    DevicePoller(DeviceSettings settings, Clock clock, Runnable onPoll) {
        this(settings, clock, onPoll, (before, after) -> { });
    }

    /** @param onLayoutChange told the old and the new layout each time a SunSpec device's layout changes */
    DevicePoller(DeviceSettings settings, Clock clock, Runnable onPoll, BiConsumer<String, String> onLayoutChange) {
        this(settings, clock, onPoll, onLayoutChange, new RequestCounters());
    }

    /** @param counters the device's request counters, kept across pollers of the same device */
    DevicePoller(DeviceSettings settings, Clock clock, Runnable onPoll, BiConsumer<String, String> onLayoutChange,
            RequestCounters counters) {
        this.settings = settings;
        this.clock = clock;
        this.onPoll = onPoll;
        this.onLayoutChange = onLayoutChange;
        this.driver = new ModbusMasterDriver(settings.id(), settings.transport(), clock, counters);
        this.status = DeviceStatus.offline("not polled yet", clock.instant());
        this.ratings = settings.ratings();
        if (!settings.sunspec()) {
            use(DeviceProfile.fromMap(settings.map(), settings.role(), settings.ratedPowerWatts()));
        }
    }

    DeviceSettings settings() {
        return settings;
    }

    RequestCounters counters() {
        return driver.counters();
    }

    /** The status; a stale reading that aged past the bound between two polls counts as gone. */
    DeviceStatus status() {
        DeviceStatus s = status;
        if (s.stale() && expired()) {
            return DeviceStatus.offline(s.reason() + "; the last reading is older than "
                    + settings.validity().staleMillis() + " ms", s.since());
        }
        return s;
    }

    /** The configured ratings, capped by the limits the battery reports; null for other roles. */
    BatteryRatings ratings() {
        return ratings;
    }

    /** The latest reading of the given type while it is usable, or {@code null}. */
    <T> T latest(Class<T> type) {
        Object r = latest;
        if (r == null || (status.stale() && expired())) {
            return null;
        }
        return type.isInstance(r) ? type.cast(r) : null;
    }

    private boolean expired() {
        Instant at = latestAt;
        return at == null || Duration.between(at, clock.instant()).toMillis() > settings.validity().staleMillis();
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
        requestedAt = clock.instant();
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
            bind();
            if (profile == null) {
                return WriteResult.failed(settings.id() + ": " + status.reason());
            }
            WriteResult r = profile.writer().write(driver, watts);
            if (r.isAccepted()) {
                commandedWatts = watts;
            } else {
                LOG.warn("{}: setpoint {} W not taken: {} {}", settings.id(), watts, r.outcome(), r.detail());
            }
            return r;
        } catch (ConnectionException e) {
            failed(DeviceStatus.State.OFFLINE, e.getMessage(), true);
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
        long started = System.nanoTime();
        long delay;
        try {
            Outcome outcome = pollOnce();
            long tookNanos = System.nanoTime() - started;
            driver.counters().polled(tookNanos / 1e9);
            long took = tookNanos / 1_000_000;
            // the period counts from the start of a poll, so a slow answer does not stretch it further
            if (outcome == Outcome.SILENT) {
                delay = nextBackoff();
            } else {
                backoffMillis = 0; // the device answered: back to the normal rate at once
                silentPolls = 0;
                delay = Math.max(0, settings.pollMillis() - took);
            }
        } catch (RuntimeException e) {
            // a bug must not end the polling thread
            LOG.error("{}: poll failed unexpectedly", settings.id(), e);
            failed(DeviceStatus.State.FAULT, "internal error: " + e, true);
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

    /** One poll. */
    Outcome pollOnce() {
        try {
            bind();
            if (profile == null) {
                return Outcome.ANSWERED;
            }
            long started = System.nanoTime();
            boolean complete = slowRecords.size() == slowChannelCount();
            if (slowDue.isEmpty() && (!complete || polls % settings.slowPollEvery() == 0)) {
                slowDue.addAll(slowReads);
            }
            polls++;
            List<ChannelRecord> records = new ArrayList<>(fastRead.execute());
            Instant at = clock.instant();
            int slowRun = 0;
            while (!slowDue.isEmpty() && (!complete || slowRun == 0
                    || (System.nanoTime() - started) / 1_000_000 < settings.pollMillis())) {
                for (ChannelRecord r : slowDue.get(0).execute()) {
                    slowRecords.put(r.channel().name(), r);
                }
                slowDue.remove(0);
                slowRun++;
            }
            records.addAll(slowRecords.values());
            publish(new ReadingMapper(records), at);
            return Outcome.READ;
        } catch (ConnectionException e) {
            failed(DeviceStatus.State.OFFLINE, e.getMessage(), false);
            return Outcome.SILENT;
        } catch (ReadingMapper.MissingPointException e) {
            failed(DeviceStatus.State.FAULT, e.getMessage(), false);
            return Outcome.ANSWERED;
        }
    }

    private void publish(ReadingMapper mapper, Instant at) throws ConnectionException {
        Double commanded = commandedWatts;
        Object reading = switch (settings.role()) {
            case GRID_METER -> mapper.meter(at);
            case PV_INVERTER -> mapper.pv(at, settings.ratedPowerWatts(), commanded);
            case BATTERY -> {
                ratings = mapper.cappedRatings(settings.ratings());
                yield mapper.battery(at, commanded == null ? 0 : commanded,
                        settings.controls().maxDischargeWatts());
            }
        };
        latest = reading;
        latestAt = at;
        DeviceStatus was = status;
        if (!was.isOnline() || was.stale()) {
            LOG.info("{}: online{}", settings.id(), was.stale() ? " (fresh reading again)" : "");
            status = DeviceStatus.online(at);
        }
        if (reading instanceof PvReading pv) {
            releaseUnaskedCap(pv, at);
        }
    }

    /**
     * An inverter that holds a cap no one asked for within the revert timeout (left from before a restart,
     * or an optimiser that stopped asking) is released: the gateway must not leave PV curtailed. A release
     * that fails is tried again at the next poll.
     */
    private void releaseUnaskedCap(PvReading pv, Instant now) throws ConnectionException {
        double rated = settings.ratedPowerWatts();
        if (!profile.canWrite() || pv.outputLimit().watts() >= rated - 1) {
            return;
        }
        Instant asked = requestedAt;
        if (asked != null && Duration.between(asked, now).getSeconds() < settings.controls().revertSeconds()) {
            return;
        }
        WriteResult r = profile.writer().write(driver, rated);
        if (r.isAccepted()) {
            LOG.info("{}: released an output cap of {} W that no one asked for{}", settings.id(),
                    Math.round(pv.outputLimit().watts()), asked == null ? " since start" : " since " + asked);
            commandedWatts = null;
        } else {
            LOG.warn("{}: releasing the output cap of {} W: {} {}; tried again next poll", settings.id(),
                    Math.round(pv.outputLimit().watts()), r.outcome(), r.detail());
        }
    }

    /**
     * Connects when not connected and, for a SunSpec device, reads the layout on every new connection and
     * when the rescan period is up. A changed layout binds the points again (and drops the last reading,
     * which was read with the old layout); a layout without the role's model leaves the profile null and
     * a FAULT saying which model went missing.
     */
    private void bind() throws ConnectionException {
        driver.connect();
        if (!settings.sunspec()) {
            return;
        }
        long connection = driver.connections();
        Instant now = clock.instant();
        long rescan = settings.validity().rescanMillis();
        boolean due = profile == null || connection != layoutConnection
                || (rescan > 0 && Duration.between(layoutReadAt, now).toMillis() >= rescan);
        if (!due) {
            return;
        }
        SunSpecLayout found = SunSpecLayout.read(driver);
        if (driver.connections() != connection) {
            // the connection dropped and came back during the scan: read it again on the next poll
            throw new ConnectionException(settings.id() + ": connection lost while reading the SunSpec layout");
        }
        layoutConnection = connection;
        layoutReadAt = now;
        SunSpecLayout before = layout;
        if (profile != null && found.equals(before)) {
            return;
        }
        layout = found;
        if (before != null && !found.equals(before)) {
            LOG.warn("{}: SunSpec layout changed, points bound again: was {}; now {}", settings.id(), before, found);
            try {
                onLayoutChange.accept(before.toString(), found.toString());
            } catch (RuntimeException e) {
                LOG.warn("{}: telling of the layout change failed: {}", settings.id(), e.toString());
            }
            latest = null;
            latestAt = null;
        }
        try {
            DeviceProfile p = DeviceProfile.fromSunSpec(found.scan(), settings.role(), settings.ratedPowerWatts(),
                    settings.controls());
            LOG.info("{}: SunSpec {}: {}", settings.id(), found, p.map().points().stream().map(x -> x.name()).toList());
            use(p);
        } catch (IllegalStateException | IllegalArgumentException e) {
            profile = null;
            List<Integer> gone = before == null ? List.of() : before.modelsGoneIn(found);
            String reason = gone.isEmpty() ? e.getMessage()
                    : "SunSpec model " + (gone.size() == 1 ? gone.get(0) : gone) + " is no longer in the device's"
                            + " model chain " + found.modelIds() + ": " + e.getMessage();
            failed(DeviceStatus.State.FAULT, reason, true);
        }
    }

    private void use(DeviceProfile p) {
        profile = p;
        fastRead = driver.prepareRead(channels(p.map(), PollClass.FAST));
        slowReads = splitByRequest(channels(p.map(), PollClass.SLOW));
        slowRecords.clear();
        slowDue.clear();
    }

    /** One prepared read per planned request of the slow points, so they can be spread over polls. */
    private List<PreparedRead> splitByRequest(List<Channel> slow) {
        if (slow.isEmpty()) {
            return List.of();
        }
        PlannedRead plan = new PlannedRead(slow, settings.transport().planner(), clock);
        Map<RegisterSpan, List<Channel>> byRequest = new LinkedHashMap<>();
        plan.requests().forEach(r -> byRequest.put(r, new ArrayList<>()));
        for (Channel c : slow) {
            var point = PointChannels.toPoint(c);
            RegisterSpan own = new RegisterSpan(point.registerType(), point.address(), point.type().words());
            plan.requests().stream().filter(r -> r.contains(own)).findFirst()
                    .ifPresent(r -> byRequest.get(r).add(c));
        }
        return byRequest.values().stream().filter(l -> !l.isEmpty()).map(driver::prepareRead).toList();
    }

    private int slowChannelCount() {
        return slowReads.stream().mapToInt(r -> r.channels().size()).sum();
    }

    private static List<Channel> channels(RegisterMap map, PollClass poll) {
        return map.points().stream().filter(p -> p.access().readable() && p.poll() == poll)
                .map(PointChannels::toChannel).toList();
    }

    /**
     * A failed poll. While the last good reading is younger than the stale bound (and {@code immediate} is
     * false) the device stays ONLINE, marked stale, handing that reading out; otherwise the reading is dropped.
     */
    private void failed(DeviceStatus.State state, String reason, boolean immediate) {
        DeviceStatus now = status;
        Object last = latest;
        if (!immediate && last != null && !expired()) {
            if (!now.stale()) {
                LOG.info("{}: poll failed, keeping the reading of {} for up to {} ms: {}", settings.id(), latestAt,
                        settings.validity().staleMillis(), reason);
                status = DeviceStatus.stale(reason, clock.instant());
            } else if (!now.reason().equals(reason)) {
                status = DeviceStatus.stale(reason, now.since());
            }
            return;
        }
        latest = null;
        latestAt = null;
        if (now.state() != state || !now.reason().equals(reason) || now.stale()) {
            LOG.warn("{}: {}: {}", settings.id(), state, reason);
            status = new DeviceStatus(state, reason, now.state() == state && !now.stale() ? now.since()
                    : clock.instant());
        }
    }

    /** At once after the first silent poll (one lost reply should cost one timeout), then doubling. */
    private long nextBackoff() {
        long max = settings.validity().maxBackoffMillis();
        silentPolls++;
        if (silentPolls == 1) {
            return 0;
        }
        backoffMillis = backoffMillis == 0 ? settings.pollMillis() : Math.min(backoffMillis * 2, max);
        return backoffMillis;
    }
}
