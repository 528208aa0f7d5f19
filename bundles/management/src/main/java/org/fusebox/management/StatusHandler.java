package org.fusebox.management;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudRequestHandler;
import org.fusebox.api.cloud.CloudResponse;
import org.fusebox.api.cloud.RequestProgress;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The {@code STATUS-V1} application: GET {@code bundles}, {@code health}, {@code errors}, or {@code status} (all three).
 */
@Component(service = CloudRequestHandler.class)
public final class StatusHandler implements CloudRequestHandler {

    static final String APP = "STATUS-V1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Indicator(HealthIndicator indicator, long bundleId, String bundle) {
    }

    private final BundleContext context;
    private final RecentErrors errors;
    private final List<Indicator> indicators = new CopyOnWriteArrayList<>();

    @Activate
    public StatusHandler(BundleContext context, @Reference RecentErrors errors) {
        this.context = context;
        this.errors = errors;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addIndicator(HealthIndicator h, ServiceReference<HealthIndicator> ref) {
        indicators.add(new Indicator(h, ref.getBundle().getBundleId(), ref.getBundle().getSymbolicName()));
    }

    void removeIndicator(HealthIndicator h) {
        indicators.removeIf(i -> i.indicator() == h);
    }

    @Override
    public String app() {
        return APP;
    }

    @Override
    public CloudResponse handle(CloudRequest request, RequestProgress progress) throws Exception {
        if (!request.method().toUpperCase(Locale.ROOT).equals("GET")) {
            return CloudResponse.error(404, "STATUS-V1 only answers GET bundles|health|errors|status");
        }
        ObjectNode out = JSON.createObjectNode();
        switch (request.resource()) {
            case "bundles" -> out.set("bundles", BundleListing.bundles(context, false));
            case "health" -> out.set("health", health());
            case "errors" -> out.set("errors", errors());
            case "status", "" -> {
                out.set("bundles", BundleListing.bundles(context, false));
                out.set("health", health());
                out.set("errors", errors());
            }
            default -> {
                return CloudResponse.error(404, "STATUS-V1 has no resource '" + request.resource() + "' (bundles|health|errors|status)");
            }
        }
        return new CloudResponse(200, JSON.writeValueAsBytes(out), "");
    }

    private ArrayNode health() {
        ArrayNode arr = JSON.createArrayNode();
        indicators.stream().sorted(Comparator.comparing((Indicator i) -> safeName(i.indicator()))).forEach(i -> {
            ObjectNode n = arr.addObject();
            n.put("name", safeName(i.indicator()));
            n.put("bundle", i.bundle());
            n.put("bundleId", i.bundleId());
            Health h;
            try {
                h = i.indicator().health();
            } catch (RuntimeException e) {
                h = Health.down("health() threw " + e);
            }
            n.put("status", h.status().name());
            ArrayNode d = n.putArray("details");
            h.details().forEach(d::add);
        });
        return arr;
    }

    private ArrayNode errors() {
        ArrayNode arr = JSON.createArrayNode();
        for (RecentErrors.Entry e : errors.entries()) {
            ObjectNode n = arr.addObject();
            n.put("time", e.time().toString());
            n.put("source", e.source());
            n.put("message", e.message());
            ObjectNode p = n.putObject("properties");
            for (Map.Entry<String, String> kv : e.properties().entrySet()) {
                p.put(kv.getKey(), kv.getValue());
            }
        }
        return arr;
    }

    private static String safeName(HealthIndicator h) {
        try {
            return h.name();
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
