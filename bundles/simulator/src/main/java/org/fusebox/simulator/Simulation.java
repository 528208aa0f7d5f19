package org.fusebox.simulator;

import com.ghgande.j2mod.modbus.ModbusException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fusebox.simulator.modbus.BatteryServer;
import org.fusebox.simulator.modbus.MeterServer;
import org.fusebox.simulator.modbus.PvServer;
import org.fusebox.simulator.modbus.SunSpecServer;
import org.fusebox.simulator.ocpp.ChargerCommands;
import org.fusebox.simulator.ocpp.ChargerView;
import org.fusebox.simulator.ocpp.OcppChargePoint;
import org.fusebox.simulator.ocpp.OcppTiming;
import java.net.URI;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.fusebox.api.device.Battery;
import org.fusebox.api.device.Device;
import org.fusebox.api.device.EvCharger;
import org.fusebox.api.device.GridMeter;
import org.fusebox.api.device.PvInverter;
import org.fusebox.api.site.SiteClock;
import org.fusebox.api.units.Phase;
import org.fusebox.simulator.model.ChargePoint;
import org.fusebox.simulator.model.ExternalLoad;
import org.fusebox.simulator.model.GridConnection;
import org.fusebox.simulator.model.GridFrequency;
import org.fusebox.simulator.model.SiteConfig;
import org.fusebox.simulator.model.SiteModel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running simulated site: the model, the thread that steps it, the device services it offers and its
 * clock. Built whole and thrown away whole; a new site configuration means a new Simulation.
 */
final class Simulation {

    private static final Logger LOG = LoggerFactory.getLogger(Simulation.class);
    private static final long FAILURE_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final SiteModel model;
    private final CommandQueue commands = new CommandQueue();
    private final SimulationClock.TimeBase timeBase;
    private final SimulationClock clock;
    private final SimulatedGridMeter meter;
    private final List<SimulatedDevice> devices;
    private final LongSupplier realNanos;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final ModbusExposure modbus;
    /** Device id to the server that exposes it over Modbus TCP. */
    private final Map<String, SunSpecServer> servers = new LinkedHashMap<>();
    private final List<String> modbusProblems = new CopyOnWriteArrayList<>();
    /** Charger number to the OCPP charge point it runs as; empty when the chargers are in-process. */
    private final Map<Integer, OcppChargePoint> ocppChargePoints = new LinkedHashMap<>();
    private final ScheduledThreadPoolExecutor ocppExecutor;

    private volatile double speed;
    private volatile Duration tick;
    private volatile FuseState fuse = FuseState.NORMAL;
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> ticking;
    private long lastFailureLogNanos;
    private long suppressedFailures;

    /** What the fuse looked like after the last step, for the health check. */
    private record FuseState(Phase phase, double amps, double limitAmps, double overloadSeconds, double maxAmps) {
        static final FuseState NORMAL = new FuseState(Phase.L1, 0, Double.MAX_VALUE, 0, 0);

        boolean overloaded() {
            return Math.abs(amps) > limitAmps;
        }
    }

    Simulation(SiteConfig site, double speed, Duration tick, LongSupplier realNanos) {
        this(site, speed, tick, realNanos, ModbusExposure.NONE);
    }

    Simulation(SiteConfig site, double speed, Duration tick, LongSupplier realNanos, ModbusExposure modbus) {
        this(site, speed, tick, realNanos, modbus, OcppExposure.NONE, OcppTiming.DEFAULT);
    }

