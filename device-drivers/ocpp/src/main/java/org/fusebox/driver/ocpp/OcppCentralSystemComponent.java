package org.fusebox.driver.ocpp;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fusebox.api.device.Device;
import org.fusebox.api.device.EvCharger;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.metrics.Measurement;
import org.fusebox.api.metrics.MetricsSource;
import org.fusebox.driver.ocpp.api.Authorizer;
import org.fusebox.driver.ocpp.api.CallFailedException;
import org.fusebox.driver.ocpp.api.CallResult;
import org.fusebox.driver.ocpp.api.CentralSystem;
import org.fusebox.driver.ocpp.api.ChargePointView;
import org.fusebox.driver.ocpp.api.DataTransferHandler;
import org.fusebox.driver.ocpp.api.LimitProfile;
import org.fusebox.driver.ocpp.api.ProfilePurpose;
import org.fusebox.driver.ocpp.api.RateUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
 * The OCPP 1.6J central system as a DS component. Registers each connected charge point as an
 * {@link EvCharger} itself (they come and go with connections, not with configuration). A refused
 * configuration leaves the previous one running, or nothing running on the first activation, and the
 * health indicator says why.
 */
@Component(name = OcppCentralSystemComponent.PID, configurationPid = OcppCentralSystemComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { CentralSystem.class, HealthIndicator.class, MetricsSource.class })
@Designate(ocd = OcppConfig.class)
public final class OcppCentralSystemComponent implements CentralSystem, HealthIndicator, MetricsSource {

    public static final String PID = "fusebox.driver.ocpp";

    private static final Logger LOG = LoggerFactory.getLogger(OcppCentralSystemComponent.class);

    /** How long a stopping central system waits for the failsafe profiles the core sends on unbinding. */
    private static final long DRAIN_MILLIS = 3000;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Authorizer authorizer;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin eventAdmin;

    private final List<DataTransferHandler> dataTransferHandlers = new CopyOnWriteArrayList<>();

    private final Clock clock;
    private BundleContext context;
    private volatile CentralSystemEngine engine;
    private volatile String refusal;
    private volatile String serverProblem;

    public OcppCentralSystemComponent() {
        this(Clock.systemUTC());
    }

    OcppCentralSystemComponent(Clock clock) {
        this.clock = clock;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addDataTransferHandler(DataTransferHandler handler) {
        dataTransferHandlers.add(handler);
    }

    void removeDataTransferHandler(DataTransferHandler handler) {
        dataTransferHandlers.remove(handler);
    }

    @Activate
    synchronized void activate(BundleContext bundleContext, OcppConfig config) {
        context = bundleContext;
        apply(config, "the central system is not started");
    }

    @Modified
    synchronized void modified(OcppConfig config) {
        apply(config, "the previous configuration stays in force");
    }

    @Deactivate
    synchronized void deactivate() {
        CentralSystemEngine e = engine;
        engine = null;
        if (e != null) {
            e.stop(DRAIN_MILLIS);
        }
    }

    private void apply(OcppConfig config, String keptInstead) {
        OcppSettings settings;
        try {
            settings = OcppSettings.from(config);
        } catch (OcppSettings.InvalidConfigurationException e) {
            refusal = "configuration " + PID + " refused, " + keptInstead + ": " + e.getMessage();
            LOG.error("{}", refusal);
            EventAdmin ea = eventAdmin;
            if (ea != null) {
                ea.postEvent(new Event(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, PID, FuseboxEvents.REASON, e.getMessage())));
            }
            return;
        }
        refusal = null;
        LOG.info("OCPP central system: {}", settings);
        CentralSystemEngine current = engine;
        try {
            if (current == null) {
                CentralSystemEngine next = new CentralSystemEngine(settings, this::register, () -> authorizer,
                        this::dataTransferHandler, clock);
                engine = next;
                next.start();
            } else {
                current.reconfigure(settings);
            }
            serverProblem = null;
        } catch (Exception e) {
            serverProblem = "cannot listen on " + settings.bindHost + ":" + settings.port + ": " + e;
            LOG.error("{}", serverProblem);
        }
    }

    private DataTransferHandler dataTransferHandler(String vendorId) {
        for (DataTransferHandler h : dataTransferHandlers) {
            try {
                if (vendorId.equals(h.vendorId())) {
                    return h;
                }
            } catch (RuntimeException e) {
                LOG.debug("DataTransfer handler failed: {}", e.toString());
            }
        }
        return null;
    }

