package org.fusebox.web;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.servlet.Filter;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudRequestHandler;
import org.fusebox.api.cloud.CloudResponse;
import org.fusebox.config.api.ChangeOutcome;
import org.fusebox.config.api.ConfigurationChange;
import org.fusebox.config.api.ConfigurationRecord;
import org.fusebox.config.api.ConfigurationService;
import org.fusebox.config.api.SnapshotInfo;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few endpoints the UI needs beyond fusebox-rest, all answered from services that already do the work:
 * configuration forms from Metatype applied through config-admin's {@link ConfigurationService} (which checks,
 * snapshots and rolls back), Karaf features through its {@link FeaturesService}, the last OTA operations from
 * fusebox-management's {@code STATUS-V1}. The roles are the guard's (the {@code rules} the distribution ships:
 * configuration and snapshots need installer, features and operations admin).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("fusebox-ui-api")
@HttpWhiteboardServletPattern({UiApiServlet.CONFIGURATIONS + "/*", UiApiServlet.SNAPSHOTS + "/*", UiApiServlet.FEATURES + "/*",
        UiApiServlet.OPERATIONS})
public final class UiApiServlet extends HttpServlet {

    static final String API = "/fusebox/api/v1";
    static final String CONFIGURATIONS = API + "/configurations";
    static final String SNAPSHOTS = API + "/snapshots";
    static final String FEATURES = API + "/features";
    static final String OPERATIONS = API + "/operations";
    static final int MAX_BODY = 64 * 1024;
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(UiApiServlet.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationService configurations;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MetaTypeService metaTypes;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile FeaturesService features;

    /** fusebox-management's STATUS-V1 among them, when it is installed. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<CloudRequestHandler> cloudHandlers;

    /** Registered only behind fusebox-web-security's guard. */
    @Reference(target = "(fusebox.web.guard=true)")
    private Filter guard;

    private final transient ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** One feature operation at a time: Karaf's deployer would queue them anyway, holding HTTP threads. */
    private final transient ReentrantLock featureLock = new ReentrantLock();
    private transient BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    /** An answer: status and the object written as JSON. */
    record Answer(int status, Object body) {
        static Answer error(int status, String message) {
            return new Answer(status, Map.of("error", message));
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Answer answer;
        try {
            answer = route(request);
        } catch (BadRequest e) {
            answer = Answer.error(400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
            answer = Answer.error(500, "internal error; the gateway's log (data/log/karaf.log) has the details");
        }
        byte[] body = json.writeValueAsBytes(answer.body());
        response.setStatus(answer.status());
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json; charset=utf-8");
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }

    private Answer route(HttpServletRequest request) throws IOException {
        String uri = request.getRequestURI();
        String method = request.getMethod();
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (uri.equals(CONFIGURATIONS) && read) {
            return listConfigurations();
        }
        if (uri.startsWith(CONFIGURATIONS + "/") && method.equals("PUT")) {
            return putConfiguration(decode(uri.substring(CONFIGURATIONS.length() + 1)), readJson(request));
        }
        if (uri.equals(SNAPSHOTS) && read) {
            return withConfigurations(c -> new Answer(200, Map.of("snapshots", c.snapshots().stream().map(UiApiServlet::snapshot).toList())));
        }
        if (uri.equals(SNAPSHOTS) && method.equals("POST")) {
            JsonNode body = readJson(request);
            String reason = body.path("reason").asText("taken in the web UI");
            return withConfigurations(c -> {
                try {
                    return new Answer(201, snapshot(c.snapshot(reason.isBlank() ? "taken in the web UI" : reason)));
                } catch (IOException e) {
                    return Answer.error(500, "the snapshot could not be written: " + e.getMessage());
                }
            });
        }
        if (uri.startsWith(SNAPSHOTS + "/") && uri.endsWith("/rollback") && method.equals("POST")) {
            String id = decode(uri.substring(SNAPSHOTS.length() + 1, uri.length() - "/rollback".length()));
            return withConfigurations(c -> {
                if (c.snapshots().stream().noneMatch(s -> s.id().equals(id))) {
                    return Answer.error(404, "no snapshot " + id);
                }
                return outcome(c.rollback(id));
            });
        }
        if (uri.equals(FEATURES) && read) {
            return listFeatures();
        }
        if (uri.startsWith(FEATURES + "/") && (method.equals("POST") || method.equals("DELETE"))) {
            return changeFeature(decode(uri.substring(FEATURES.length() + 1)), method.equals("POST"));
        }
        if (uri.equals(OPERATIONS) && read) {
            return operations();
        }
        return Answer.error(uri.equals(CONFIGURATIONS) || uri.equals(SNAPSHOTS) || uri.equals(FEATURES) || uri.equals(OPERATIONS)
                || uri.startsWith(CONFIGURATIONS + "/") || uri.startsWith(SNAPSHOTS + "/") || uri.startsWith(FEATURES + "/") ? 405 : 404,
                method + " " + uri + " is not offered here");
    }

    // ---- configurations --------------------------------------------------------------------------------

    private interface WithConfigurations {
        Answer apply(ConfigurationService c) throws IOException;
    }

    private Answer withConfigurations(WithConfigurations action) throws IOException {
        ConfigurationService c = configurations;
        if (c == null) {
            return Answer.error(503, "fusebox-config is not running");
        }
        return action.apply(c);
    }

    /** A fusebox.* OCD and where it comes from. */
    record Definition(String pid, boolean factory, Bundle bundle, ObjectClassDefinition ocd) {
    }

    private List<Definition> definitions() {
        MetaTypeService m = metaTypes;
        List<Definition> out = new ArrayList<>();
        if (m == null) {
            return out;
        }
        for (Bundle b : context.getBundles()) {
            MetaTypeInformation info = m.getMetaTypeInformation(b);
            if (info == null) {
                continue;
            }
            for (String pid : info.getPids()) {
                if (pid.startsWith("fusebox.")) {
                    out.add(new Definition(pid, false, b, info.getObjectClassDefinition(pid, null)));
                }
            }
            for (String pid : info.getFactoryPids()) {
                if (pid.startsWith("fusebox.")) {
                    out.add(new Definition(pid, true, b, info.getObjectClassDefinition(pid, null)));
                }
            }
        }
        out.sort(Comparator.comparing(Definition::pid));
        return out;
    }

    private Answer listConfigurations() throws IOException {
        return withConfigurations(c -> {
            List<ConfigurationRecord> records = c.list();
            List<Map<String, Object>> components = new ArrayList<>();
            for (Definition d : definitions()) {
                if (d.factory()) {
                    for (ConfigurationRecord r : records) {
                        if (d.pid().equals(r.factoryPid())) {
                            components.add(component(r.pid(), d, r));
                        }
                    }
                } else {
                    components.add(component(d.pid(), d, records.stream().filter(r -> r.pid().equals(d.pid())).findFirst().orElse(null)));
                }
            }
            return new Answer(200, Map.of("components", components));
        });
    }

    private static Map<String, Object> component(String pid, Definition d, ConfigurationRecord record) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", pid);
        m.put("factoryPid", d.factory() ? d.pid() : null);
        m.put("bundle", d.bundle().getSymbolicName());
        m.put("form", ConfigForms.describe(d.ocd()));
        m.put("values", record == null ? null : record.properties());
        return m;
    }

    private Answer putConfiguration(String pid, JsonNode body) throws IOException {
        if (!body.path("properties").isObject()) {
            throw new BadRequest("the body must be {\"properties\": {...}}, the whole new configuration");
        }
        Map<String, Object> answers = json.convertValue(body.path("properties"), new TypeReference<LinkedHashMap<String, Object>>() {
        });
        return withConfigurations(c -> {
            Optional<ConfigurationRecord> existing = c.get(pid);
            String factoryPid = existing.map(ConfigurationRecord::factoryPid).orElse(null);
            String definedBy = factoryPid != null ? factoryPid : pid;
            Optional<Definition> d = definitions().stream().filter(x -> x.pid().equals(definedBy) && x.factory() == (factoryPid != null)).findFirst();
            if (d.isEmpty()) {
                return Answer.error(404, "no installed bundle describes " + pid + " (Metatype)");
            }
            List<String> problems = new ArrayList<>();
            Map<String, Object> properties = ConfigForms.properties(d.get().ocd(), answers, problems);
            if (!problems.isEmpty()) {
                return new Answer(400, outcomeBody("REFUSED", problems, List.of(), List.of(), null));
            }
            ConfigurationChange change = factoryPid != null ? ConfigurationChange.setFactory(factoryPid, pid, properties)
                    : ConfigurationChange.set(pid, properties);
            return outcome(c.apply(List.of(change)));
        });
    }

    private static Answer outcome(ChangeOutcome o) {
        int status = switch (o.status()) {
            case APPLIED, VALID -> 200;
            case REFUSED -> 400;
            case FAILED -> 500;
        };
        return new Answer(status, outcomeBody(o.status().name(), o.problems(), o.notes(), o.changed(), o.snapshotId()));
    }

    private static Map<String, Object> outcomeBody(String status, List<String> problems, List<String> notes, List<String> changed, String snapshot) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("problems", problems);
        m.put("notes", notes);
        m.put("changed", changed);
        m.put("snapshot", snapshot);
        return m;
    }

    private static Map<String, Object> snapshot(SnapshotInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("created", s.created().toString());
        m.put("reason", s.reason());
        m.put("configurations", s.configurations());
        return m;
    }

    // ---- features and operations -----------------------------------------------------------------------

    private Answer listFeatures() {
        FeaturesService f = features;
        if (f == null) {
            return Answer.error(503, "Karaf's FeaturesService is not running");
        }
        try {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Feature feature : f.listFeatures()) {
                if (!feature.getName().startsWith("fusebox")) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", feature.getName());
                m.put("version", feature.getVersion());
                m.put("description", feature.getDescription());
                m.put("installed", f.isInstalled(feature));
                m.put("state", String.valueOf(f.getState(feature.getId())));
                list.add(m);
            }
            list.sort(Comparator.comparing(m -> (String) m.get("name")));
            return new Answer(200, Map.of("features", list));
        } catch (Exception e) {
            LOG.error("Listing features failed", e);
            return Answer.error(500, "the features could not be listed: " + e.getMessage());
        }
    }

