package org.fusebox.grid.openadr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * A small stateful VTN on a loopback port for test sequences: OAuth2 client credentials (tokens expire by
 * the test's clock and can be revoked), VENs and their resources, programs and events (paged by skip and
 * limit), and faults the test switches on (a status for everything, a delay, a body that is not JSON).
 */
final class TestVtn implements AutoCloseable {

    static final String BASE = "/openadr3/3.0.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final Clock clock;
    private final String clientId;
    private final String clientSecret;

    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> tokenForms = new CopyOnWriteArrayList<>();
    final List<String> tokenAuthorizations = new CopyOnWriteArrayList<>();
    private final Map<String, Instant> tokens = new HashMap<>();
    private final Map<String, ObjectNode> vens = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> resources = new HashMap<>();
    private final Map<String, ObjectNode> programs = new LinkedHashMap<>();
    private final Map<String, ObjectNode> events = new LinkedHashMap<>();
    private int issued;
    private int created;

    volatile long tokenLifetimeSeconds = 3600;
    volatile int failStatus;
    volatile long delayMillis;
    volatile boolean brokenJson;
    volatile boolean rejectEveryToken;
    /** When not 0, POST /reports answers this status (with a problem document) and stores nothing. */
    volatile int reportStatus;
    /** How long POST /reports waits before it answers. */
    volatile long reportDelayMillis;
    final List<ObjectNode> reports = new CopyOnWriteArrayList<>();
    /** How many reports were answered 409 because an identical one was stored already. */
    volatile int conflicts;
    /** Why each report refused for its shape was refused. */
    final List<String> reportShapeErrors = new CopyOnWriteArrayList<>();

