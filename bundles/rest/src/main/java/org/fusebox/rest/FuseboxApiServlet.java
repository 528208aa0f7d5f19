package org.fusebox.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.fusebox.api.control.ChargingRequests;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.site.SiteClock;
import org.fusebox.rest.view.ApiJson;
import org.fusebox.rest.view.BundlesView;
import org.fusebox.rest.view.ComponentHealthView;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site API, registered with the HTTP Whiteboard (Pax Web in Karaf) under
 * {@value #PATTERN}. All the work is in {@link ApiRouter} and the view classes; this class only connects
 * them to OSGi services and to HTTP.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("fusebox-api")
@HttpWhiteboardServletPattern(FuseboxApiServlet.PATTERN)
public final class FuseboxApiServlet extends HttpServlet implements ApiSources {

    static final String PATTERN = "/fusebox/api/v1/*";
    static final String CONTENT_TYPE = "application/json; charset=utf-8";

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

    private final HealthRegistry healthRegistry = new HealthRegistry();
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
    void activate(BundleContext context) {
        this.context = context;
        this.inspector = new BundleInspector(scr, healthRegistry);
        this.router = new ApiRouter(this, ApiJson.newMapper());
        LOG.info("Fusebox API registered at {}", PATTERN);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHealthIndicator(HealthIndicator indicator, ServiceReference<HealthIndicator> ref) {
        healthRegistry.add(serviceId(ref), new HealthRegistry.Registration(indicator, ref.getBundle().getBundleId(),
                ref.getBundle().getSymbolicName()));
    }

    void removeHealthIndicator(ServiceReference<HealthIndicator> ref) {
        healthRegistry.remove(serviceId(ref));
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
        ApiResponse answer = router.handle(request.getMethod(), request.getPathInfo(), request.getContentType(),
                max -> readAtMost(request, max));
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        response.setStatus(answer.status());
        response.setHeader("Cache-Control", "no-store");
        answer.headers().forEach(response::setHeader);
        if (body.length > 0) {
            response.setContentType(CONTENT_TYPE);
        }
        response.setContentLength(body.length);
        if (body.length > 0) {
            try (OutputStream out = response.getOutputStream()) {
                out.write(body);
            }
        }
    }

    /** The body, or null as soon as it proves longer than {@code max} (by its Content-Length or while reading). */
    private static byte[] readAtMost(HttpServletRequest request, int max) throws IOException {
        if (request.getContentLengthLong() > max) {
            return null;
        }
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