    private Answer changeFeature(String name, boolean install) {
        FeaturesService f = features;
        if (f == null) {
            return Answer.error(503, "Karaf's FeaturesService is not running");
        }
        if (!name.matches("fusebox[A-Za-z0-9._-]*")) {
            return Answer.error(404, "only Fusebox features (fusebox-*) are managed here, not " + name);
        }
        if (!featureLock.tryLock()) {
            return Answer.error(409, "another feature operation is running; try again when it is done");
        }
        try {
            Feature[] found = f.getFeatures(name);
            if (found == null || found.length == 0) {
                return Answer.error(404, "no feature " + name + " in the repositories Karaf knows");
            }
            boolean installed = f.isInstalled(found[0]);
            if (install == installed) {
                return Answer.error(409, name + " is " + (installed ? "installed already" : "not installed"));
            }
            // no automatic refresh: bundles that do not depend on the feature keep running
            EnumSet<FeaturesService.Option> options = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);
            if (install) {
                f.installFeature(name, options);
            } else {
                f.uninstallFeature(name, options);
            }
            LOG.info("Feature {} {} through the web UI", name, install ? "installed" : "uninstalled");
            return new Answer(200, Map.of("feature", name, "installed", install));
        } catch (Exception e) {
            LOG.error("Feature {} could not be {}", name, install ? "installed" : "uninstalled", e);
            return Answer.error(500, name + " could not be " + (install ? "installed" : "uninstalled") + ": " + e.getMessage());
        } finally {
            featureLock.unlock();
        }
    }

    private Answer operations() {
        List<CloudRequestHandler> handlers = cloudHandlers;
        CloudRequestHandler h = handlers == null ? null
                : handlers.stream().filter(x -> "STATUS-V1".equals(x.app())).findFirst().orElse(null);
        if (h == null) {
            return new Answer(200, Map.of("available", false,
                    "note", "fusebox-management is not installed: no over-the-air operations to show"));
        }
        try {
            CloudResponse r = h.handle(new CloudRequest("web-ui", "web-ui", "STATUS-V1", "GET", "status", new byte[0]), (step, percent, message) -> {
            });
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("available", true);
            m.put("status", r.status());
            m.put("report", r.body() == null || r.body().length == 0 ? null : json.readTree(r.body()));
            return new Answer(200, m);
        } catch (Exception e) {
            LOG.error("STATUS-V1 failed", e);
            return Answer.error(500, "fusebox-management did not answer: " + e.getMessage());
        }
    }

    // ---- bodies ----------------------------------------------------------------------------------------

    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    private JsonNode readJson(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BODY) {
            throw new BadRequest("the body is larger than " + MAX_BODY + " bytes");
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new BadRequest("the body is larger than " + MAX_BODY + " bytes");
        }
        if (bytes.length == 0) {
            return json.createObjectNode();
        }
        String type = request.getContentType();
        if (type == null || !type.toLowerCase().startsWith("application/json")) {
            throw new BadRequest("the body must be sent as Content-Type: application/json");
        }
        try {
            return json.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequest("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }
}