    Simulation(SiteConfig site, double speed, Duration tick, LongSupplier realNanos, ModbusExposure modbus,
            OcppExposure ocpp, OcppTiming ocppTiming) {
        this.realNanos = realNanos;
        this.modbus = modbus;
        this.model = new SiteModel(site, realNanos);
        this.speed = speed;
        this.tick = tick;
        this.timeBase = new SimulationClock.TimeBase(realNanos, model.now());
        this.clock = new SimulationClock(timeBase, site.zone());
        Instant since = model.now();
        this.meter = new SimulatedGridMeter(commands, since);
        List<SimulatedDevice> all = new ArrayList<>();
        all.add(meter);
        model.pv().ifPresent(pv -> all.add(new SimulatedPvInverter(commands, since, pv.peakWatts())));
        model.battery().ifPresent(b -> all.add(new SimulatedBattery(commands, since, b)));
        for (ChargePoint p : model.chargePoints()) {
            all.add(new SimulatedCharger(commands, since, p));
        }
        this.devices = List.copyOf(all);
        SunSpecServer.CommandSink sink = (target, command) -> commands.submit(target, command);
        if (modbus.gridMeterPort() > 0) {
            servers.put(SimulatedGridMeter.ID, new MeterServer(SimulatedGridMeter.ID, site.fuseLimitAmps(),
                    site.nominalVolts()));
        }
        model.pv().filter(pv -> modbus.pvPort() > 0).ifPresent(pv -> servers.put(SimulatedPvInverter.ID,
                new PvServer(SimulatedPvInverter.ID, pv.peakWatts(), site.nominalVolts(), sink)));
        model.battery().filter(b -> modbus.batteryPort() > 0).ifPresent(b -> servers.put(SimulatedBattery.ID,
                new BatteryServer(SimulatedBattery.ID, b, site.failsafeTimeout(), realNanos, sink)));
        this.ocppExecutor = ocpp.enabled() ? ocppExecutor() : null;
        if (ocpp.enabled()) {
            URI url = URI.create(ocpp.centralSystemUrl());
            for (ChargePoint p : model.chargePoints()) {
                p.governExternally();
                ocppChargePoints.put(p.number(), new OcppChargePoint(SimulatedCharger.ID_PREFIX + p.number(), url,
                        ocpp.password(), p.phases().size(), site.nominalVolts(), p.failsafeAmps(), site.failsafeTimeout(),
                        ocpp.meterValueIntervalSeconds(), ocppTiming, commandsFor(p.number()), realNanos, ocppExecutor));
            }
        }
        publish();
    }

