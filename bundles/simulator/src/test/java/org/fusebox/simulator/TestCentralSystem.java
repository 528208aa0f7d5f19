package org.fusebox.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;
import org.java_websocket.server.WebSocketServer;

/**
 * A small OCPP 1.6J central system for tests, on Java-WebSocket's server over loopback: it answers what
 * charge points send, records every call, and sends calls of its own.
 */
final class TestCentralSystem extends WebSocketServer {

    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    /** One call a charge point sent. */
    record Received(String chargePointId, String action, JsonNode payload) {
    }

    final List<Received> calls = new CopyOnWriteArrayList<>();
    final Map<String, WebSocket> sockets = new ConcurrentHashMap<>();
    final Map<String, String> paths = new ConcurrentHashMap<>();
    final Map<String, String> authorizations = new ConcurrentHashMap<>();
    final Map<String, String> subprotocols = new ConcurrentHashMap<>();
    final Set<String> blockedTags = ConcurrentHashMap.newKeySet();
    volatile String bootStatus = "Accepted";
    volatile int heartbeatInterval = 300;
    /** Leaves Authorize unanswered until {@link #releaseAuthorize}. */
    volatile boolean holdAuthorize;
    private volatile WebSocket heldConnection;
    private volatile String heldUniqueId;

    private final Map<String, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
    private final AtomicInteger transactionIds = new AtomicInteger(1000);
    private final AtomicInteger uniqueIds = new AtomicInteger();
    private final CountDownLatch started = new CountDownLatch(1);
    /** Every connection this server accepted and has not seen closed, whatever its charge point id. */
    private final Set<WebSocket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    private TestCentralSystem(int port) {
        super(new InetSocketAddress("127.0.0.1", port),
                List.<Draft>of(new Draft_6455(List.<IExtension>of(), List.<IProtocol>of(new Protocol("ocpp1.6")))));
        setReuseAddr(true);
    }

    /** Starts listening on {@code port} (0: a free one) and waits until it does. */
    static TestCentralSystem start(int port) throws InterruptedException {
        TestCentralSystem cs = new TestCentralSystem(port);
        cs.start();
        if (!cs.started.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the test central system did not start");
        }
        return cs;
    }

    String url() {
        return "ws://127.0.0.1:" + getPort() + "/ocpp";
    }

