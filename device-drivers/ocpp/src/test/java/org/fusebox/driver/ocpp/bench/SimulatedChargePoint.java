package org.fusebox.driver.ocpp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.WebSocket;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One charger with one three-phase connector, speaking hand-written OCPP 1.6J frames over the JDK's
 * non-blocking WebSocket client: BootNotification, StatusNotification Preparing, StartTransaction,
 * StatusNotification Charging, then MeterValues every meter interval and Heartbeat at the interval the
 * central system gave. Like a real charger it has one CALL in flight at a time; the latency of a call
 * runs from handing its frame to the socket until its CALLRESULT has been read. SetChargingProfile is
 * answered Accepted at once.
 */
final class SimulatedChargePoint implements WebSocket.Listener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Call(String action, String payload, Consumer<JsonNode> then) {
    }

    private final Fleet fleet;
    final String id;
    private final StringBuilder partial = new StringBuilder();
    private final Deque<Call> queue = new ArrayDeque<>();

    private WebSocket socket;
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
    private Call inFlight;
    private String inFlightId;
    private long inFlightSentNanos;
    private long nextId;
    private int transactionId;
    private long energyWh;
    volatile long connectStartedNanos;
    volatile boolean ready;
    volatile boolean closed;

    SimulatedChargePoint(Fleet fleet, String id) {
        this.fleet = fleet;
        this.id = id;
    }

    // ---- the charger's script ----

    private void boot() {
        call("BootNotification", "{\"chargePointVendor\":\"Fusebox\",\"chargePointModel\":\"Bench\"}", answer -> {
            if (!"Accepted".equals(answer.path("status").asText())) {
                fleet.problem(id + ": BootNotification " + answer);
                return;
            }
            int heartbeatSeconds = answer.path("interval").asInt(300);
            call("StatusNotification", status("Preparing"), ignored -> { });
            call("StartTransaction", "{\"connectorId\":1,\"idTag\":\"BENCH" + (Math.abs(id.hashCode()) % 1000)
                    + "\",\"meterStart\":0,\"timestamp\":\"" + now() + "\"}", started -> {
                        synchronized (this) {
                            transactionId = started.path("transactionId").asInt();
                        }
                        call("StatusNotification", status("Charging"), ignored -> {
                            ready = true;
                            fleet.ready(this);
                            startTimers(heartbeatSeconds);
                        });
                    });
        });
    }

    private void startTimers(int heartbeatSeconds) {
        long meterMillis = fleet.meterIntervalMillis();
        // spread over the interval, as chargers that booted at different moments are
        fleet.timer().scheduleAtFixedRate(this::meterValues, ThreadLocalRandom.current().nextLong(meterMillis),
                meterMillis, TimeUnit.MILLISECONDS);
        long heartbeatMillis = heartbeatSeconds * 1000L;
        fleet.timer().scheduleAtFixedRate(this::heartbeat, ThreadLocalRandom.current().nextLong(heartbeatMillis),
                heartbeatMillis, TimeUnit.MILLISECONDS);
    }

    private void meterValues() {
        if (closed) {
            throw new IllegalStateException("closed: stops the timer");
        }
        long wh;
        int tx;
        synchronized (this) {
            // 11 kW, three phases at 16 A
            energyWh += 11_000L * fleet.meterIntervalMillis() / 3_600_000L;
            wh = energyWh;
            tx = transactionId;
        }
        String ts = now();
        call("MeterValues", "{\"connectorId\":1,\"transactionId\":" + tx + ",\"meterValue\":[{\"timestamp\":\"" + ts
                + "\",\"sampledValue\":["
                + "{\"value\":\"" + wh + "\",\"context\":\"Sample.Periodic\",\"measurand\":\"Energy.Active.Import.Register\",\"unit\":\"Wh\"},"
                + "{\"value\":\"11040\",\"context\":\"Sample.Periodic\",\"measurand\":\"Power.Active.Import\",\"unit\":\"W\"},"
                + "{\"value\":\"16.0\",\"context\":\"Sample.Periodic\",\"measurand\":\"Current.Import\",\"phase\":\"L1\",\"unit\":\"A\"},"
                + "{\"value\":\"16.0\",\"context\":\"Sample.Periodic\",\"measurand\":\"Current.Import\",\"phase\":\"L2\",\"unit\":\"A\"},"
                + "{\"value\":\"16.0\",\"context\":\"Sample.Periodic\",\"measurand\":\"Current.Import\",\"phase\":\"L3\",\"unit\":\"A\"}"
                + "]}]}", ignored -> { });
    }

    private void heartbeat() {
        if (closed) {
            throw new IllegalStateException("closed: stops the timer");
        }
        call("Heartbeat", "{}", ignored -> { });
    }

    private static String status(String status) {
        return "{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"" + status + "\",\"timestamp\":\"" + now() + "\"}";
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    // ---- one CALL at a time ----

    private void call(String action, String payload, Consumer<JsonNode> then) {
        synchronized (this) {
            queue.add(new Call(action, payload, then));
            sendNextLocked();
        }
    }

    private void sendNextLocked() {
        if (inFlight != null || queue.isEmpty() || closed) {
            return;
        }
        inFlight = queue.poll();
        inFlightId = Long.toString(nextId++, 36);
        inFlightSentNanos = System.nanoTime();
        transmitLocked("[2,\"" + inFlightId + "\",\"" + inFlight.action() + "\"," + inFlight.payload() + "]");
    }

    /** The JDK socket takes one send at a time: each waits for the one before. */
    private void transmitLocked(String frame) {
        WebSocket ws = socket;
        sendChain = sendChain.thenCompose(x -> ws.sendText(frame, true)).handle((x, e) -> {
            if (e != null) {
                fleet.problem(id + ": send failed: " + e);
            }
            return null;
        });
    }

    private void received(String text) {
        long at = System.nanoTime();
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (Exception e) {
            fleet.problem(id + ": unreadable frame " + text);
            return;
        }
        int type = frame.path(0).asInt();
        String uniqueId = frame.path(1).asText();
        if (type == 2) {
            String action = frame.path(2).asText();
            synchronized (this) {
                if ("SetChargingProfile".equals(action)) {
                    transmitLocked("[3,\"" + uniqueId + "\",{\"status\":\"Accepted\"}]");
                } else {
                    transmitLocked("[4,\"" + uniqueId + "\",\"NotImplemented\",\"\",{}]");
                }
            }
            fleet.calledByCentralSystem(action);
            return;
        }
        Call done;
        synchronized (this) {
            if (inFlight == null || !uniqueId.equals(inFlightId)) {
                fleet.problem(id + ": answer to an unknown call " + text);
                return;
            }
            done = inFlight;
            fleet.answered(done.action(), inFlightSentNanos, (at - inFlightSentNanos) / 1000, type == 3);
            inFlight = null;
        }
        if (type == 3) {
            done.then().accept(frame.path(2));
        } else {
            fleet.problem(id + ": " + done.action() + " answered " + text);
        }
        synchronized (this) {
            sendNextLocked();
        }
    }

    void close() {
        closed = true;
        WebSocket ws = socket;
        if (ws != null) {
            synchronized (this) {
                sendChain = sendChain.thenCompose(x -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bench over"))
                        .handle((x, e) -> null);
            }
        }
    }

    // ---- WebSocket.Listener ----

    @Override
    public void onOpen(WebSocket webSocket) {
        synchronized (this) {
            socket = webSocket;
        }
        fleet.connected(this, (System.nanoTime() - connectStartedNanos) / 1000);
        webSocket.request(1);
        boot();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        String whole = null;
        synchronized (partial) {
            partial.append(data);
            if (last) {
                whole = partial.toString();
                partial.setLength(0);
            }
        }
        if (whole != null) {
            received(whole);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (!closed) {
            fleet.lost(this, "closed by the central system: " + statusCode + " " + reason);
        }
        closed = true;
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (!closed) {
            fleet.lost(this, "error: " + error);
        }
        closed = true;
    }
}
