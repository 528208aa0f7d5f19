package org.fusebox.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudRequestHandler;
import org.fusebox.api.cloud.CloudResponse;
import org.fusebox.api.cloud.RequestProgress;
import org.fusebox.api.security.AuthorisedRequest;
import org.fusebox.api.security.OperatorRequestVerifier;
import org.fusebox.api.security.Refusal;
import org.fusebox.api.security.RequestRefusedException;
import org.fusebox.config.api.ChangeOutcome;
import org.fusebox.config.api.ConfigurationChange;
import org.fusebox.config.api.ConfigurationRecord;
import org.fusebox.config.api.ConfigurationService;
import org.fusebox.config.api.SnapshotInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The remote configuration application {@code CONF-V1}:
 *
 * <pre>
 * GET  configurations            every fusebox.* configuration, secrets masked
 * GET  configurations/&lt;pid&gt;      one of them (404 when there is none)
 * PUT  configurations            a set of changes, applied atomically: {"configurations":[{"pid":..,"properties":{..}}, {"pid":..,"delete":true}]}
 * DEL  configurations/&lt;pid&gt;      delete one
 * GET  snapshots                 the kept snapshots, oldest first
 * EXEC snapshot                  take one now; optional body {"reason":".."}
 * EXEC rollback/&lt;id&gt;           roll back to a snapshot (404 when there is none)
 * GET  export                    the whole site configuration, secrets masked
 * PUT  import                    make the site configuration the document in the body
 * </pre>
 *
 * A set with any invalid change is answered 400 with every reason, and nothing is applied; a write that
 * failed midway (and was undone) is answered 500.
 *
 * <p>Every request but a GET changes something and must be signed by an operator key (see
 * {@link OperatorRequestVerifier}); without a verifier (fusebox-management absent) every such request is refused. A
 * change of a security setting ({@link RemoteChangePolicy}) and every rollback (which can restore any earlier security
 * setting) also need the signed safety override. A refusal is answered with {@code code} and reason, and changes nothing.
 */
@Component(service = CloudRequestHandler.class)
public final class ConfigurationRequestHandler implements CloudRequestHandler {

    static final String APP = "CONF-V1";
    private static final String CONFIGURATIONS = "configurations";

    private final ConfigurationService service;
    private final RemoteChangePolicy policy;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile OperatorRequestVerifier verifier;

    @Activate
    public ConfigurationRequestHandler(@Reference ConfigurationService service) {
        this.service = service;
        this.policy = new RemoteChangePolicy(service);
    }

    ConfigurationRequestHandler(ConfigurationService service, OperatorRequestVerifier verifier) {
        this(service);
        this.verifier = verifier;
    }

    @Override
    public String app() {
        return APP;
    }

    @Override
    public CloudResponse handle(CloudRequest request, RequestProgress progress) throws Exception {
        String method = request.method().toUpperCase(Locale.ROOT);
        String resource = trimSlashes(request.resource());
        String head = resource.contains("/") ? resource.substring(0, resource.indexOf('/')) : resource;
        String rest = resource.contains("/") ? resource.substring(resource.indexOf('/') + 1) : "";
        if (method.equals("GET")) {
            return switch (head) {
                case CONFIGURATIONS -> rest.isEmpty() ? list() : one(rest);
                case "snapshots" -> rest.isEmpty() ? snapshots() : notFound(request);
                case "export" -> rest.isEmpty() ? CloudResponse.ok(service.exportSite()) : notFound(request);
                default -> notFound(request);
            };
        }
        try {
            // every other method changes something: the operator's signature first, before anything is looked at
            AuthorisedRequest signed = authorise(request);
            boolean override = signed.safetyOverride();
            String body = new String(signed.body(), StandardCharsets.UTF_8);
            return switch (method + " " + head) {
                case "PUT " + CONFIGURATIONS -> rest.isEmpty() ? changes(body, override) : notFound(request);
                case "DEL " + CONFIGURATIONS, "DELETE " + CONFIGURATIONS -> rest.isEmpty() ? notFound(request) : delete(rest, override);
                case "EXEC snapshot" -> rest.isEmpty() ? snapshot(body) : notFound(request);
                case "EXEC rollback" -> rest.isEmpty() ? CloudResponse.error(400, "name the snapshot: rollback/<id>")
                        : rollback(rest, override, progress);
                case "PUT import" -> rest.isEmpty() ? importSite(body, override, progress) : notFound(request);
                default -> notFound(request);
            };
        } catch (RequestRefusedException e) {
            return refused(e);
        }
    }

    private AuthorisedRequest authorise(CloudRequest request) throws RequestRefusedException {
        OperatorRequestVerifier v = verifier;
        if (v == null) {
            throw new RequestRefusedException(Refusal.NO_VERIFIER, "no operator request verifier is running (install "
                    + "fusebox-management): remote configuration changes are refused");
        }
        return v.verify(request);
    }

    private static void requireOverride(boolean override, List<String> protectedChanges, String what)
            throws RequestRefusedException {
        if (!protectedChanges.isEmpty() && !override) {
            throw new RequestRefusedException(Refusal.SAFETY_OVERRIDE_REQUIRED, what + " changes security settings ("
                    + String.join(", ", protectedChanges) + "): sign the request with \"safetyOverride\": true to do it anyway");
        }
    }

