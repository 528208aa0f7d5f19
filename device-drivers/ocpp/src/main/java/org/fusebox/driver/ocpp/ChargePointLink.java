package org.fusebox.driver.ocpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.fusebox.driver.ocpp.api.CallFailedException;
import org.fusebox.driver.ocpp.protocol.Frame;
import org.fusebox.driver.ocpp.protocol.FrameCodec;
import org.fusebox.driver.ocpp.protocol.Schemas;
import org.fusebox.driver.ocpp.protocol.Violation;
import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open WebSocket to a charge point: sends answers at once and calls one at a time, each with a timeout
 * and a fixed number of retries, matching answers by unique id. Futures are completed outside the lock so
 * that their callbacks may queue further calls.
 */
final class ChargePointLink {

    private static final Logger LOG = LoggerFactory.getLogger(ChargePointLink.class);

    private final String chargePointId;
    private final WebSocket socket;
    private final ScheduledExecutorService timer;
    private final long timeoutMillis;
    private final int retries;
    private final OcppCounters counters;

    /** Calls waiting; bounded so that a charger that never answers cannot make the gateway hoard them. */
    static final int MAX_QUEUED_CALLS = 64;

    private final LinkedList<Outgoing> queue = new LinkedList<>();
    private Outgoing inFlight;
    private boolean closed;

    /** Real time of the last pong, and of a ping sent to find out whether this connection is still alive. */
    volatile long lastPongNanos = System.nanoTime();
    volatile long probeSentNanos;

    /** A token bucket over incoming calls: {@code perSecond} on average, bursts of ten times that. */
    private double tokens = -1;
    private long tokensAtNanos;
    private long refusedSinceLog;
    private long lastRefusalLogNanos;

    private static final class Outgoing {
        final String action;
        final ObjectNode payload;
        final long timeoutMillis;
        final int retries;
        final boolean priority;
        final CompletableFuture<JsonNode> result = new CompletableFuture<>();
        int attempts;
        String uniqueId;
        ScheduledFuture<?> timeout;

        Outgoing(String action, ObjectNode payload, long timeoutMillis, int retries, boolean priority) {
            this.priority = priority;
            this.action = action;
            this.payload = payload;
            this.timeoutMillis = timeoutMillis;
            this.retries = retries;
        }
    }

    ChargePointLink(String chargePointId, WebSocket socket, ScheduledExecutorService timer, long timeoutMillis, int retries) {
        this(chargePointId, socket, timer, timeoutMillis, retries, new OcppCounters());
    }

    /** @param counters the central system's counters: calls sent and timed out, CALLERRORs sent */
    ChargePointLink(String chargePointId, WebSocket socket, ScheduledExecutorService timer, long timeoutMillis, int retries,
            OcppCounters counters) {
        this.counters = counters;
        this.chargePointId = chargePointId;
        this.socket = socket;
        this.timer = timer;
        this.timeoutMillis = timeoutMillis;
        this.retries = retries;
    }

    WebSocket socket() {
        return socket;
    }

    /**
     * Whether one more incoming call may be handled now; a refused one is counted and logged at most once
     * every 10 s.
     */
    synchronized boolean takeIncoming(int perSecond, long nowNanos) {
        double burst = perSecond * 10.0;
        if (tokens < 0) {
            tokens = burst;
        } else {
            tokens = Math.min(burst, tokens + (nowNanos - tokensAtNanos) / 1e9 * perSecond);
        }
        tokensAtNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        refusedSinceLog++;
        if (lastRefusalLogNanos == 0 || nowNanos - lastRefusalLogNanos > 10_000_000_000L) {
            LOG.warn("{}: more than {} calls per second; {} refused with a CALLERROR", chargePointId, perSecond, refusedSinceLog);
            lastRefusalLogNanos = nowNanos;
            refusedSinceLog = 0;
        }
        return false;
    }

    /** Queues a call; the stage completes with the answer's payload (already checked against its shape). */
    CompletableFuture<JsonNode> call(String action, ObjectNode payload) {
        return call(action, payload, timeoutMillis, retries, false);
    }

    /**
     * Queues a call with its own timeout and retries; a {@code priority} call goes ahead of the other calls
     * waiting, behind the priority calls queued before it (a limit must not wait behind configuration calls).
     */
    CompletableFuture<JsonNode> call(String action, ObjectNode payload, long timeoutMillis, int retries, boolean priority) {
        Outgoing o = new Outgoing(action, payload, timeoutMillis, retries, priority);
        synchronized (this) {
            if (!closed && queue.size() >= MAX_QUEUED_CALLS) {
                LOG.warn("{}: {} not sent, {} calls are already waiting for the charger", chargePointId, action, queue.size());
                o.result.completeExceptionally(new CallFailedException(CallFailedException.Reason.TIMEOUT,
                        chargePointId + " has " + queue.size() + " calls waiting; " + action + " not sent"));
                return o.result;
            }
            if (!closed) {
                if (priority) {
                    int at = 0;
                    for (Outgoing q : queue) {
                        if (!q.priority) {
                            break;
                        }
                        at++;
                    }
                    queue.add(at, o);
                } else {
                    queue.add(o);
                }
                sendNextLocked();
                return o.result;
            }
        }
        o.result.completeExceptionally(new CallFailedException(CallFailedException.Reason.NOT_CONNECTED,
                chargePointId + " is not connected"));
        return o.result;
    }

