package org.fusebox.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import javax.servlet.Filter;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.fusebox.api.control.ChargingRequests;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.session.SessionHistory;
import org.fusebox.api.site.SiteClock;
import org.fusebox.rest.view.ApiJson;
import org.fusebox.rest.view.BundlesView;
import org.fusebox.rest.view.ComponentHealthView;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site API, registered with the HTTP Whiteboard (Pax Web in Karaf) under
 * {@value #PATTERN}. All the work is in {@link ApiRouter} and the view classes; this class only connects
 * them to OSGi services and to HTTP.
 */
@Component(service = Servlet.class, configurationPid = FuseboxApiServlet.PID)
@Designate(ocd = RestConfig.class)
@HttpWhiteboardServletName("fusebox-api")
@HttpWhiteboardServletPattern(FuseboxApiServlet.PATTERN)
public final class FuseboxApiServlet extends HttpServlet implements ApiSources {

    static final String PATTERN = "/fusebox/api/v1/*";
    static final String PID = "fusebox.rest";
    /**
     * Request bodies read at once. A client that sends its body slowly holds a container thread while it
     * is read; beyond this many such clients the others get 503 at once, so that slow senders can never
     * take every thread from GET /health.
     */
    static final int MAX_BODIES_READ_AT_ONCE = 8;
    static final String CONTENT_TYPE = "application/json; charset=utf-8";
    /** The session recorder's service property naming the zone report periods are read in. */
    static final String REPORT_ZONE = "reportZone";

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FuseboxApiServlet.class);

    /** Optional: the API must still answer (health DOWN, site 503) while the core is missing or upgraded. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ControlLoop controlLoop;

    /** Registered by the core with the control loop; optional for the same reason. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChargingRequests chargingRequests;

    /** The simulator's clock when it runs faster than real time: departures are judged by site time. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = SiteClock.FILTER)
    private volatile Clock siteClock;

    @Reference
    private ServiceComponentRuntime scr;

    /**
     * The HTTP guard of fusebox-web-security (accounts, roles, CSRF). Mandatory and static: without it the API is
     * not registered at all, so an upgrade or a crash of the guard closes the API instead of opening it.
     */
    @Reference(target = "(fusebox.web.guard=true)")
    private Filter guard;

    /** The session recorder, when fusebox-sessions is installed; without it the site shows no metered sessions. */
    private volatile SessionHistory sessionHistory;
    /** The session recorder's configured zone (its service property): the zone of reports before the first cycle. */
    private volatile ZoneId reportZone = ZoneOffset.UTC;

    private final HealthRegistry healthRegistry = new HealthRegistry();
    private final Semaphore bodyReaders = new Semaphore(MAX_BODIES_READ_AT_ONCE);
    private ApiRouter router;
    private BundleInspector inspector;
    private BundleContext context;

    public FuseboxApiServlet() {
        // for Declarative Services
    }

    /** For tests: a servlet that answers from {@code router} without OSGi. */
    FuseboxApiServlet(ApiRouter router) {
        this.router = router;
    }

    @Activate
    void activate(BundleContext context, RestConfig config) {
        this.context = context;
        this.inspector = new BundleInspector(scr, healthRegistry);
        this.router = new ApiRouter(this, ApiJson.newMapper());
        configure(config);
        LOG.info("Fusebox API registered at {}", PATTERN);
    }

    /** A refused configuration keeps the bounds in force before (the defaults at first). */
    @Modified
    void configure(RestConfig config) {
        try {
            RequestLimits limits = RequestLimits.from(config);
            router.limits(limits);
            LOG.info("Charging requests: {} to {} kWh, departure within {} h", limits.minEnergyKwh(), limits.maxEnergyKwh(),
                    limits.horizon().toHours());
        } catch (IllegalArgumentException e) {
            LOG.error("Configuration {} refused, the previous bounds stay in force: {}", PID, e.getMessage());
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHealthIndicator(HealthIndicator indicator, ServiceReference<HealthIndicator> ref) {
        healthRegistry.add(serviceId(ref), new HealthRegistry.Registration(indicator, ref.getBundle().getBundleId(),
                ref.getBundle().getSymbolicName()));
    }

    void removeHealthIndicator(ServiceReference<HealthIndicator> ref) {
        healthRegistry.remove(serviceId(ref));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setSessionHistory(SessionHistory history, Map<String, Object> properties) {
        reportZone = zoneOf(properties.get(REPORT_ZONE));
        sessionHistory = history;
    }

    void updatedSessionHistory(SessionHistory history, Map<String, Object> properties) {
        reportZone = zoneOf(properties.get(REPORT_ZONE));
    }

    void unsetSessionHistory(SessionHistory history) {
        if (sessionHistory == history) {
            sessionHistory = null;
            reportZone = ZoneOffset.UTC;
        }
    }

    static ZoneId zoneOf(Object property) {
        try {
            return property == null ? ZoneOffset.UTC : ZoneId.of(property.toString().trim());
        } catch (DateTimeException e) {
            LOG.warn("the session recorder's {} is not a time zone ({}): reports use UTC", REPORT_ZONE, property);
            return ZoneOffset.UTC;
        }
    }

    private static long serviceId(ServiceReference<?> ref) {
        return (Long) ref.getProperty(Constants.SERVICE_ID);
    }

    // ---- ApiSources ---------------------------------------------------------------------------------

    @Override
    public Optional<ControlLoop> controlLoop() {
        return Optional.ofNullable(controlLoop);
    }

    @Override
    public Optional<ChargingRequests> chargingRequests() {
        return Optional.ofNullable(chargingRequests);
    }

    @Override
    public Instant now() {
        Clock c = siteClock;
        return (c != null ? c : Clock.systemUTC()).instant();
    }

    @Override
    public Optional<SessionHistory> sessions() {
        return Optional.ofNullable(sessionHistory);
    }

    /** The site's time zone from the last cycle; before the first one, the session recorder's configured zone. */
    @Override
    public ZoneId reportZone() {
        return controlLoop().flatMap(ControlLoop::lastCycle).map(r -> r.snapshot().zone()).orElse(reportZone);
    }

    @Override
    public List<ComponentHealthView> health() {
        return healthRegistry.checkAll();
    }

    @Override
    public BundlesView bundles() {
        return inspector.inspect(context.getBundles());
    }

    // ---- HTTP ---------------------------------------------------------------------------------------

    /**
     * Handles every method itself (rather than doGet/doPost/doDelete), so that a method a path does not take
     * gets a JSON 405 rather than the container's page. The router reads the body only where a route takes one.
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ApiResponse answer = router.handle(request.getMethod(), request.getPathInfo(), request.getQueryString(),
                request.getContentType(), max -> readAtMost(request, max));
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        boolean head = "HEAD".equals(request.getMethod());
        response.setStatus(answer.status());
        response.setHeader("Cache-Control", "no-store");
        answer.headers().forEach(response::setHeader);
        if (body.length > 0 && !answer.headers().containsKey("Content-Type")) {
            response.setContentType(CONTENT_TYPE);
        }
        response.setContentLength(body.length);
        if (body.length > 0 && !head) {
            try (OutputStream out = response.getOutputStream()) {
                out.write(body);
            }
        }
    }

    /**
     * The body, or null as soon as it proves longer than {@code max} (by its Content-Length or while reading).
     *
     * @throws BusyException when {@value #MAX_BODIES_READ_AT_ONCE} bodies are being read already
     */
    private byte[] readAtMost(HttpServletRequest request, int max) throws IOException {
        if (request.getContentLengthLong() > max) {
            return null;
        }
        if (!bodyReaders.tryAcquire()) {
            throw new BusyException("more than " + MAX_BODIES_READ_AT_ONCE + " request bodies are being received at once; try again");
        }
        try {
            return readBody(request, max);
        } finally {
            bodyReaders.release();
        }
    }

    private static byte[] readBody(HttpServletRequest request, int max) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try (InputStream in = request.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (body.size() + n > max) {
                    return null;
                }
                body.write(buffer, 0, n);
            }
        }
        return body.toByteArray();
    }
}
