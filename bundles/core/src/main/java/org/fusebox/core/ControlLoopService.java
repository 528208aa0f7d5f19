package org.fusebox.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.fusebox.api.control.ChargingRequest;
import org.fusebox.api.control.ChargingRequests;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Intervention;
import org.fusebox.api.control.Optimiser;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.control.Tier;
import org.fusebox.api.device.Battery;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.Device;
import org.fusebox.api.device.EvCharger;
import org.fusebox.api.device.GridMeter;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.device.PvInverter;
import org.fusebox.api.device.ReadingListener;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.Forecaster;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.grid.GridSignalSource;
import org.fusebox.api.market.PriceFeed;
import org.fusebox.api.market.PriceKind;
import org.fusebox.api.market.SitePrices;
import org.fusebox.api.market.Tariff;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteClock;
import org.fusebox.api.site.GridLimits;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import java.util.function.LongSupplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's control loop: every period (and at once on an overload) it takes a snapshot of every
 * device, runs the optimisers, lets the SafetyGuard check the result and sends it to the devices. When
 * it cannot control the site safely it holds every device in the failsafe state instead, and says why.
 */
@Component(service = { ControlLoop.class, ChargingRequests.class, HealthIndicator.class }, configurationPid = "fusebox.core",
        immediate = true)