    /**
     * Stops like a central system that goes down: every connection is closed, and none outlives the server.
     * Java-WebSocket's own stop leaves a connection open when its close handshake has not finished by the
     * time the selector ends (or when a charge point reconnected meanwhile): such a socket stays connected
     * to nobody, and the charge point's calls on it go unanswered.
     */
    void shutdown() throws InterruptedException {
        stopping = true;
        for (WebSocket conn : open) {
            conn.close(1001, "central system stopping");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        stop(2000);
        for (WebSocket conn : open) {
            conn.closeConnection(1006, "central system stopped");
        }
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        open.add(conn);
        if (stopping) {
            conn.close(1001, "central system stopping");
            return;
        }
        String path = handshake.getResourceDescriptor();
        String id = path.substring(path.lastIndexOf('/') + 1);
        conn.setAttachment(id);
        paths.put(id, path);
        subprotocols.put(id, handshake.getFieldValue("Sec-WebSocket-Protocol"));
        if (handshake.hasFieldValue("Authorization")) {
            authorizations.put(id, handshake.getFieldValue("Authorization"));
        }
        sockets.put(id, conn);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        open.remove(conn);
        String id = conn.getAttachment();
        if (id != null) {
            sockets.remove(id, conn);
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        // a test looks at what arrived, not at socket errors
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        if (stopping) {
            return; // going down: what arrives now is lost with the connection, as on a real server
        }
        String id = conn.getAttachment();
        JsonNode frame;
        try {
            frame = JSON.readTree(message);
        } catch (Exception e) {
            throw new AssertionError("the charge point sent something that is not JSON: " + message, e);
        }
        int type = frame.get(0).intValue();
        String uniqueId = frame.get(1).asText();
        if (type == 2) {
            String action = frame.get(2).asText();
            JsonNode payload = frame.get(3);
            calls.add(new Received(id, action, payload));
            if (holdAuthorize && action.equals("Authorize")) {
                heldConnection = conn;
                heldUniqueId = uniqueId;
                return;
            }
            conn.send("[3," + JSON.valueToTree(uniqueId) + "," + answer(action, payload) + "]");
        } else {
            CompletableFuture<JsonNode> f = answers.remove(uniqueId);
            if (f != null) {
                f.complete(frame);
            }
        }
    }

    private ObjectNode answer(String action, JsonNode payload) {
        ObjectNode out = JSON.createObjectNode();
        switch (action) {
            case "BootNotification" -> out.put("status", bootStatus).put("currentTime", Instant.now().toString())
                    .put("interval", heartbeatInterval);
            case "Heartbeat" -> out.put("currentTime", Instant.now().toString());
            case "Authorize" -> out.putObject("idTagInfo").put("status", tagStatus(payload.get("idTag").asText()));
            case "StartTransaction" -> {
                out.put("transactionId", transactionIds.incrementAndGet());
                out.putObject("idTagInfo").put("status", tagStatus(payload.get("idTag").asText()));
            }
            case "StopTransaction" -> out.putObject("idTagInfo").put("status", "Accepted");
            default -> {
                // StatusNotification, MeterValues: an empty answer
            }
        }
        return out;
    }

    /** Answers the Authorize held back. */
    void releaseAuthorize(String status) {
        holdAuthorize = false;
        ObjectNode out = JSON.createObjectNode();
        out.putObject("idTagInfo").put("status", status);
        heldConnection.send("[3," + JSON.valueToTree(heldUniqueId) + "," + out + "]");
    }

    private String tagStatus(String idTag) {
        return blockedTags.contains(idTag) ? "Blocked" : "Accepted";
    }

    /** Sends a call and returns the whole answer frame ([3, id, payload] or [4, id, code, ...]). */
    JsonNode call(String chargePointId, String action, ObjectNode payload) throws Exception {
        String uniqueId = "cs-" + uniqueIds.incrementAndGet();
        ArrayNode frame = JSON.createArrayNode().add(2).add(uniqueId).add(action);
        frame.add(payload);
        return sendRaw(chargePointId, uniqueId, frame.toString());
    }

    /** Sends any text and waits for the answer to {@code uniqueId}. */
    JsonNode sendRaw(String chargePointId, String uniqueId, String text) throws Exception {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        answers.put(uniqueId, f);
        WebSocket s = sockets.get(chargePointId);
        if (s == null) {
            throw new AssertionError(chargePointId + " is not connected");
        }
        s.send(text);
        return f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    /** The answer payload of a call that must succeed. */
    JsonNode callOk(String chargePointId, String action, ObjectNode payload) throws Exception {
        JsonNode frame = call(chargePointId, action, payload);
        if (frame.get(0).intValue() != 3) {
            throw new AssertionError(action + " answered with " + frame);
        }
        return frame.get(2);
    }

    List<JsonNode> payloads(String chargePointId, String action) {
        return calls.stream().filter(c -> c.chargePointId().equals(chargePointId) && c.action().equals(action))
                .map(Received::payload).toList();
    }

    /** Waits for a call matching {@code test} and returns its payload. */
    JsonNode await(String chargePointId, String action, Predicate<JsonNode> test) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            for (JsonNode p : payloads(chargePointId, action)) {
                if (test.test(p)) {
                    return p;
                }
            }
            pause();
        }
        throw new AssertionError("no " + action + " from " + chargePointId + " as expected; got " + calls);
    }

    JsonNode await(String chargePointId, String action) {
        return await(chargePointId, action, p -> true);
    }

    static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Waits for a condition with the deadline. */
    static void until(String what, java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            pause();
        }
    }

    /** A SetChargingProfile payload with one period from a minute ago. */
    static ObjectNode profile(int connectorId, int profileId, int stackLevel, String purpose, Integer transactionId,
            String unit, double limit) {
        ObjectNode schedule = JSON.createObjectNode().put("startSchedule", Instant.now().minusSeconds(60).toString())
                .put("chargingRateUnit", unit);
        schedule.putArray("chargingSchedulePeriod").addObject().put("startPeriod", 0).put("limit", limit);
        ObjectNode p = JSON.createObjectNode().put("chargingProfileId", profileId).put("stackLevel", stackLevel)
                .put("chargingProfilePurpose", purpose).put("chargingProfileKind", "Absolute");
        if (transactionId != null) {
            p.put("transactionId", transactionId);
        }
        p.set("chargingSchedule", schedule);
        ObjectNode request = JSON.createObjectNode().put("connectorId", connectorId);
        request.set("csChargingProfiles", p);
        return request;
    }
}