    private Runnable register(EvCharger device) {
        BundleContext ctx = context;
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Device.DEVICE_ID_PROPERTY, device.id());
        ServiceRegistration<EvCharger> reg = ctx.registerService(EvCharger.class, device, props);
        return () -> {
            try {
                reg.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters a stopping bundle's services itself
            }
        };
    }

    CentralSystemEngine engine() {
        return engine;
    }

    // ---- HealthIndicator ----

    @Override
    public String name() {
        return "driver.ocpp";
    }

    @Override
    public Health health() {
        List<String> details = new ArrayList<>();
        HealthStatus status = HealthStatus.UP;
        if (refusal != null) {
            status = HealthStatus.DEGRADED;
            details.add(refusal);
        }
        CentralSystemEngine e = engine;
        if (e == null || !e.listening()) {
            details.add(serverProblem != null ? serverProblem : "the central system is not running");
            return new Health(HealthStatus.DOWN, details);
        }
        List<String> problems = e.problems();
        if (!problems.isEmpty()) {
            status = status.worst(HealthStatus.DEGRADED);
            details.addAll(problems);
        }
        return new Health(status, details);
    }

    // ---- MetricsSource ----

    @Override
    public String component() {
        return "ocpp";
    }

    @Override
    public List<Measurement> measurements() {
        CentralSystemEngine e = engine;
        return e == null ? List.of() : e.measurements();
    }

    // ---- CentralSystem: delegates to the running engine ----

    private static <T> CompletionStage<T> notRunning() {
        return CompletableFuture.failedFuture(new CallFailedException(CallFailedException.Reason.NOT_CONNECTED,
                "the OCPP central system is not running"));
    }

    @Override
    public List<ChargePointView> chargePoints() {
        CentralSystemEngine e = engine;
        return e == null ? List.of() : e.chargePoints();
    }

    @Override
    public Optional<ChargePointView> chargePoint(String chargePointId) {
        CentralSystemEngine e = engine;
        return e == null ? Optional.empty() : e.chargePoint(chargePointId);
    }

    @Override
    public CompletionStage<CallResult> setChargingProfile(String id, int connectorId, LimitProfile profile) {
        CentralSystemEngine e = engine;
        return e == null ? notRunning() : e.setChargingProfile(id, connectorId, profile);
    }

    @Override
    public CompletionStage<CallResult> clearChargingProfile(String id, Integer profileId, Integer connectorId,
            ProfilePurpose purpose, Integer stackLevel) {
        CentralSystemEngine e = engine;
        return e == null ? notRunning() : e.clearChargingProfile(id, profileId, connectorId, purpose, stackLevel);
    }

    @Override
    public CompletionStage<CallResult> getCompositeSchedule(String id, int connectorId, int durationSeconds, RateUnit unit) {
        CentralSystemEngine e = engine;
        return e == null ? notRunning() : e.getCompositeSchedule(id, connectorId, durationSeconds, unit);
    }

    @Override
    public CompletionStage<CallResult> remoteStartTransaction(String id, String idTag, Integer connectorId) {
        CentralSystemEngine e = engine;
        return e == null ? notRunning() : e.remoteStartTransaction(id, idTag, connectorId);
    }

    @Override
    public CompletionStage<CallResult> remoteStopTransaction(String id, int transactionId) {
        CentralSystemEngine e = engine;
        return e == null ? notRunning() : e.remoteStopTransaction(id, transactionId);
    }

    @Override
    public CompletionStage<CallResult> changeConfiguration(String id, String key, String value) {
        CentralSystemEngine e = engine;
        return e == null ? notRunning() : e.changeConfiguration(id, key, value);
    }

    @Override
    public CompletionStage<CallResult> getConfiguration(String id, List<String> keys) {
        CentralSystemEngine e = engine;
        return e == null ? notRunning() : e.getConfiguration(id, keys);
    }

    @Override
    public CompletionStage<CallResult> triggerMessage(String id, String requestedMessage, Integer connectorId) {
        CentralSystemEngine e = engine;
        return e == null ? notRunning() : e.triggerMessage(id, requestedMessage, connectorId);
    }

    @Override
    public CompletionStage<CallResult> reset(String id, boolean hard) {
        CentralSystemEngine e = engine;
        return e == null ? notRunning() : e.reset(id, hard);
    }

    @Override
    public CompletionStage<CallResult> unlockConnector(String id, int connectorId) {
        CentralSystemEngine e = engine;
        return e == null ? notRunning() : e.unlockConnector(id, connectorId);
    }

    @Override
    public CompletionStage<CallResult> changeAvailability(String id, int connectorId, boolean operative) {
        CentralSystemEngine e = engine;
        return e == null ? notRunning() : e.changeAvailability(id, connectorId, operative);
    }
}
