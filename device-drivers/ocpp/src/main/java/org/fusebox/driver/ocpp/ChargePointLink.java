package org.fusebox.driver.ocpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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

    private final Deque<Outgoing> queue = new ArrayDeque<>();
    private Outgoing inFlight;
    private boolean closed;

    private static final class Outgoing {
        final String action;
        final ObjectNode payload;
        final CompletableFuture<JsonNode> result = new CompletableFuture<>();
        int attempts;
        String uniqueId;
        ScheduledFuture<?> timeout;

        Outgoing(String action, ObjectNode payload) {
            this.action = action;
            this.payload = payload;
        }
    }

    ChargePointLink(String chargePointId, WebSocket socket, ScheduledExecutorService timer, long timeoutMillis, int retries) {
        this.chargePointId = chargePointId;
        this.socket = socket;
        this.timer = timer;
        this.timeoutMillis = timeoutMillis;
        this.retries = retries;
    }

    WebSocket socket() {
        return socket;
    }

    /** Queues a call; the stage completes with the answer's payload (already checked against its shape). */
    CompletableFuture<JsonNode> call(String action, ObjectNode payload) {
        Outgoing o = new Outgoing(action, payload);
        synchronized (this) {
            if (!closed) {
                queue.add(o);
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
        o.timeout = timer.schedule(() -> timedOut(o), timeoutMillis, TimeUnit.MILLISECONDS);
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
            if (o.attempts <= retries && !closed) {
                LOG.info("{}: no answer to {} within {} ms, sending it again", chargePointId, o.action, timeoutMillis);
                transmitLocked(o);
            } else {
                inFlight = null;
                failed = true;
                sendNextLocked();
            }
        }
        if (failed) {
            o.result.completeExceptionally(new CallFailedException(CallFailedException.Reason.TIMEOUT,
                    "no answer to " + o.action + " from " + chargePointId + " after " + o.attempts + " attempt(s) of "
                            + timeoutMillis + " ms"));
        }
    }
}