@Designate(ocd = CoreConfig.class)
public final class ControlLoopService implements ControlLoop, ChargingRequests, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(ControlLoopService.class);
    private static final Duration MAX_HORIZON = Duration.ofHours(1);

    /** The shortest window of the uncontrolled load's recent high (ADR 8); longer when connector readings may be older. */
    static final Duration MIN_UNCONTROLLED_WINDOW = Duration.ofSeconds(3);
    /** Name of the file in the bundle's data area that keeps the last valid configuration. */
    static final String LAST_VALID_FILE = "last-valid-configuration.properties";

    private final LongSupplier nanoTime;
    private final boolean periodic;
    private final DeviceRegistry devices;
    private final SetpointWriter writer;
    private final ControlCycle decision = new ControlCycle();
    /** Readings of different devices are of different ages: plan against the last seconds' high (ADR 8, 12). */
    private volatile UncontrolledWindow uncontrolledWindow = new UncontrolledWindow(MIN_UNCONTROLLED_WINDOW, Duration.ofSeconds(1));
    private volatile Instant lastMeterTimestamp;
    private final FailsafePolicy failsafe = new FailsafePolicy();
    private final ChargingRequestBook chargingRequests = new ChargingRequestBook();
    /** A departed source's limit "until further notice" is held this long: an upgrade re-registers within seconds. */
    static final Duration GRID_LIMIT_HOLD = Duration.ofHours(1);
    private final GridLimitBook gridLimits = new GridLimitBook(GRID_LIMIT_HOLD);
    private volatile GridLimits gridLimitsInForce = GridLimits.NONE;
    private final List<RankedOptimiser> optimisers = new CopyOnWriteArrayList<>();
    private final List<PricePipeline.Feed> priceFeeds = new CopyOnWriteArrayList<>();
    /** How long a cycle waits for the price feeds at most (they must not block; this is for those that do). */
    private volatile Duration priceFeedBudget = Duration.ofMillis(250);
    private volatile PricePipeline pricePipeline;
    private volatile Tariff tariff;
    private volatile List<String> priceProblems = List.of();
    private final List<RankedForecaster> forecasters = new CopyOnWriteArrayList<>();
    private final Map<GridMeter, ReadingListener> meterListeners = new ConcurrentHashMap<>();
    /** Devices that left, with when (in {@link #nanoTime}); reported until they return or for missingDeviceReportMillis. */
    private final Map<String, Long> missingDevices = new ConcurrentHashMap<>();
    private final List<String> duplicateDevices = new CopyOnWriteArrayList<>();
    private final AtomicBoolean cyclePending = new AtomicBoolean();
    private final AtomicLong cycleCount = new AtomicLong();
    private final AtomicLong lastBreachNanos = new AtomicLong(Long.MIN_VALUE / 2);
    private final Object stateLock = new Object();

    private volatile CoreSettings settings;
    private volatile List<String> configErrors = List.of();
    private volatile ConfigurationInForce configuration;
    private volatile Clock siteClock;
    private volatile EventAdmin eventAdmin;
    private volatile CycleReport lastReport;
    private volatile ControlState state = new ControlState(ControlMode.STOPPED, List.of(), Instant.now());
    private volatile List<String> optimiserFailures = List.of();
    private volatile PhaseCurrents lastUncontrolled;
    private volatile Instant lastSnapshotTime;
    private volatile Set<String> lastInterventionKeys = Set.of();

    private ScheduledExecutorService executor;
    private ScheduledFuture<?> scheduled;
    private long scheduledPeriodMillis;

    private record RankedForecaster(Forecaster forecaster, int ranking, long serviceId) {
    }

    private record RankedOptimiser(Optimiser optimiser, int ranking, long serviceId) {
    }

    public ControlLoopService() {
        this(System::nanoTime, true);
    }

    /**
     * For tests: the monotonic clock that judges readings' freshness, missing devices and the load's recent
     * high; without {@code periodic}, cycles run only when asked ({@link #runCycleNow}, requests, the fast path).
     */
    ControlLoopService(LongSupplier nanoTime, boolean periodic) {
        this.periodic = periodic;
        this.nanoTime = nanoTime;
        this.devices = new DeviceRegistry(nanoTime);
        this.writer = new SetpointWriter(nanoTime);
    }

    // ---- lifecycle and configuration ----------------------------------------------------------------

    /**
     * The raw configuration properties, not the annotation: the core checks every value itself and must see
     * a missing fuse limit as missing (ADR 12).
     */
    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        LastValidStore store = null;
        java.io.File data = context == null ? null : context.getDataFile(LAST_VALID_FILE);
        if (data != null) {
            store = new LastValidStore(data.toPath());
        } else {
            LOG.warn("No data area for the bundle: the last valid configuration is not kept across restarts");
        }
        start(properties, store);
    }

    /** Starts the loop on {@code properties}; {@code store} keeps the last valid configuration (null: none). */
    void start(Map<String, ?> properties, LastValidStore store) {
        pricePipeline = new PricePipeline(priceFeedBudget);
        configuration = new ConfigurationInForce(store, this::post, Clock.systemUTC());
        configuration.activate(properties);
        configurationChanged();
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fusebox-control");
            t.setDaemon(true);
            return t;
        });
        reschedule();
        LOG.info("Control loop started: {}", settings == null ? "no valid configuration, holding the site in failsafe" : settings.limits());
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configuration.update(properties);
        configurationChanged();
        reschedule();
        requestCycle("configuration changed");
    }

    @Deactivate
    void deactivate() {
        ScheduledExecutorService ex = executor;
        executor = null;
        if (ex != null) {
            ex.shutdownNow();
            try {
                ex.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Leaving: nobody will control the devices, so hand them over in their safe state.
        for (EvCharger c : devices.chargers()) {
            putInSafeState(c, "control core stopping");
        }
        for (Battery b : devices.batteries()) {
            putInSafeState(b, "control core stopping");
        }
        meterListeners.forEach((m, l) -> safely(() -> m.removeReadingListener(l)));
        meterListeners.clear();
        PricePipeline pipeline = pricePipeline;
        pricePipeline = null;
        if (pipeline != null) {
            pipeline.close();
        }
        state = new ControlState(ControlMode.STOPPED, List.of(), Instant.now());
        LOG.info("Control loop stopped");
    }

    /** Takes over what {@link ConfigurationInForce} decided: settings (none: failsafe) and the problems to tell. */
    private void configurationChanged() {
        CoreSettings now = configuration.settings();
        configErrors = configuration.problems();
        CoreSettings before = settings;
        settings = now;
        if (now != null && now.zone() == null && (before == null || before.zone() != null)) {
            LOG.info("No {} configured: local times follow the JVM's default zone {}", CoreSettings.SITE_ZONE, ZoneId.systemDefault());
        } else if (now != null && now.zone() != null && (before == null || !now.zone().equals(before.zone()))) {
            LOG.info("Site time zone {}", now.zone());
        }
        if (now != null && !uncontrolledWindow.hasShape(uncontrolledWindow(now.limits()), now.limits().cyclePeriod())) {
            // A longer or shorter window for a new reading age or cycle; the highs seen so far still count.
            uncontrolledWindow = uncontrolledWindow.resized(uncontrolledWindow(now.limits()), now.limits().cyclePeriod());
        }
    }

    /**
     * How long the guard holds the uncontrolled load's high: at least 3 s, and longer than a connector's
     * currents may be believed plus one cycle. A connector whose EV stopped drawing right after its last sample
     * is still subtracted until that sample is too old; the window must still hold an estimate from before the
     * stop by then (ADR 12).
     */
    static Duration uncontrolledWindow(SiteLimits limits) {
        Duration covering = limits.connectorReadingMaxAge().plus(limits.cyclePeriod());
        return covering.compareTo(MIN_UNCONTROLLED_WINDOW) > 0 ? covering : MIN_UNCONTROLLED_WINDOW;
    }

    private synchronized void reschedule() {
        ScheduledExecutorService ex = executor;
        if (ex == null || !periodic) {
            return;
        }
        long period = settings == null ? 1000 : settings.limits().cyclePeriod().toMillis();
        if (scheduled != null && period == scheduledPeriodMillis) {
            return;
        }
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        scheduledPeriodMillis = period;
        scheduled = ex.scheduleAtFixedRate(() -> runCycle("period"), 0, period, TimeUnit.MILLISECONDS);
    }

    // ---- ControlLoop --------------------------------------------------------------------------------

    @Override
    public void requestCycle(String reason) {
        ScheduledExecutorService ex = executor;
        if (ex == null || !cyclePending.compareAndSet(false, true)) {
            return;
        }
        try {
            ex.execute(() -> {
                cyclePending.set(false);
                runCycle(reason);
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            cyclePending.set(false);
        }
    }

    @Override
    public ControlState state() {
        return state;
    }

    @Override
    public Optional<CycleReport> lastCycle() {
        return Optional.ofNullable(lastReport);
    }

    // ---- ChargingRequests ---------------------------------------------------------------------------

    @Override
    public void submit(ChargingRequest request) {
        Objects.requireNonNull(request, "request");
        ConnectorRef ref = request.connector();
        chargingRequests.submit(request, devices.charger(ref.chargerId()), clock().instant());
        LOG.info("Charging request for {}: {} by {}", ref, request.energy(), request.departure());
        post(FuseboxEvents.CHARGING_REQUEST, Map.of(FuseboxEvents.CONNECTOR, ref.toString(),
                FuseboxEvents.ENERGY_WH, request.energy().wattHours(), FuseboxEvents.DEPARTURE, request.departure().toString()));
        requestCycle("charging request for " + ref);
    }

    @Override
    public Optional<ChargingRequest> get(ConnectorRef connector) {
        return chargingRequests.get(connector);
    }

    @Override
    public List<ChargingRequest> all() {
        return chargingRequests.all();
    }

    @Override
    public boolean withdraw(ConnectorRef connector) {
        boolean withdrawn = chargingRequests.withdraw(connector);
        if (withdrawn) {
            LOG.info("Charging request for {} withdrawn", connector);
            requestCycle("charging request withdrawn for " + connector);
        }
        return withdrawn;
    }

    // ---- HealthIndicator ----------------------------------------------------------------------------

    @Override
    public String name() {
        return "core";
    }

    @Override
    public Health health() {
        List<String> details = new ArrayList<>(configErrors);
        HealthStatus status = configErrors.isEmpty() ? HealthStatus.UP : HealthStatus.DEGRADED;
        ControlState s = state;
        if (s.mode() != ControlMode.RUNNING) {
            status = status.worst(settings == null ? HealthStatus.DOWN : HealthStatus.DEGRADED);
            details.add("control " + s.mode() + (s.reasons().isEmpty() ? "" : ": " + String.join("; ", s.reasons())));
        } else if (!s.reasons().isEmpty()) {
            status = status.worst(HealthStatus.DEGRADED);
            details.addAll(s.reasons());
        }
        if (!optimiserFailures.isEmpty()) {
            status = status.worst(HealthStatus.DEGRADED);
            details.addAll(optimiserFailures);
        }
        if (!priceProblems.isEmpty()) {
            status = status.worst(HealthStatus.DEGRADED);
            details.addAll(priceProblems);
        }
        return new Health(status, details);
    }

    // ---- the cycle ----------------------------------------------------------------------------------

    private void runCycle(String trigger) {
        try {
            cycle(trigger);
        } catch (RuntimeException | LinkageError e) {
            // The loop must outlive any bug in one cycle; the next period tries again.
            LOG.error("Control cycle failed", e);
        }
    }

    private synchronized void cycle(String trigger) {
        long t0 = System.nanoTime();
        CoreSettings s = settings;
        Instant now = clock().instant();
        long cycle = cycleCount.incrementAndGet();
        if (s == null) {
            holdWithoutLimits(cycle, now, trigger, t0);
            return;
        }
        GridLimits grid = gridLimits.limitsAt(now);
        gridLimitsInForce = grid;
        SiteLimits limits = s.limits().withGrid(grid);
        ZoneId zone = s.zone() != null ? s.zone() : ZoneId.systemDefault();
        SiteSnapshot snapshot = chargingRequests.overlay(
                devices.snapshot(cycle, now, limits, s.readingTimeout(), prices(now, zone, s.priceFeeds()), zone, forecasts(now)));
        List<String> failsafeReasons = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (snapshot.grid() == null) {
            failsafeReasons.add("no grid meter");
        } else if (snapshot.grid().reading() == null || !snapshot.grid().status().isOnline()) {
            failsafeReasons.add("grid meter " + snapshot.grid().id() + " unusable: "
                    + (snapshot.grid().status().reason().isEmpty() ? "no reading" : snapshot.grid().status().reason()));
        } else if (snapshot.grid().status().stale()) {
            // One failed poll is no reason to drop control: plan on the last reading, held at the recent high.
            warnings.add("grid meter " + snapshot.grid().id() + " stale"
                    + (snapshot.grid().status().reason().isEmpty() ? "" : " (" + snapshot.grid().status().reason() + ")")
                    + ": planning on its last reading and the recent high of the uncontrolled load");
        }
        if (!grid.isNone()) {
            warnings.add("grid limits in force: " + grid.reason());
        }
        gridLimits.problems().forEach((source, problem) -> warnings.add("grid signal source " + source + ": " + problem));
        Setpoints proposed;
        Setpoints applied;
        List<Intervention> interventions;
        List<String> notes;
        List<Plan> plans = List.of();
        if (failsafeReasons.isEmpty()) {
            Duration horizon = horizon(limits, now);
            Instant meterTs = snapshot.grid().reading().timestamp();
            // The window's time runs only on new meter readings: a meter that stopped answering confirms no drop.
            boolean newReading = !meterTs.equals(lastMeterTimestamp) && !snapshot.grid().status().stale();
            lastMeterTimestamp = meterTs;
            UncontrolledWindow window = uncontrolledWindow;
            PhaseCurrents reserve = PhaseBudget.uncontrolled(snapshot)
                    .map(u -> window.reserve(nanoTime.getAsLong(), newReading, u)).orElse(PhaseCurrents.ZERO);
            ControlCycle.Decision d = decision.decide(snapshot, orderedOptimisers(), horizon, reserve);
            proposed = d.proposed();
            applied = d.applied();
            interventions = d.interventions();
            notes = d.optimiserNotes();
            plans = d.plans();
            optimiserFailures = d.failures();
            lastUncontrolled = PhaseBudget.uncontrolled(snapshot).orElse(null);
        } else {
            uncontrolledWindow.clear();
            lastMeterTimestamp = null;
            FailsafePolicy.Result r = failsafe.safeState(snapshot.chargers(), snapshot.batteries(), snapshot.pv(), limits,
                    lastUncontrolled, String.join("; ", failsafeReasons));
            proposed = r.setpoints();
            applied = r.setpoints();
            interventions = r.interventions();
            notes = List.of();
        }
        lastSnapshotTime = now;
        writer.write(applied, devices, s.setpointRefresh());
        finishCycle(snapshot, trigger, notes, proposed, applied, interventions, plans, failsafeReasons, warnings, s.missingDeviceReport(), t0);
    }

    /** No valid configuration has ever been seen: nothing is known about the fuse, so every load is paused. */
    private void holdWithoutLimits(long cycle, Instant now, String trigger, long t0) {
        SiteLimits placeholder = new SiteLimits(Current.ofAmps(1), Current.ZERO, 3, org.fusebox.api.units.Voltage.NOMINAL_230,
                org.fusebox.api.units.Percent.of(0), org.fusebox.api.units.Percent.of(100), Duration.ofSeconds(1));
        SiteSnapshot snapshot = chargingRequests.overlay(
                devices.snapshot(cycle, now, placeholder, Duration.ofSeconds(5), SitePrices.EMPTY, ZoneId.systemDefault(), List.of()));
        FailsafePolicy.Result r = failsafe.safeState(snapshot.chargers(), snapshot.batteries(), snapshot.pv(), null, null,
                "no valid configuration");
        writer.write(r.setpoints(), devices, Duration.ofSeconds(5));
        finishCycle(snapshot, trigger, List.of(), r.setpoints(), r.setpoints(), r.interventions(), List.of(),
                List.of("no valid configuration: " + String.join("; ", configErrors)), List.of(), DEFAULT_MISSING_REPORT, t0);
    }

    private static final Duration DEFAULT_MISSING_REPORT = Duration.ofMinutes(10);

    private void finishCycle(SiteSnapshot snapshot, String trigger, List<String> notes, Setpoints proposed, Setpoints applied,
            List<Intervention> interventions, List<Plan> plans, List<String> failsafeReasons, List<String> warnings,
            Duration missingReport, long t0) {
        ControlMode mode = failsafeReasons.isEmpty() ? ControlMode.RUNNING : ControlMode.FAILSAFE;
        List<String> reasons = new ArrayList<>(failsafeReasons);
        reasons.addAll(warnings);
        forgetLongMissing(missingReport);
        missingDevices.keySet().stream().sorted().forEach(id -> reasons.add(id + " missing: held in its safe state"));
        reasons.addAll(duplicateDevices);
        transition(mode, reasons, failsafeReasons, snapshot.timestamp());
        announceNewInterventions(interventions);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        lastReport = new CycleReport(snapshot, trigger, notes, proposed, applied, interventions, writer.results(), state, took, plans);
        post(FuseboxEvents.CYCLE_COMPLETED, Map.of(FuseboxEvents.CYCLE, snapshot.cycle(), FuseboxEvents.TRIGGER, trigger,
                FuseboxEvents.DURATION_MICROS, took.toNanos() / 1000));
    }

    /**
     * A device that left and has not come back for {@code after} is no longer reported: it was most likely
     * removed on purpose (its driver configuration deleted, the device taken off the site). Said once in the log.
     */
    private void forgetLongMissing(Duration after) {
        long now = nanoTime.getAsLong();
        missingDevices.forEach((id, since) -> {
            if (now - since >= after.toNanos() && missingDevices.remove(id, since)) {
                LOG.info("Device {} has been missing for {} min: no longer reported as missing (it is written to afresh if it returns)",
                        id, Duration.ofNanos(now - since).toMinutes());
            }
        });
    }

    /** Changes the loop's state, announcing entry to and exit from failsafe once each. */
    private void transition(ControlMode mode, List<String> reasons, List<String> failsafeReasons, Instant at) {
        synchronized (stateLock) {
            ControlState previous = state;
            if (previous.mode() == mode && previous.reasons().equals(reasons)) {
                return;
            }
            state = new ControlState(mode, reasons, at);
            if (mode == ControlMode.FAILSAFE && previous.mode() != ControlMode.FAILSAFE) {
                LOG.warn("Failsafe: {}", String.join("; ", failsafeReasons));
                post(FuseboxEvents.FAILSAFE_ENTERED, Map.of(FuseboxEvents.REASON, String.join("; ", failsafeReasons)));
            } else if (mode == ControlMode.RUNNING && previous.mode() == ControlMode.FAILSAFE) {
                LOG.info("Left failsafe, controlling the site again");
                post(FuseboxEvents.FAILSAFE_LEFT, Map.of());
            }
        }
    }

    /** Posts each guard intervention once when it starts, not every cycle it lasts. */
    private void announceNewInterventions(List<Intervention> interventions) {
        Set<String> keys = new HashSet<>();
        for (Intervention i : interventions) {
            String key = i.device() + "|" + i.rule();
            keys.add(key);
            if (!lastInterventionKeys.contains(key) && !"failsafe".equals(i.rule())) {
                post(FuseboxEvents.SETPOINT_CLAMPED, Map.of(FuseboxEvents.DEVICE, i.device(), FuseboxEvents.RULE, i.rule(),
                        FuseboxEvents.REASON, i.detail()));
            }
        }
        lastInterventionKeys = keys;
    }

    /** Setpoints must stay safe until the next cycle; allow one missed cycle, measured in site time. */
    private Duration horizon(SiteLimits limits, Instant now) {
        Duration period = limits.cyclePeriod();
        Instant last = lastSnapshotTime;
        if (last != null) {
            Duration seen = Duration.between(last, now);
            if (seen.compareTo(period) > 0) {
                period = seen;
            }
        }
        Duration h = period.multipliedBy(2);
        return h.compareTo(MAX_HORIZON) > 0 ? MAX_HORIZON : h;
    }

    private List<Optimiser> orderedOptimisers() {
        List<RankedOptimiser> list = new ArrayList<>(optimisers);
        Map<RankedOptimiser, Integer> precedence = new HashMap<>();
        for (RankedOptimiser r : list) {
            Tier t;
            try {
                t = r.optimiser().tier();
            } catch (RuntimeException | LinkageError e) {
                t = Tier.ECONOMIC;
            }
            // Applied lowest precedence first: ECONOMIC, then SAFETY, then PHYSICAL.
            precedence.put(r, switch (t) {
                case ECONOMIC -> 0;
                case SAFETY -> 1;
                case PHYSICAL -> 2;
            });
        }
        list.sort(Comparator.comparing((RankedOptimiser r) -> precedence.get(r))
                .thenComparing(Comparator.comparingInt(RankedOptimiser::ranking).reversed())
                .thenComparingLong(RankedOptimiser::serviceId));
        return list.stream().map(RankedOptimiser::optimiser).toList();
    }

    /** The feeds' curves merged in the site's order, with the tariff applied when there is one. */
    private SitePrices prices(Instant now, ZoneId zone, List<String> priority) {
        PricePipeline pipeline = pricePipeline;
        if (pipeline == null) {
            return SitePrices.EMPTY;
        }
        PricePipeline.Result r;
        try {
            r = pipeline.prices(List.copyOf(priceFeeds), priority, tariff, now, zone);
        } catch (RuntimeException e) {
            r = new PricePipeline.Result(SitePrices.EMPTY, List.of("prices not read: " + e));
        }
        List<org.fusebox.api.grid.GridSignal> gridPrices = gridLimits.pricesBetween(now.minus(PricePipeline.LOOK_BACK),
                now.plus(PricePipeline.LOOK_AHEAD));
        if (!gridPrices.isEmpty()) {
            GridPriceOverlay.Result o = GridPriceOverlay.apply(r.prices(), gridPrices, now.minus(PricePipeline.LOOK_BACK),
                    now.plus(PricePipeline.LOOK_AHEAD));
            List<String> all = new ArrayList<>(r.problems());
            all.addAll(o.problems());
            r = new PricePipeline.Result(o.prices(), List.copyOf(all));
        }
        if (!r.problems().equals(priceProblems)) {
            r.problems().stream().filter(p -> !priceProblems.contains(p)).forEach(p -> LOG.warn("Prices: {}", p));
        }
        priceProblems = r.problems();
        return r.prices();
    }

    /** For tests: how long a cycle waits for the price feeds; takes effect at the next {@link #start}. */
    void priceFeedBudget(Duration budget) {
        priceFeedBudget = budget;
    }

    /** Per kind, the forecast of the highest-ranked forecaster that knows something. */
    private List<PowerForecast> forecasts(Instant now) {
        List<RankedForecaster> ranked = new ArrayList<>(forecasters);
        ranked.sort(Comparator.comparingInt(RankedForecaster::ranking).reversed().thenComparingLong(RankedForecaster::serviceId));
        Map<ForecastKind, PowerForecast> chosen = new EnumMap<>(ForecastKind.class);
        for (RankedForecaster r : ranked) {
            try {
                ForecastKind kind = r.forecaster().kind();
                if (chosen.containsKey(kind)) {
                    continue;
                }
                PowerForecast f = r.forecaster().forecast(now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(48)));
                if (f != null && !f.isEmpty() && f.kind() == kind) {
                    chosen.put(kind, f);
                }
            } catch (RuntimeException | LinkageError e) {
                // a broken forecaster is skipped: the next one (or none) is used
                LOG.warn("Forecaster failed: {}", e.toString());
            }
        }
        return List.copyOf(chosen.values());
    }

    private Clock clock() {
        Clock c = siteClock;
        return c != null ? c : Clock.systemUTC();
    }

    // ---- fast path ----------------------------------------------------------------------------------

    private void onMeterReading(Device device) {
        CoreSettings s = settings;
        if (s == null || !(device instanceof GridMeter meter)) {
            return;
        }
        Optional<MeterReading> r;
        try {
            r = meter.reading();
        } catch (RuntimeException e) {
            return;
        }
        if (r.isEmpty()) {
            return;
        }
        Current limit = s.limits().withGrid(gridLimitsInForce).planningLimit();
        PhaseCurrents currents = r.get().currents();
        for (Phase p : Phase.values()) {
            if (currents.on(p).isGreaterThan(limit)) {
                long now = nanoTime.getAsLong();
                long last = lastBreachNanos.get();
                if (now - last >= s.breachCooldown().toNanos() && lastBreachNanos.compareAndSet(last, now)) {
                    String reason = String.format(Locale.ROOT, "overload %s %.1f A > %.1f A", p, currents.on(p).amps(), limit.amps());
                    post(FuseboxEvents.LIMIT_BREACH, Map.of(FuseboxEvents.DEVICE, meter.id(), FuseboxEvents.REASON, reason));
                    requestCycle(reason);
                }
                return;
            }
        }
    }

    // ---- devices come and go ------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addGridMeter(GridMeter meter) {
        if (deviceAdded(DeviceRegistry.Role.GRID_METER, meter)) {
            ReadingListener l = this::onMeterReading;
            meterListeners.put(meter, l);
            safely(() -> meter.addReadingListener(l));
        }
    }

    void removeGridMeter(GridMeter meter) {
        ReadingListener l = meterListeners.remove(meter);
        if (l != null) {
            safely(() -> meter.removeReadingListener(l));
        }
        deviceRemoved(DeviceRegistry.Role.GRID_METER, meter);
        if (devices.meterCount() == 0 && state.mode() == ControlMode.RUNNING) {
            // Known at once, not at the next cycle: the site is blind until a meter returns.
            List<String> why = List.of("no grid meter");
            transition(ControlMode.FAILSAFE, why, why, clock().instant());
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addPvInverter(PvInverter pv) {
        deviceAdded(DeviceRegistry.Role.PV_INVERTER, pv);
    }

    void removePvInverter(PvInverter pv) {
        deviceRemoved(DeviceRegistry.Role.PV_INVERTER, pv);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addBattery(Battery battery) {
        deviceAdded(DeviceRegistry.Role.BATTERY, battery);
    }

    void removeBattery(Battery battery) {
        putInSafeState(battery, "device leaving");
        deviceRemoved(DeviceRegistry.Role.BATTERY, battery);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addEvCharger(EvCharger charger) {
        deviceAdded(DeviceRegistry.Role.EV_CHARGER, charger);
    }

    void removeEvCharger(EvCharger charger) {
        putInSafeState(charger, "device leaving");
        deviceRemoved(DeviceRegistry.Role.EV_CHARGER, charger);
    }

    private boolean deviceAdded(DeviceRegistry.Role role, Device device) {
        String id;
        try {
            id = device.id();
        } catch (RuntimeException e) {
            LOG.error("Ignoring a {} whose id cannot be read: {}", role, e.toString());
            return false;
        }
        if (!devices.add(role, device)) {
            String msg = "device id " + id + " used twice: the second " + role + " is ignored";
            LOG.error(msg);
            duplicateDevices.add(msg);
            return false;
        }
        if (missingDevices.remove(id) != null) {
            LOG.info("Device {} is back", id);
        }
        writer.welcome(id);
        post(FuseboxEvents.DEVICE_ADDED, Map.of(FuseboxEvents.DEVICE, id, FuseboxEvents.ROLE, role.name()));
        requestCycle("device added: " + id);
        return true;
    }

    private void deviceRemoved(DeviceRegistry.Role role, Device device) {
        String id = device.id();
        duplicateDevices.removeIf(m -> m.startsWith("device id " + id + " "));
        if (devices.remove(role, device)) {
            missingDevices.put(id, nanoTime.getAsLong());
            writer.forget(id);
            LOG.warn("Device {} ({}) went away", id, role);
            post(FuseboxEvents.DEVICE_REMOVED, Map.of(FuseboxEvents.DEVICE, id, FuseboxEvents.ROLE, role.name()));
            requestCycle("device removed: " + id);
        }
    }

    /**
     * Called while the device's service is still valid (DS unbinds before the service is gone): the last
     * moment to tell it to be safe. Chargers get their failsafe current, batteries 0 W.
     */
    private void putInSafeState(Device device, String why) {
        String id;
        try {
            id = device.id();
        } catch (RuntimeException e) {
            return;
        }
        if (devices.find(id).filter(d -> d == device).isEmpty()) {
            return;
        }
        if (device instanceof EvCharger charger) {
            for (ConnectorInfo c : safeList(charger)) {
                writer.writeSafeState(id, id + "/" + c.connectorId(), () -> charger.setCurrentLimit(c.connectorId(), c.failsafeCurrent()));
            }
        } else if (device instanceof Battery battery) {
            writer.writeSafeState(id, id, () -> battery.setPower(Power.ZERO));
        }
        LOG.info("{}: {} put in its safe state", why, id);
    }

    private static List<ConnectorInfo> safeList(EvCharger charger) {
        try {
            return charger.connectors();
        } catch (RuntimeException | LinkageError e) {
            return List.of();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addOptimiser(Optimiser optimiser, Map<String, Object> props) {
        Object rank = props.get(Constants.SERVICE_RANKING);
        Object sid = props.get(Constants.SERVICE_ID);
        optimisers.add(new RankedOptimiser(optimiser, rank instanceof Integer i ? i : 0, sid instanceof Long l ? l : 0L));
        requestCycle("optimiser added");
    }

    void removeOptimiser(Optimiser optimiser) {
        optimisers.removeIf(r -> r.optimiser() == optimiser);
        requestCycle("optimiser removed");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addPriceFeed(PriceFeed feed, Map<String, Object> props) {
        String id;
        try {
            id = feed.id();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("Ignoring a price feed whose id cannot be read: {}", e.toString());
            return;
        }
        Object kind = props.get(PriceKind.SERVICE_PROPERTY);
        Object rank = props.get(Constants.SERVICE_RANKING);
        Object sid = props.get(Constants.SERVICE_ID);
        priceFeeds.add(new PricePipeline.Feed(feed, id, kind == null ? PriceKind.SPOT : String.valueOf(kind).trim(),
                rank instanceof Integer i ? i : 0, sid instanceof Long l ? l : 0L));
        requestCycle("price feed added: " + id);
    }

    void removePriceFeed(PriceFeed feed) {
        priceFeeds.removeIf(f -> f.feed() == feed);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addGridSignalSource(GridSignalSource source) {
        gridLimits.add(source);
        requestCycle("grid signal source added");
    }

    void removeGridSignalSource(GridSignalSource source) {
        gridLimits.remove(source, clock().instant());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setTariff(Tariff t) {
        tariff = t;
        requestCycle("tariff added");
    }

    void unsetTariff(Tariff t) {
        if (tariff == t) {
            tariff = null;
            requestCycle("tariff removed");
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addForecaster(Forecaster forecaster, Map<String, Object> props) {
        Object rank = props.get(Constants.SERVICE_RANKING);
        Object sid = props.get(Constants.SERVICE_ID);
        forecasters.add(new RankedForecaster(forecaster, rank instanceof Integer i ? i : 0, sid instanceof Long l ? l : 0L));
    }

    void removeForecaster(Forecaster forecaster) {
        forecasters.removeIf(r -> r.forecaster() == forecaster);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = SiteClock.FILTER)
    void setSiteClock(Clock clock) {
        siteClock = clock;
    }

    void unsetSiteClock(Clock clock) {
        if (siteClock == clock) {
            siteClock = null;
            lastSnapshotTime = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin ea) {
        eventAdmin = ea;
    }

    void unsetEventAdmin(EventAdmin ea) {
        if (eventAdmin == ea) {
            eventAdmin = null;
        }
    }

    private void post(String topic, Map<String, ?> props) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            try {
                ea.postEvent(new Event(topic, new LinkedHashMap<String, Object>(props)));
            } catch (RuntimeException e) {
                LOG.debug("Event {} not posted: {}", topic, e.toString());
            }
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("Device call failed: {}", e.toString());
        }
    }

    /** For tests in this package: run one cycle now, on the caller's thread. */
    void runCycleNow(String trigger) {
        cycle(trigger);
    }

}
