package org.fusebox.driver.ocpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;

/**
 * A charger whose every frame the test writes as JSON: for the habits of real chargers no client library
 * reproduces (meter values after a reboot, silence, odd measurands). It records the calls the central
 * system sends, in order, and answers them with {@link #answers} (Accepted by default), or not at all when
 * the answer is {@code null}.
 */
final class ScriptedCharger extends WebSocketClient {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Every call received: [2, id, action, payload]. */
    final BlockingQueue<JsonNode> calls = new LinkedBlockingQueue<>();
    final List<JsonNode> allCalls = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CompletableFuture<String> closedWith = new CompletableFuture<>();
    volatile Function<JsonNode, ObjectNode> answers = ScriptedCharger::accept;
    private final Map<String, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private ScriptedCharger(URI uri, Map<String, String> headers) {
        super(uri, new Draft_6455(List.<IExtension>of(), List.<IProtocol>of(new Protocol("ocpp1.6"))), headers, 10_000);
    }

    static ScriptedCharger open(String baseUrl, String id) throws Exception {
        return open(baseUrl, id, null);
    }

    static ScriptedCharger open(String baseUrl, String id, Map<String, String> headers) throws Exception {
        ScriptedCharger c = new ScriptedCharger(URI.create(baseUrl + "/" + id), headers);
        c.connectBlocking(20, TimeUnit.SECONDS);
        return c;
    }

    static ObjectNode accept(JsonNode call) {
        ObjectNode a = JSON.createObjectNode();
        switch (call.get(2).asText()) {
            case "GetConfiguration" -> a.putArray("configurationKey");
            case "TriggerMessage", "ClearChargingProfile", "SetChargingProfile", "ChangeConfiguration" -> a.put("status", "Accepted");
            default -> a.put("status", "Accepted");
        }
        return a;
    }

    /** Sends a call and waits for its answer's payload (a CALLERROR comes back as {"error": code}). */
    JsonNode call(String action, String payload) throws Exception {
        String id = "t" + ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        waiting.put(id, f);
        send("[2,\"" + id + "\",\"" + action + "\"," + payload + "]");
        return f.get(Wait.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    JsonNode boot() throws Exception {
        return call("BootNotification", "{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}");
    }

    void status(int connector, String status) throws Exception {
        call("StatusNotification", "{\"connectorId\":" + connector + ",\"errorCode\":\"NoError\",\"status\":\"" + status + "\"}");
    }

    /** The next call of {@code action} received, skipping others. */
    JsonNode next(String action) throws InterruptedException {
        long end = System.nanoTime() + Wait.DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            JsonNode c = calls.poll(100, TimeUnit.MILLISECONDS);
            if (c != null && c.get(2).asText().equals(action)) {
                return c;
            }
        }
        throw new AssertionError("no " + action + " received");
    }

    long count(String action) {
        return allCalls.stream().filter(c -> c.get(2).asText().equals(action)).count();
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public void onMessage(String message) {
        try {
            JsonNode m = JSON.readTree(message);
            int type = m.get(0).intValue();
            if (type == 2) {
                calls.add(m);
                allCalls.add(m);
                ObjectNode answer = answers.apply(m);
                if (answer != null) {
                    send("[3,\"" + m.get(1).asText() + "\"," + answer + "]");
                }
            } else {
                CompletableFuture<JsonNode> f = waiting.remove(m.get(1).asText());
                if (f != null) {
                    f.complete(type == 3 ? m.get(2) : JSON.createObjectNode().put("error", m.get(2).asText()));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closedWith.complete(code + " " + reason);
    }

    @Override
    public void onError(Exception ex) {
    }
}