    private static CloudResponse refused(RequestRefusedException e) {
        ObjectNode node = SiteDocument.mapper().createObjectNode();
        node.put("status", ChangeOutcome.Status.REFUSED.name());
        node.put("code", e.refusal().name());
        node.putArray("problems").add(e.getMessage());
        node.putArray("notes");
        node.putArray("changed");
        node.putNull("snapshot");
        return new CloudResponse(e.refusal().status(), SiteDocument.toJson(node).getBytes(StandardCharsets.UTF_8),
                e.refusal().name() + ": " + e.getMessage());
    }

    private static String trimSlashes(String s) {
        String out = s.trim();
        while (out.startsWith("/")) {
            out = out.substring(1);
        }
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }

    private static CloudResponse notFound(CloudRequest r) {
        return CloudResponse.error(404, APP + " has no " + r.method() + " " + r.resource());
    }

    private CloudResponse list() {
        ObjectNode root = SiteDocument.mapper().createObjectNode();
        ArrayNode list = root.putArray(CONFIGURATIONS);
        service.list().forEach(r -> list.add(SiteDocument.entryNode(entry(r))));
        return CloudResponse.ok(SiteDocument.toJson(root));
    }

    private CloudResponse one(String pid) {
        Optional<ConfigurationRecord> r = service.get(pid);
        return r.isEmpty() ? CloudResponse.error(404, "no configuration " + pid)
                : CloudResponse.ok(SiteDocument.toJson(SiteDocument.entryNode(entry(r.get()))));
    }

    private static SiteDocument.Entry entry(ConfigurationRecord r) {
        return new SiteDocument.Entry(r.pid(), r.factoryPid(), r.properties(), false);
    }

    private CloudResponse changes(String body, boolean override) throws RequestRefusedException {
        SiteDocument.Parsed parsed;
        try {
            parsed = SiteDocument.read(body, true);
        } catch (SiteDocument.InvalidDocumentException e) {
            return outcome(new ChangeOutcome(ChangeOutcome.Status.REFUSED, e.problems(), List.of(), List.of(), null));
        }
        requireOverride(override, policy.protectedChanges(parsed.entries(), false), "this change set");
        List<ConfigurationChange> changes = parsed.entries().stream()
                .map(e -> new ConfigurationChange(e.pid(), e.factoryPid(), e.properties(), e.delete())).toList();
        return outcome(service.apply(changes));
    }

    private CloudResponse snapshots() {
        ObjectNode root = SiteDocument.mapper().createObjectNode();
        ArrayNode list = root.putArray("snapshots");
        service.snapshots().forEach(s -> list.add(snapshotNode(s)));
        return CloudResponse.ok(SiteDocument.toJson(root));
    }

    private static ObjectNode snapshotNode(SnapshotInfo s) {
        ObjectNode node = SiteDocument.mapper().createObjectNode();
        node.put("id", s.id());
        node.put("created", s.created().toString());
        node.put("reason", s.reason());
        node.put("configurations", s.configurations());
        return node;
    }

    private CloudResponse snapshot(String body) throws Exception {
        String reason = "requested remotely";
        if (!body.isBlank()) {
            JsonNode node;
            try {
                node = SiteDocument.mapper().readTree(body);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return CloudResponse.error(400, "the body is not valid JSON: " + e.getOriginalMessage());
            }
            if (node.hasNonNull("reason")) {
                reason = node.get("reason").asText();
            }
        }
        return CloudResponse.ok(SiteDocument.toJson(snapshotNode(service.snapshot(reason))));
    }

    private CloudResponse delete(String pid, boolean override) throws RequestRefusedException {
        requireOverride(override, policy.protectedDeletion(pid), "deleting " + pid);
        return outcome(service.delete(pid));
    }

    private CloudResponse rollback(String id, boolean override, RequestProgress progress) throws RequestRefusedException {
        if (!override) {
            // a snapshot can hold any earlier security setting, weaker than today's
            throw new RequestRefusedException(Refusal.SAFETY_OVERRIDE_REQUIRED, "a rollback restores every configuration of "
                    + "snapshot " + id + ", security settings included: sign it with \"safetyOverride\": true");
        }
        try {
            progress.report("rollback", -1, "rolling back to snapshot " + id);
            return outcome(service.rollback(id));
        } catch (NoSuchElementException e) {
            return CloudResponse.error(404, "no snapshot " + id);
        }
    }

    private CloudResponse importSite(String body, boolean override, RequestProgress progress) throws RequestRefusedException {
        try {
            requireOverride(override, policy.protectedChanges(SiteDocument.read(body, false).entries(), true), "this import");
        } catch (SiteDocument.InvalidDocumentException e) {
            // the service refuses it with every reason below, and changes nothing
        }
        progress.report("import", -1, "importing the site configuration");
        return outcome(service.importSite(body));
    }

    private static CloudResponse outcome(ChangeOutcome o) {
        ObjectNode node = SiteDocument.mapper().createObjectNode();
        node.put("status", o.status().name());
        ArrayNode problems = node.putArray("problems");
        o.problems().forEach(problems::add);
        ArrayNode notes = node.putArray("notes");
        o.notes().forEach(notes::add);
        ArrayNode changed = node.putArray("changed");
        o.changed().forEach(changed::add);
        if (o.snapshotId() != null) {
            node.put("snapshot", o.snapshotId());
        } else {
            node.putNull("snapshot");
        }
        byte[] json = SiteDocument.toJson(node).getBytes(StandardCharsets.UTF_8);
        return switch (o.status()) {
            case APPLIED, VALID -> new CloudResponse(200, json, "");
            case REFUSED -> new CloudResponse(400, json, "refused, nothing applied: " + String.join("; ", o.problems()));
            case FAILED -> new CloudResponse(500, json, "failed: " + String.join("; ", o.problems()));
        };
    }
}
