package org.fusebox.cloud.mqtt;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.fusebox.api.cloud.CloudException;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.CloudMessageListener;
import org.fusebox.api.cloud.CloudPublisher;
import org.fusebox.api.cloud.CloudRequestHandler;
import org.fusebox.api.cloud.CloudSubscriber;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.session.SessionHistory;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.metrics.Measurement;
import org.fusebox.api.metrics.MetricsSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
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
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud link as OSGi services: {@link CloudPublisher}, {@link CloudSubscriber}, a health indicator
 * named {@code cloud.mqtt}, and an {@link EventHandler} forwarding {@code fusebox/*} events. Request
 * handlers and the control loop are picked up dynamically. The work is done by {@link MqttLink} and
 * {@link RequestDispatcher}; this class only wires them.
 */
@Component(service = { CloudPublisher.class, CloudSubscriber.class, HealthIndicator.class, EventHandler.class,
        MetricsSource.class },
        configurationPid = CloudMqttComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        property = EventConstants.EVENT_TOPIC + "=" + FuseboxEvents.TOPIC_ROOT + "*")
@Designate(ocd = CloudMqttConfig.class)
public final class CloudMqttComponent implements CloudPublisher, CloudSubscriber, HealthIndicator, EventHandler,
        MetricsSource {

    static final String PID = "fusebox.cloud.mqtt";
    private static final Logger LOG = LoggerFactory.getLogger(CloudMqttComponent.class);

    private final MqttLink link;
    private final RequestDispatcher requests;
    private final Path defaultDataDir;
    private volatile String configError;
    private volatile EventAdmin eventAdmin;
    private volatile ControlLoop controlLoop;
    private volatile SessionHistory sessionHistory;

    @Activate
    public CloudMqttComponent(BundleContext context) {
        this(Clock.systemUTC(), () -> fuseboxBundles(context), dataDir());
    }

    /** Outside OSGi: tests give the clock, the bundle versions for birth and death, and the default data directory. */
    CloudMqttComponent(Clock clock, java.util.function.Supplier<Map<String, String>> bundleVersions, Path defaultDataDir) {
        this.defaultDataDir = defaultDataDir;
        this.link = new MqttLink(clock, bundleVersions);
        this.requests = new RequestDispatcher((f, l) -> link.subscribe(f, l, true), link, clock);
        link.setCycles(() -> {
            ControlLoop loop = controlLoop;
            return loop == null ? Optional.<CycleReport>empty() : loop.lastCycle();
        });
        link.setSessions(() -> {
            SessionHistory history = sessionHistory;
            return history == null ? List.of() : history.active();
        });
    }

    private static Path dataDir() {
        String karafData = System.getProperty("karaf.data");
        return karafData != null && !karafData.isBlank() ? Path.of(karafData) : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static Map<String, String> fuseboxBundles(BundleContext context) {
        Map<String, String> versions = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            String name = b.getSymbolicName();
            if (name != null && name.startsWith("fusebox-")) {
                versions.put(name, b.getVersion().toString());
            }
        }
        return versions;
    }

    @Activate
    @Modified
    void configure(CloudMqttConfig config) {
        LinkSettings settings;
        try {
            settings = LinkSettings.from(config, defaultDataDir);
            link.apply(settings);
            if (settings.plaintext) {
                LOG.warn("cloud link: {}", settings.plaintextWarning());
            }
        } catch (IllegalArgumentException | IOException e) {
            refuse(e.getMessage());
            return;
        }
        configError = null;
    }

    private void refuse(String reason) {
        String kept = link.stats().isPresent() ? "the previous configuration stays in force" : "the link is not running";
        configError = "configuration " + PID + " refused, " + kept + ": " + reason;
        LOG.error(configError);
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(FuseboxEvents.CONFIG_REJECTED, Map.of(FuseboxEvents.PID, PID, FuseboxEvents.REASON, reason)));
        }
    }

    // ---- measurements: the store's depth and losses, what was sent, the connection ----

    @Override
    public String component() {
        return "cloud.mqtt";
    }

    @Override
    public List<Measurement> measurements() {
        return link.measurements();
    }

    @Deactivate
    void deactivate() {
        requests.close();
        link.close();
    }

    // ---- services --------------------------------------------------------------------------------

    @Override
    public String publish(CloudMessage message) throws CloudException {
        return link.publish(message);
    }

    @Override
    public CompletionStage<String> publishAsync(CloudMessage message) {
        return link.publishAsync(message);
    }

    @Override
    public boolean isConnected() {
        return link.isConnected();
    }

    @Override
    public AutoCloseable subscribe(String topicFilter, CloudMessageListener listener) {
        return link.subscribe(topicFilter, listener);
    }

    @Override
    public void handleEvent(Event event) {
        // our own refusal is reported through health and the log; sending it would need the link it refused
        Map<String, Object> props = new HashMap<>();
        for (String key : event.getPropertyNames()) {
            props.put(key, event.getProperty(key));
        }
        link.forwardEvent(event.getTopic(), props);
    }

    @Override
    public String name() {
        return "cloud.mqtt";
    }

    @Override
    public Health health() {
        Health h = link.health();
        java.util.List<String> warnings = new java.util.ArrayList<>();
        String e = configError;
        if (e != null) {
            warnings.add(e);
        }
        String plaintext = link.plaintextWarning();
        if (plaintext != null) {
            warnings.add(plaintext);
        }
        if (warnings.isEmpty()) {
            return h;
        }
        warnings.addAll(h.details());
        return new Health(h.status().worst(HealthStatus.DEGRADED), warnings);
    }

    MqttLink link() {
        return link;
    }

    RequestDispatcher requests() {
        return requests;
    }

    // ---- references ------------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addRequestHandler(CloudRequestHandler handler) {
        requests.add(handler);
    }

    void removeRequestHandler(CloudRequestHandler handler) {
        requests.remove(handler);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setControlLoop(ControlLoop loop) {
        controlLoop = loop;
    }

    void unsetControlLoop(ControlLoop loop) {
        if (controlLoop == loop) {
            controlLoop = null;
        }
    }

    /** The session recorder (fusebox-sessions), when installed: telemetry then carries the active sessions. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setSessionHistory(SessionHistory history) {
        sessionHistory = history;
    }

    void unsetSessionHistory(SessionHistory history) {
        if (sessionHistory == history) {
            sessionHistory = null;
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
}