    TestVtn(Clock clock, String clientId, String clientSecret) throws IOException {
        this.clock = clock;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext(BASE + "/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + BASE;
    }

    synchronized void addProgram(String id, String name) {
        ObjectNode p = JSON.createObjectNode().put("id", id).put("objectType", "PROGRAM").put("programName", name);
        programs.put(id, p);
    }

    /** Adds or replaces an event (the JSON as the VTN would send it, its id included). */
    synchronized void putEvent(String json) {
        ObjectNode e = (ObjectNode) EventMapperTest.json(json);
        events.put(e.get("id").asText(), e);
    }

    synchronized void deleteEvent(String id) {
        events.remove(id);
    }

    synchronized void revokeTokens() {
        tokens.clear();
    }

    synchronized int tokensIssued() {
        return issued;
    }

    synchronized List<String> venNames() {
        return vens.values().stream().map(v -> v.get("venName").asText()).toList();
    }

    synchronized List<String> resourceNames(String venName) {
        for (Map.Entry<String, ObjectNode> v : vens.entrySet()) {
            if (v.getValue().get("venName").asText().equals(venName)) {
                return resources.getOrDefault(v.getKey(), List.of()).stream().map(r -> r.get("resourceName").asText()).toList();
            }
        }
        return List.of();
    }

    List<String> requests(String prefix) {
        return requests.stream().filter(r -> r.startsWith(prefix)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath().substring(BASE.length());
            String method = ex.getRequestMethod();
            String query = ex.getRequestURI().getRawQuery();
            byte[] body = ex.getRequestBody().readAllBytes();
            requests.add(method + " " + path + (query == null ? "" : "?" + query));
            long delay = delayMillis + (path.equals("/reports") ? reportDelayMillis : 0);
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failStatus != 0) {
                send(ex, failStatus, "{\"title\":\"Service Unavailable\",\"status\":" + failStatus + "}");
                return;
            }
            if (path.equals("/auth/token") && method.equals("POST")) {
                token(ex, new String(body, StandardCharsets.UTF_8));
                return;
            }
            if (!authorised(ex)) {
                send(ex, 401, "{\"title\":\"Unauthorized\",\"status\":401}");
                return;
            }
            if (brokenJson) {
                send(ex, 200, "[{\"id\": \"ev");
                return;
            }
            Map<String, String> q = query(query);
            String[] parts = path.split("/");
            synchronized (this) {
                if (path.equals("/programs") && method.equals("GET")) {
                    send(ex, 200, page(new ArrayList<>(programs.values()), q));
                } else if (path.equals("/events") && method.equals("GET")) {
                    List<ObjectNode> found = events.values().stream()
                            .filter(e -> !q.containsKey("programID") || e.path("programID").asText().equals(q.get("programID"))).toList();
                    send(ex, 200, page(found, q));
                } else if (path.equals("/vens") && method.equals("GET")) {
                    send(ex, 200, page(vens.values().stream()
                            .filter(v -> !q.containsKey("venName") || v.get("venName").asText().equals(q.get("venName"))).toList(), q));
                } else if (path.equals("/vens") && method.equals("POST")) {
                    ObjectNode v = (ObjectNode) JSON.readTree(body);
                    if (!v.path("venName").isTextual()) {
                        send(ex, 400, "{\"title\":\"venName missing\"}");
                        return;
                    }
                    String id = "ven-" + ++created;
                    v.put("id", id).put("objectType", "VEN");
                    vens.put(id, v);
                    send(ex, 201, JSON.writeValueAsString(v));
                } else if (path.equals("/reports") && method.equals("POST")) {
                    report(ex, body);
                } else if (parts.length == 4 && parts[1].equals("vens") && parts[3].equals("resources")) {
                    if (!vens.containsKey(parts[2])) {
                        send(ex, 404, "{\"title\":\"no such ven\"}");
                    } else if (method.equals("GET")) {
                        send(ex, 200, page(resources.getOrDefault(parts[2], List.of()).stream()
                                .filter(r -> !q.containsKey("resourceName") || r.get("resourceName").asText().equals(q.get("resourceName"))).toList(), q));
                    } else {
                        ObjectNode r = (ObjectNode) JSON.readTree(body);
                        r.put("id", "res-" + ++created).put("venID", parts[2]).put("objectType", "RESOURCE");
                        resources.computeIfAbsent(parts[2], k -> new ArrayList<>()).add(r);
                        send(ex, 201, JSON.writeValueAsString(r));
                    }
                } else {
                    send(ex, 404, "{\"title\":\"Not Found\"}");
                }
            }
        } catch (RuntimeException e) {
            send(ex, 500, "{\"title\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    /** Stores a report whose shape is an OpenADR 3.0.1 report about an event this VTN has; refuses it otherwise. */
    private void report(HttpExchange ex, byte[] body) throws IOException {
        if (reportStatus != 0) {
            send(ex, reportStatus, "{\"title\":\"report refused by the test\",\"status\":" + reportStatus
                    + ",\"detail\":\"the test VTN refuses every report\"}");
            return;
        }
        JsonNode r;
        try {
            r = JSON.readTree(body);
        } catch (IOException e) {
            r = null;
        }
        List<String> errors = reportShape(r);
        if (r != null && errors.isEmpty() && !events.containsKey(r.get("eventID").asText())) {
            errors.add("eventID " + r.get("eventID").asText() + " is not an event of this VTN");
        }
        if (!errors.isEmpty()) {
            reportShapeErrors.add(String.join("; ", errors));
            send(ex, 400, JSON.writeValueAsString(JSON.createObjectNode().put("title", "Bad Request")
                    .put("status", 400).put("detail", String.join("; ", errors))));
            return;
        }
        for (ObjectNode known : reports) {
            ObjectNode same = known.deepCopy();
            same.remove(List.of("id", "objectType"));
            if (same.equals(r)) {
                conflicts++;
                send(ex, 409, "{\"title\":\"Conflict\",\"status\":409,\"detail\":\"an identical report exists\"}");
                return;
            }
        }
        ObjectNode stored = ((ObjectNode) r).deepCopy();
        stored.put("id", "report-" + ++created).put("objectType", "REPORT");
        reports.add(stored);
        send(ex, 201, JSON.writeValueAsString(stored));
    }

    /** The 3.0.1 schema's rules for a report a VEN creates, as a list of what breaks them. */
    static List<String> reportShape(JsonNode r) {
        List<String> e = new ArrayList<>();
        if (r == null || !r.isObject()) {
            e.add("a report must be a JSON object");
            return e;
        }
        for (String f : new String[] { "programID", "eventID" }) {
            if (!r.path(f).isTextual() || !r.path(f).asText().matches("[a-zA-Z0-9_-]{1,128}")) {
                e.add(f + " must be an objectID");
            }
        }
        if (!r.path("clientName").isTextual() || r.path("clientName").asText().isEmpty() || r.path("clientName").asText().length() > 128) {
            e.add("clientName must be 1..128 characters");
        }
        for (String f : new String[] { "id", "createdDateTime", "modificationDateTime" }) {
            if (r.has(f)) {
                e.add(f + " is provisioned by the VTN");
            }
        }
        JsonNode descriptors = r.path("payloadDescriptors");
        if (!descriptors.isMissingNode() && !descriptors.isNull()) {
            if (!descriptors.isArray()) {
                e.add("payloadDescriptors must be an array");
            } else {
                for (JsonNode d : descriptors) {
                    if (!d.path("payloadType").isTextual() || !"REPORT_PAYLOAD_DESCRIPTOR".equals(d.path("objectType").asText(null))) {
                        e.add("a payloadDescriptor needs a payloadType and objectType REPORT_PAYLOAD_DESCRIPTOR");
                    }
                }
            }
        }
        JsonNode resources = r.path("resources");
        if (!resources.isArray() || resources.isEmpty()) {
            e.add("resources must be a non-empty array");
            return e;
        }
        for (JsonNode res : resources) {
            String name = res.path("resourceName").asText("");
            if (!res.path("resourceName").isTextual() || name.isEmpty() || name.length() > 128) {
                e.add("resourceName must be 1..128 characters");
            }
            if (!res.path("intervals").isArray() || res.path("intervals").isEmpty()) {
                e.add("a resource needs intervals");
                continue;
            }
            for (JsonNode iv : res.path("intervals")) {
                if (!iv.path("id").isIntegralNumber()) {
                    e.add("an interval needs an integer id");
                }
                JsonNode period = iv.path("intervalPeriod");
                if (!period.isMissingNode()) {
                    try {
                        java.time.OffsetDateTime.parse(period.path("start").asText());
                        IsoTime.duration(period.path("duration").asText());
                    } catch (RuntimeException x) {
                        e.add("an intervalPeriod needs an ISO 8601 start and duration");
                    }
                }
                if (!iv.path("payloads").isArray() || iv.path("payloads").isEmpty()) {
                    e.add("an interval needs payloads");
                }
                for (JsonNode p : iv.path("payloads")) {
                    if (!p.path("type").isTextual() || !p.path("values").isArray() || p.path("values").isEmpty()) {
                        e.add("a payload needs a type and values");
                    }
                }
            }
        }
        return e;
    }

    private void token(HttpExchange ex, String form) throws IOException {
        tokenForms.add(form);
        String basic = ex.getRequestHeaders().getFirst("Authorization");
        tokenAuthorizations.add(basic == null ? "" : basic);
        Map<String, String> f = query(form);
        String id = f.get("client_id");
        String secret = f.get("client_secret");
        if (basic != null && basic.startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            id = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            secret = URLDecoder.decode(pair[1], StandardCharsets.UTF_8);
        }
        if (!"client_credentials".equals(f.get("grant_type"))) {
            send(ex, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        if (rejectEveryToken || !clientId.equals(id) || !clientSecret.equals(secret)) {
            send(ex, 400, "{\"error\":\"invalid_client\",\"error_description\":\"client " + id + " with secret " + secret + " refused\"}");
            return;
        }
        String token;
        synchronized (this) {
            token = "tok-" + ++issued;
            tokens.put(token, clock.instant().plusSeconds(tokenLifetimeSeconds));
        }
        send(ex, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + tokenLifetimeSeconds + "}");
    }

    private synchronized boolean authorised(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.startsWith("Bearer ")) {
            return false;
        }
        Instant until = tokens.get(h.substring(7));
        return until != null && clock.instant().isBefore(until);
    }

    private static String page(List<ObjectNode> all, Map<String, String> q) throws IOException {
        int skip = Integer.parseInt(q.getOrDefault("skip", "0"));
        int limit = Integer.parseInt(q.getOrDefault("limit", "50"));
        if (limit > 50) {
            throw new IllegalArgumentException("limit above 50");
        }
        ArrayNode out = JSON.createArrayNode();
        all.stream().skip(skip).limit(limit).forEach(out::add);
        return JSON.writeValueAsString(out);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    /** Stops answering at all (connections are refused). */
    void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