    /** Sends an answer frame (CALLRESULT or CALLERROR) at once. */
    void send(Frame frame) {
        if (frame instanceof Frame.CallError e) {
            counters.callErrorSent(e.errorCode());
        }
        try {
            socket.send(FrameCodec.write(frame));
        } catch (WebsocketNotConnectedException e) {
            LOG.debug("{}: answer dropped, connection closed", chargePointId);
        }
    }

    /** An answer arrived: complete the matching call, ignore anything else. */
    void answered(Frame frame) {
        Outgoing done;
        synchronized (this) {
            if (inFlight == null || !inFlight.uniqueId.equals(frame.uniqueId())) {
                LOG.warn("{}: answer with unknown unique id {} ignored", chargePointId, frame.uniqueId());
                return;
            }
            done = inFlight;
            done.timeout.cancel(false);
            inFlight = null;
            sendNextLocked();
        }
        if (frame instanceof Frame.CallResult r) {
            Violation v = Schemas.checkConfirmation(done.action, r.payload()).orElse(null);
            if (v == null) {
                done.result.complete(r.payload());
            } else {
                done.result.completeExceptionally(new CallFailedException(CallFailedException.Reason.INVALID_ANSWER,
                        done.action + " answer refused: " + v.code() + ": " + v.description()));
            }
        } else if (frame instanceof Frame.CallError e) {
            done.result.completeExceptionally(new CallFailedException(CallFailedException.Reason.CALL_ERROR,
                    done.action + " answered " + e.errorCode() + ": " + e.description()));
        }
    }

    /** An answer frame for {@code uniqueId} was malformed: the call it answers fails. */
    void answeredBadly(String uniqueId, String why) {
        Outgoing done;
        synchronized (this) {
            if (inFlight == null || !inFlight.uniqueId.equals(uniqueId)) {
                return;
            }
            done = inFlight;
            done.timeout.cancel(false);
            inFlight = null;
            sendNextLocked();
        }
        done.result.completeExceptionally(new CallFailedException(CallFailedException.Reason.INVALID_ANSWER,
                done.action + " answer malformed: " + why));
    }

    /** The socket closed: every call still waiting fails. */
    void closed() {
        List<Outgoing> failed = new ArrayList<>();
        synchronized (this) {
            closed = true;
            if (inFlight != null) {
                inFlight.timeout.cancel(false);
                failed.add(inFlight);
                inFlight = null;
            }
            failed.addAll(queue);
            queue.clear();
        }
        for (Outgoing o : failed) {
            o.result.completeExceptionally(new CallFailedException(CallFailedException.Reason.NOT_CONNECTED,
                    chargePointId + " disconnected before answering " + o.action));
        }
    }

    /** Completes when every call queued so far has ended, however it ended. */
    CompletableFuture<Void> idle() {
        List<CompletableFuture<?>> all = new ArrayList<>();
        synchronized (this) {
            if (inFlight != null) {
                all.add(inFlight.result);
            }
            queue.forEach(o -> all.add(o.result));
        }
        return CompletableFuture.allOf(all.stream().map(f -> f.handle((a, b) -> null)).toArray(CompletableFuture[]::new));
    }

    private void sendNextLocked() {
        while (inFlight == null && !queue.isEmpty() && !closed) {
            Outgoing o = queue.poll();
            if (!o.result.isDone()) {
                transmitLocked(o);
            }
        }
    }

    private void transmitLocked(Outgoing o) {
        o.attempts++;
        // a fresh id per attempt, so a late answer to an earlier attempt is not taken for this one
        o.uniqueId = UUID.randomUUID().toString();
        inFlight = o;
        o.timeout = timer.schedule(() -> timedOut(o), o.timeoutMillis, TimeUnit.MILLISECONDS);
        counters.callSent();
        try {
            socket.send(FrameCodec.write(new Frame.Call(o.uniqueId, o.action, o.payload)));
        } catch (WebsocketNotConnectedException e) {
            LOG.debug("{}: {} not sent, connection closed", chargePointId, o.action);
        }
    }

    private void timedOut(Outgoing o) {
        boolean failed = false;
        synchronized (this) {
            if (inFlight != o) {
                return;
            }
            if (o.attempts <= o.retries && !closed) {
                LOG.info("{}: no answer to {} within {} ms, sending it again", chargePointId, o.action, o.timeoutMillis);
                transmitLocked(o);
            } else {
                inFlight = null;
                failed = true;
                sendNextLocked();
            }
        }
        if (failed) {
            counters.callTimedOut();
            o.result.completeExceptionally(new CallFailedException(CallFailedException.Reason.TIMEOUT,
                    "no answer to " + o.action + " from " + chargePointId + " after " + o.attempts + " attempt(s) of "
                            + o.timeoutMillis + " ms"));
        }
    }
}
