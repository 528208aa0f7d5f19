package org.fusebox.simulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.simulator.model.ExternalLoad;
import org.fusebox.simulator.model.GridFrequency;
import org.fusebox.simulator.ocpp.OcppTiming;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ManagedService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
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
 * Runs a simulated site and offers its devices and clock as services. Without a configuration it runs
 * the defaults, so installing the bundle is enough for a demo. A configuration with a wrong value is
 * refused as a whole: the simulator keeps running on the one before, and says why in its health.
 */
@Component(name = SimulatorComponent.PID, configurationPid = SimulatorComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true, service = HealthIndicator.class)
@Designate(ocd = SimulatorConfig.class)
public final class SimulatorComponent implements HealthIndicator {

    static final String PID = "fusebox.simulator";
    static final String HEALTH_NAME = "simulator";

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorComponent.class);

    private final LongSupplier realNanos = System::nanoTime;
    /** Outlives every rebuilt site, so a load set from outside stays on the grid meter. */
    private final ExternalLoad externalLoad = new ExternalLoad();
    private ServiceRegistration<ManagedService> externalLoadConfiguration;
    /** Likewise the grid's frequency, set from outside. */
    private final GridFrequency gridFrequency = new GridFrequency();
    private ServiceRegistration<ManagedService> gridFrequencyConfiguration;
    private volatile EventAdmin eventAdmin;
    private volatile String refusal;
    private volatile Simulation simulation;
    private SimulatorSettings settings;
    private BundleContext context;

    @Activate
    synchronized void activate(BundleContext bundleContext, SimulatorConfig config) {
        context = bundleContext;
        externalLoadConfiguration = ExternalLoadConfiguration.register(bundleContext, externalLoad);
        gridFrequencyConfiguration = GridFrequencyConfiguration.register(bundleContext, gridFrequency);
        SimulatorSettings chosen = validate(config, "the defaults")
                .orElseGet(() -> SimulatorSettings.from(ConfigValues.defaults(SimulatorConfig.class)));
        settings = chosen;
        simulation = startSimulation(chosen, chosen.startTime().orElseGet(SimulatorComponent::wallClockNow));
        LOG.info("Simulator started: {}", chosen);
    }

    @Modified
    synchronized void modified(SimulatorConfig config) {
        Optional<SimulatorSettings> valid = validate(config, "the previous configuration");
        if (valid.isEmpty()) {
            return;
        }
        SimulatorSettings next = valid.get();
        SimulatorSettings previous = settings;
        settings = next;
        Simulation running = simulation;
        if (running != null && next.sameSiteAs(previous)) {
            running.changePace(next.speed(), next.tick());
            LOG.info("Simulator pace changed: {}", next);
            return;
        }
        // a changed start time is a wish to jump; otherwise the site carries on from where it is
        Instant start = next.startTime().filter(t -> !next.startTime().equals(previous.startTime()))
                .orElseGet(() -> running != null ? running.now() : wallClockNow());
        if (running != null) {
            running.stop();
        }
        simulation = startSimulation(next, start);
        LOG.info("Simulator rebuilt: {}", next);
    }

    @Deactivate
    synchronized void deactivate() {
        Simulation running = simulation;
        simulation = null;
        if (running != null) {
            running.stop();
        }
        unregister(externalLoadConfiguration);
        externalLoadConfiguration = null;
        unregister(gridFrequencyConfiguration);
        gridFrequencyConfiguration = null;
        LOG.info("Simulator stopped");
    }

    private static void unregister(ServiceRegistration<?> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // withdrawn with the bundle already
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEventAdmin(EventAdmin admin) {
        eventAdmin = admin;
    }

    void unbindEventAdmin(EventAdmin admin) {
        if (eventAdmin == admin) {
            eventAdmin = null;
        }
    }

    @Override
    public String name() {
        return HEALTH_NAME;
    }

    @Override
    public Health health() {
        List<String> details = new ArrayList<>();
        HealthStatus status = HealthStatus.UP;
        String refused = refusal;
        if (refused != null) {
            status = HealthStatus.DEGRADED;
            details.add(refused);
        }
        Simulation running = simulation;
        if (running == null) {
            return new Health(HealthStatus.DOWN, List.of("the simulator is not running"));
        }
        Optional<String> overload = running.fuseOverload();
        if (overload.isPresent()) {
            status = HealthStatus.DEGRADED;
            details.add(overload.get());
        }
        List<String> modbusProblems = running.modbusProblems();
        if (!modbusProblems.isEmpty()) {
            status = HealthStatus.DEGRADED;
            details.addAll(modbusProblems);
        }
        if (running.ocppDegraded()) {
            status = HealthStatus.DEGRADED;
        }
        details.addAll(running.ocppStatus());
        details.add(running.fuseRecord());
        return new Health(status, details);
    }

    /** The running simulation, for tests in this package. */
    Simulation simulation() {
        return simulation;
    }

    private Simulation startSimulation(SimulatorSettings s, Instant start) {
        Simulation sim = new Simulation(s.siteStartingAt(start), s.speed(), s.tick(), realNanos, s.modbus(), s.ocpp(),
                OcppTiming.DEFAULT);
        sim.connectExternalLoad(externalLoad);
        sim.connectGridFrequency(gridFrequency);
        sim.start(context);
        return sim;
    }

    /** Validates; a refusal is logged, posted, and kept for the health check until a valid one arrives. */
    private Optional<SimulatorSettings> validate(SimulatorConfig config, String keptInstead) {
        try {
            SimulatorSettings s = SimulatorSettings.from(config);
            refusal = null;
            return Optional.of(s);
        } catch (SimulatorSettings.InvalidConfigurationException e) {
            String message = "configuration " + PID + " refused, running on " + keptInstead + ": " + e.getMessage();
            LOG.error("{}", message);
            refusal = message;
            post(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, PID, FuseboxEvents.REASON, e.getMessage()));
            return Optional.empty();
        }
    }

    private void post(String topic, Map<String, ?> properties) {
        EventAdmin admin = eventAdmin;
        if (admin == null) {
            return;
        }
        try {
            admin.postEvent(new Event(topic, new LinkedHashMap<String, Object>(properties)));
        } catch (RuntimeException e) {
            LOG.debug("Event {} not posted: {}", topic, e.toString());
        }
    }

    private static Instant wallClockNow() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
