package org.fusebox.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import org.fusebox.api.market.PriceFeed;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteClock;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
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

    private final DeviceRegistry devices = new DeviceRegistry(System::nanoTime);
    private final SetpointWriter writer = new SetpointWriter(System::nanoTime);
    private final ControlCycle decision = new ControlCycle();
    /** Readings of different devices are of different ages: plan against the last seconds' high (ADR 8). */
    private final UncontrolledWindow uncontrolledWindow = new UncontrolledWindow(Duration.ofSeconds(3));
    private final FailsafePolicy failsafe = new FailsafePolicy();
    private final ChargingRequestBook chargingRequests = new ChargingRequestBook();
    private final List<RankedOptimiser> optimisers = new CopyOnWriteArrayList<>();
    private final List<PriceFeed> priceFeeds = new CopyOnWriteArrayList<>();
    private final List<RankedForecaster> forecasters = new CopyOnWriteArrayList<>();
    private final Map<GridMeter, ReadingListener> meterListeners = new ConcurrentHashMap<>();
    private final Set<String> missingDevices = ConcurrentHashMap.newKeySet();
    private final List<String> duplicateDevices = new CopyOnWriteArrayList<>();
    private final AtomicBoolean cyclePending = new AtomicBoolean();
    private final AtomicLong cycleCount = new AtomicLong();
    private final AtomicLong lastBreachNanos = new AtomicLong(Long.MIN_VALUE / 2);
    private final Object stateLock = new Object();

    private volatile CoreSettings settings;
    private volatile List<String> configErrors = List.of();
    private volatile Clock siteClock;
    private volatile EventAdmin eventAdmin;
    private volatile CycleReport lastReport;
    private volatile ControlState state = new ControlState(ControlMode.STOPPED, List.of(), Instant.now());
    private volatile List<String> optimiserFailures = List.of();
    private volatile PhaseCurrents lastUncontrolled;
    private volatile Instant lastSnapshotTime;
    private volatile Set<String> lastInterventionKeys = Set.of();

    private ScheduledExecutorService executor;
    private ScheduledFuture<?> periodic;
    private long scheduledPeriodMillis;

    private record RankedForecaster(Forecaster forecaster, int ranking, long serviceId) {
    }

    private record RankedOptimiser(Optimiser optimiser, int ranking, long serviceId) {
    }

    // ---- lifecycle and configuration ----------------------------------------------------------------

    @Activate
    void activate(CoreConfig config) {
        applyConfiguration(config);
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fusebox-control");
            t.setDaemon(true);
            return t;
        });
        reschedule();
        LOG.info("Control loop started: {}", settings == null ? "no valid configuration, holding the site in failsafe" : settings.limits());
    }

    @Modified
    void modified(CoreConfig config) {
        applyConfiguration(config);
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
        state = new ControlState(ControlMode.STOPPED, List.of(), Instant.now());
        LOG.info("Control loop stopped");
    }

    /** A refused configuration leaves the previous valid one in force; with none, the loop holds failsafe. */
    private void applyConfiguration(CoreConfig config) {
        try {
            settings = CoreSettings.from(config);
            configErrors = List.of();
        } catch (CoreSettings.InvalidConfigurationException e) {
            configErrors = e.reasons().stream().map(r -> "configuration fusebox.core refused: " + r).toList();
            LOG.error("Configuration fusebox.core refused, {}: {}",
                    settings == null ? "no valid configuration yet, holding the site in failsafe" : "previous configuration stays in force",
                    e.getMessage());
            post(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, "fusebox.core", FuseboxEvents.REASON, e.getMessage()));
        }
    }

    private synchronized void reschedule() {
        ScheduledExecutorService ex = executor;
        if (ex == null) {
            return;
        }
        long period = settings == null ? 1000 : settings.limits().cyclePeriod().toMillis();
        if (periodic != null && period == scheduledPeriodMillis) {
            return;
        }
        if (periodic != null) {
            periodic.cancel(false);
        }
        scheduledPeriodMillis = period;
        periodic = ex.scheduleAtFixedRate(() -> runCycle("period"), 0, period, TimeUnit.MILLISECONDS);
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
        SiteLimits limits = s.limits();
        SiteSnapshot snapshot = chargingRequests.overlay(
                devices.snapshot(cycle, now, limits, s.readingTimeout(), prices(now), forecasts(now)));
        List<String> failsafeReasons = new ArrayList<>();
        if (snapshot.grid() == null) {
            failsafeReasons.add("no grid meter");
        } else if (snapshot.grid().reading() == null || !snapshot.grid().status().isOnline()) {
            failsafeReasons.add("grid meter " + snapshot.grid().id() + " unusable: "
                    + (snapshot.grid().status().reason().isEmpty() ? "no reading" : snapshot.grid().status().reason()));
        }
        Setpoints proposed;
        Setpoints applied;
        List<Intervention> interventions;
        List<String> notes;
        List<Plan> plans = List.of();
        if (failsafeReasons.isEmpty()) {
            Duration horizon = horizon(limits, now);
            PhaseCurrents reserve = PhaseBudget.uncontrolled(snapshot)
                    .map(u -> uncontrolledWindow.reserve(System.nanoTime(), u)).orElse(PhaseCurrents.ZERO);
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
            FailsafePolicy.Result r = failsafe.safeState(snapshot.chargers(), snapshot.batteries(), snapshot.pv(), limits,
                    lastUncontrolled, String.join("; ", failsafeReasons));
            proposed = r.setpoints();
            applied = r.setpoints();
            interventions = r.interventions();
            notes = List.of();
        }
        lastSnapshotTime = now;
        writer.write(applied, devices, s.setpointRefresh());
        finishCycle(snapshot, trigger, notes, proposed, applied, interventions, plans, failsafeReasons, t0);
    }

    /** No valid configuration has ever been seen: nothing is known about the fuse, so every load is paused. */
    private void holdWithoutLimits(long cycle, Instant now, String trigger, long t0) {
        SiteLimits placeholder = new SiteLimits(Current.ofAmps(1), Current.ZERO, 3, org.fusebox.api.units.Voltage.NOMINAL_230,
                org.fusebox.api.units.Percent.of(0), org.fusebox.api.units.Percent.of(100), Duration.ofSeconds(1));
        SiteSnapshot snapshot = chargingRequests.overlay(
                devices.snapshot(cycle, now, placeholder, Duration.ofSeconds(5), PriceCurve.EMPTY, List.of()));
        FailsafePolicy.Result r = failsafe.safeState(snapshot.chargers(), snapshot.batteries(), snapshot.pv(), null, null,
                "no valid configuration");
        writer.write(r.setpoints(), devices, Duration.ofSeconds(5));
        finishCycle(snapshot, trigger, List.of(), r.setpoints(), r.setpoints(), r.interventions(), List.of(),
                List.of("no valid configuration: " + String.join("; ", configErrors)), t0);
    }

    private void finishCycle(SiteSnapshot snapshot, String trigger, List<String> notes, Setpoints proposed, Setpoints applied,
            List<Intervention> interventions, List<Plan> plans, List<String> failsafeReasons, long t0) {
        ControlMode mode = failsafeReasons.isEmpty() ? ControlMode.RUNNING : ControlMode.FAILSAFE;
        List<String> reasons = new ArrayList<>(failsafeReasons);
        missingDevices.stream().sorted().forEach(id -> reasons.add(id + " missing: held in its safe state"));
        reasons.addAll(duplicateDevices);
        transition(mode, reasons, failsafeReasons, snapshot.timestamp());
        announceNewInterventions(interventions);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        lastReport = new CycleReport(snapshot, trigger, notes, proposed, applied, interventions, writer.results(), state, took, plans);
        post(FuseboxEvents.CYCLE_COMPLETED, Map.of(FuseboxEvents.CYCLE, snapshot.cycle(), FuseboxEvents.TRIGGER, trigger,
                FuseboxEvents.DURATION_MICROS, took.toNanos() / 1000));
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

    private PriceCurve prices(Instant now) {
        for (PriceFeed feed : priceFeeds) {
            try {
                PriceCurve c = feed.prices(now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(48)));
                if (c != null && !c.isEmpty()) {
                    return c;
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Price feed failed: {}", e.toString());
            }
        }
        return PriceCurve.EMPTY;
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
        Current limit = s.limits().planningLimit();
        PhaseCurrents currents = r.get().currents();
        for (Phase p : Phase.values()) {
            if (currents.on(p).isGreaterThan(limit)) {
                long now = System.nanoTime();
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
        if (missingDevices.remove(id)) {
            LOG.info("Device {} is back", id);
        }
        writer.forget(id);
        post(FuseboxEvents.DEVICE_ADDED, Map.of(FuseboxEvents.DEVICE, id, FuseboxEvents.ROLE, role.name()));
        requestCycle("device added: " + id);
        return true;
    }

    private void deviceRemoved(DeviceRegistry.Role role, Device device) {
        String id = device.id();
        duplicateDevices.removeIf(m -> m.startsWith("device id " + id + " "));
        if (devices.remove(role, device)) {
            missingDevices.add(id);
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
                writer.writeNow(id + "/" + c.connectorId(), () -> charger.setCurrentLimit(c.connectorId(), c.failsafeCurrent()));
            }
        } else if (device instanceof Battery battery) {
            writer.writeNow(id, () -> battery.setPower(Power.ZERO));
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
    void addPriceFeed(PriceFeed feed) {
        priceFeeds.add(feed);
    }

    void removePriceFeed(PriceFeed feed) {
        priceFeeds.remove(feed);
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
