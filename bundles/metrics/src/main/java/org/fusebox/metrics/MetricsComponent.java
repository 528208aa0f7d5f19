package org.fusebox.metrics;

import io.prometheus.metrics.exporter.servlet.javax.PrometheusMetricsServlet;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.servlet.Filter;
import javax.servlet.Servlet;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.metrics.MetricsSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the {@code fusebox/*} events and registers prometheus-metrics' servlet on {@value #PATTERN} with the HTTP
 * Whiteboard, over a registry of this component's own ({@link SiteMetrics}). The guard of fusebox-web-security
 * decides who may scrape (viewer by default).
 */
@Component(service = EventHandler.class, configurationPid = MetricsComponent.PID, immediate = true,
        property = EventConstants.EVENT_TOPIC + "=" + FuseboxEvents.TOPIC_ROOT + "*")
@Designate(ocd = MetricsConfig.class)
public final class MetricsComponent implements EventHandler {

    static final String PID = "fusebox.metrics";
    static final String PATTERN = "/fusebox/metrics";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ControlLoop controlLoop;

    /** Registered only behind the guard, like the site API. */
    @Reference(target = "(fusebox.web.guard=true)")
    private Filter guard;

    private final List<HealthIndicator> indicators = new CopyOnWriteArrayList<>();
    private final List<MetricsSource> sources = new CopyOnWriteArrayList<>();
    private volatile SiteMetrics metrics;
    private ServiceRegistration<Servlet> servlet;

    @Activate
    void activate(BundleContext context, MetricsConfig config) {
        int devices = Math.max(1, Math.min(1000, config.maxDevices()));
        int topics = Math.max(1, Math.min(1000, config.maxEventTopics()));
        int series = Math.max(1, Math.min(10_000, config.maxSeriesPerSource()));
        metrics = new SiteMetrics(this::lastCycle, this::state, this::healthIndicators, () -> sources, devices, topics,
                series);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, PATTERN);
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "fusebox-metrics");
        servlet = context.registerService(Servlet.class, new PrometheusMetricsServlet(metrics.registry()), props);
        LOG.info("Prometheus metrics registered at {}", PATTERN);
    }

    @Deactivate
    void deactivate() {
        if (servlet != null) {
            servlet.unregister();
            servlet = null;
        }
    }

    private Optional<CycleReport> lastCycle() {
        ControlLoop loop = controlLoop;
        return loop == null ? Optional.empty() : loop.lastCycle();
    }

    private Optional<ControlState> state() {
        ControlLoop loop = controlLoop;
        return loop == null ? Optional.empty() : Optional.of(loop.state());
    }

    private Collection<HealthIndicator> healthIndicators() {
        return indicators;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHealthIndicator(HealthIndicator indicator) {
        indicators.add(indicator);
    }

    void removeHealthIndicator(HealthIndicator indicator) {
        indicators.remove(indicator);
    }

    /** Bundles that offer their own measurements (drivers, the cloud link, plugins); asked at every scrape. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addMetricsSource(MetricsSource source) {
        sources.add(source);
    }

    void removeMetricsSource(MetricsSource source) {
        sources.remove(source);
    }

    @Override
    public void handleEvent(Event event) {
        SiteMetrics m = metrics;
        if (m != null) {
            m.onEvent(event.getTopic(), event.getProperty(FuseboxEvents.DURATION_MICROS));
        }
    }
}