    private static ScheduledThreadPoolExecutor ocppExecutor() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "fusebox-simulator-ocpp");
            t.setDaemon(true);
            return t;
        });
        // a stopped simulation must not wait for reconnect timers
        e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        e.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    /** How a charge point's orders reach its charger: queued, in order, applied at the next step. */
    private ChargerCommands commandsFor(int number) {
        String prefix = SimulatedCharger.ID_PREFIX + number + ":ocpp:";
        AtomicLong sequence = new AtomicLong();
        return new ChargerCommands() {
            @Override
            public void authorise(String sessionId) {
                submit(p -> p.authorise(sessionId));
            }

            @Override
            public void endSession(String sessionId) {
                submit(p -> p.endSession(sessionId));
            }

            @Override
            public void awaitAuthorisation(String sessionId) {
                submit(p -> p.awaitAuthorisation(sessionId));
            }

            @Override
            public void setOperative(boolean operative) {
                submit(p -> p.setOperative(operative));
            }

            private void submit(java.util.function.Consumer<ChargePoint> command) {
                commands.submit(prefix + sequence.incrementAndGet(), m -> m.chargePoint(number).ifPresent(command));
            }
        };
    }

    /** Puts a load the model does not simulate behind the grid meter; before {@link #start}. */
    void connectExternalLoad(ExternalLoad load) {
        model.connectExternalLoad(load);
    }

    void connectGridFrequency(GridFrequency frequency) {
        model.connectGridFrequency(frequency);
    }

    /** Registers the devices and the clock, then starts stepping. */
    synchronized void start(BundleContext context) {
        register(context, Clock.class, clock, SiteClock.SERVICE_PROPERTY, SiteClock.SITE);
        for (SimulatedDevice d : devices) {
            boolean overOcpp = d instanceof SimulatedCharger c && ocppChargePoints.containsKey(c.number());
            if (!overOcpp && !servedOverModbus(d.id())) {
                register(context, roleOf(d), d, Device.DEVICE_ID_PROPERTY, d.id());
            }
        }
        for (Map.Entry<Integer, OcppChargePoint> e : ocppChargePoints.entrySet()) {
            model.chargePoint(e.getKey()).ifPresent(p -> e.getValue().observe(ChargerView.of(p, model.now())));
            e.getValue().start();
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fusebox-simulator");
            t.setDaemon(true);
            return t;
        });
        schedule();
    }

    /**
     * Starts the device's Modbus server when it has one. A port that cannot be had leaves the device an
     * in-process service, so the site stays whole, and the health says why.
     */
    private boolean servedOverModbus(String deviceId) {
        SunSpecServer server = servers.get(deviceId);
        if (server == null) {
            return false;
        }
        int port = switch (deviceId) {
            case SimulatedGridMeter.ID -> modbus.gridMeterPort();
            case SimulatedPvInverter.ID -> modbus.pvPort();
            default -> modbus.batteryPort();
        };
        try {
            server.start(modbus.host(), port);
            return true;
        } catch (ModbusException | RuntimeException e) {
            String problem = "Modbus TCP server for " + deviceId + " on " + modbus.host() + ":" + port
                    + " did not start (" + e.getMessage() + "); " + deviceId + " is an in-process service instead";
            LOG.error("{}", problem);
            modbusProblems.add(problem);
            servers.remove(deviceId).close();
            return false;
        }
    }

    /** Why a configured Modbus server is not serving, if it is not. */
    List<String> modbusProblems() {
        return List.copyOf(modbusProblems);
    }

    /** The running Modbus servers by device id, for tests in this package. */
    Map<String, SunSpecServer> modbusServers() {
        return Map.copyOf(servers);
    }

    /** Changes speed and tick without touching the site. */
    synchronized void changePace(double newSpeed, Duration newTick) {
        speed = newSpeed;
        tick = newTick;
        if (executor != null) {
            ticking.cancel(false);
            schedule();
        }
    }

    /** Stops stepping, then withdraws every service. Safe to call twice. */
    synchronized void stop() {
        commands.close();
        if (executor != null) {
            executor.shutdownNow();
            try {
                if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                    LOG.warn("The simulation thread did not stop within 2 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
        Instant at = model.now();
        devices.forEach(d -> d.stopped(at));
        servers.values().forEach(SunSpecServer::close);
        ocppChargePoints.values().forEach(OcppChargePoint::stop);
        if (ocppExecutor != null) {
            ocppExecutor.shutdown();
            try {
                if (!ocppExecutor.awaitTermination(2, TimeUnit.SECONDS)) {
                    ocppExecutor.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework withdrew it already, e.g. while the bundle stops
            }
        }
        registrations.clear();
    }

    /** One step: apply pending writes, advance, publish readings, tell listeners. */
    void tick() {
        commands.applyTo(model);
        long realNow = realNanos.getAsLong();
        for (Map.Entry<Integer, OcppChargePoint> e : ocppChargePoints.entrySet()) {
            double amps = e.getValue().limitAmps(realNow);
            model.chargePoint(e.getKey()).ifPresent(p -> p.governLimit(amps));
        }
        Duration step = simulatedStep();
        model.step(step);
        publish();
        timeBase.anchor(model.now(), speed, step.toNanos());
        for (SimulatedDevice d : devices) {
            d.notifyListeners();
        }
        for (Map.Entry<Integer, OcppChargePoint> e : ocppChargePoints.entrySet()) {
            model.chargePoint(e.getKey()).ifPresent(p -> e.getValue().observe(ChargerView.of(p, model.now())));
        }
    }

    /** One line per OCPP charge point: its connection and last error, for the health check. */
    List<String> ocppStatus() {
        return ocppChargePoints.values().stream().map(OcppChargePoint::describe).toList();
    }

    /** Whether an OCPP charge point is not registered with its central system now. */
    boolean ocppDegraded() {
        return ocppChargePoints.values().stream()
                .anyMatch(cp -> cp.status().connection() != OcppChargePoint.Connection.ACCEPTED);
    }

    /** The OCPP charge points the chargers run as, by charger number; empty when they are in-process. */
    Map<Integer, OcppChargePoint> ocppChargePoints() {
        return Map.copyOf(ocppChargePoints);
    }

    private void publish() {
        for (SimulatedDevice d : devices) {
            d.publish(model);
        }
        long now = realNanos.getAsLong();
        for (SunSpecServer server : servers.values()) {
            server.update(model, now);
        }
        GridConnection g = model.grid();
        Phase busiest = g.busiestPhase();
        FuseState before = fuse;
        fuse = new FuseState(busiest, g.amps(busiest), g.fuseLimitAmps(), g.overloadSeconds(), g.maxPhaseAmps());
        if (fuse.overloaded() && !before.overloaded()) {
            // with the site time and every phase, so an overload can be matched to the control cycle that caused it
            LOG.warn("Simulated fuse overloaded at {} (site time): L1 {} A, L2 {} A, L3 {} A against {} A",
                    model.now(), round(g.amps(Phase.L1)), round(g.amps(Phase.L2)), round(g.amps(Phase.L3)), round(g.fuseLimitAmps()));
        }
    }

    private static String round(double amps) {
        return String.format(Locale.ROOT, "%.1f", amps);
    }

    private Duration simulatedStep() {
        return Duration.ofNanos(Math.round(tick.toNanos() * speed));
    }

    private void schedule() {
        long period = tick.toMillis();
        timeBase.anchor(model.now(), speed, simulatedStep().toNanos());
        ticking = executor.scheduleAtFixedRate(this::tickSafely, period, period, TimeUnit.MILLISECONDS);
    }

    /** A failing step must not end the schedule (a thrown exception would), nor flood the log. */
    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            long now = realNanos.getAsLong();
            if (lastFailureLogNanos == 0 || now - lastFailureLogNanos > FAILURE_LOG_INTERVAL_NANOS) {
                LOG.error("Simulation step failed ({} more since the last report)", suppressedFailures, e);
                lastFailureLogNanos = now;
                suppressedFailures = 0;
            } else {
                suppressedFailures++;
            }
        }
    }

    private <S> void register(BundleContext context, Class<S> role, Object service, String key, String value) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(key, value);
        props.put("service.description", "Fusebox simulator");
        registrations.add(context.registerService(role, role.cast(service), props));
    }

    private static Class<?> roleOf(SimulatedDevice d) {
        if (d instanceof GridMeter) {
            return GridMeter.class;
        }
        if (d instanceof PvInverter) {
            return PvInverter.class;
        }
        if (d instanceof Battery) {
            return Battery.class;
        }
        if (d instanceof EvCharger) {
            return EvCharger.class;
        }
        throw new IllegalArgumentException("no role for " + d.id());
    }

    /** Simulated time now, as the site clock tells it. */
    Instant now() {
        return clock.instant();
    }

    Clock clock() {
        return clock;
    }

    List<SimulatedDevice> devices() {
        return devices;
    }

    SimulatedGridMeter meter() {
        return meter;
    }

    /** Only for tests on the simulation thread's side: the model itself. */
    SiteModel model() {
        return model;
    }

    /** A sentence naming the overloaded phase and by how much, when the fuse is overloaded now. */
    /** The fuse's record since start: always shown, so a test or an operator can check it was never crossed. */
    String fuseRecord() {
        FuseState f = fuse;
        return String.format(Locale.ROOT, "fuse record: highest phase current %.1f A of %.0f A, %.0f s overloaded in total",
                f.maxAmps(), f.limitAmps() == Double.MAX_VALUE ? 0 : f.limitAmps(), f.overloadSeconds());
    }

    Optional<String> fuseOverload() {
        FuseState f = fuse;
        if (!f.overloaded()) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT,
                "physical fuse overloaded on %s: %.1f A, %.1f A above the %.0f A fuse (%.0f s overloaded in total)",
                f.phase(), Math.abs(f.amps()), Math.abs(f.amps()) - f.limitAmps(), f.limitAmps(), f.overloadSeconds()));
    }
}
