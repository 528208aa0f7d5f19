package org.fusebox.driver.ocpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.fusebox.api.device.EvCharger;
import org.fusebox.api.metrics.Measurement;
import org.fusebox.driver.ocpp.api.Authorizer;
import org.fusebox.driver.ocpp.api.CallFailedException;
import org.fusebox.driver.ocpp.api.CallResult;
import org.fusebox.driver.ocpp.api.CentralSystem;
import org.fusebox.driver.ocpp.api.ChargePointView;
import org.fusebox.driver.ocpp.api.DataTransferHandler;
import org.fusebox.driver.ocpp.api.DataTransferResult;
import org.fusebox.driver.ocpp.api.IdTagStatus;
import org.fusebox.driver.ocpp.api.LimitProfile;
import org.fusebox.driver.ocpp.api.ProfilePurpose;
import org.fusebox.driver.ocpp.api.RateUnit;
import org.fusebox.driver.ocpp.protocol.ErrorCode;
import org.fusebox.driver.ocpp.protocol.Frame;
import org.fusebox.driver.ocpp.protocol.FrameCodec;
import org.fusebox.driver.ocpp.protocol.FrameException;
import org.fusebox.driver.ocpp.protocol.Schemas;
import org.fusebox.driver.ocpp.protocol.Violation;
import org.fusebox.driver.ocpp.protocol.ViolationException;
import org.fusebox.driver.ocpp.server.ConnectionHandler;
import org.fusebox.driver.ocpp.server.OcppServer;
import org.fusebox.driver.ocpp.server.Refusal;
import org.fusebox.driver.ocpp.server.Tls;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The central system without OSGi: the server, the charge points, the OCPP message handling and the
 * outgoing operations. The DS component wraps it; tests drive it directly.
 */
public final class CentralSystemEngine implements CentralSystem, ConnectionHandler, ChargePoint.Host {

    private static final Logger LOG = LoggerFactory.getLogger(CentralSystemEngine.class);

    /** Registers a charge point's EvCharger service; the returned action unregisters it. */
    @FunctionalInterface
    public interface DeviceRegistrar {
        Runnable register(EvCharger device);
    }

    private record Known(ChargePoint chargePoint, Runnable unregister) {
    }

    private final DeviceRegistrar registrar;
    private final Supplier<Authorizer> authorizer;
    private final Function<String, DataTransferHandler> dataTransfer;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Map<String, Known> chargePoints = new ConcurrentHashMap<>();
    /** Transaction ids start from the clock so that a restarted gateway does not hand out old ones again. */
    private final AtomicInteger transactionIds;

    private volatile OcppSettings settings;
    private volatile OcppServer server;
    private final LoginGuard logins = new LoginGuard(System::nanoTime);
    private final OcppCounters counters = new OcppCounters();
    /** Real time for the limit policy (increase interval, renewal); tests move it on. */
    private volatile java.util.function.LongSupplier limitNanoTime = System::nanoTime;

    /**
     * How long a connection in use has to answer a ping when another one, without credentials, asks for its
     * charge point id; one that stays silent is closed, and the newcomer's next attempt gets in.
     */
    static final long TAKEOVER_PING_MILLIS = 5000;

    public CentralSystemEngine(OcppSettings settings, DeviceRegistrar registrar, Supplier<Authorizer> authorizer,
            Function<String, DataTransferHandler> dataTransfer, Clock clock) {
        this.settings = settings;
        this.registrar = registrar;
        this.authorizer = authorizer;
        this.dataTransfer = dataTransfer;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ocpp-call-timer");
            t.setDaemon(true);
            return t;
        });
        this.transactionIds = new AtomicInteger((int) ((clock.millis() / 1000) % 1_000_000_000L));
    }

    // ---- life cycle ----

    public synchronized void start() throws Exception {
        OcppSettings s = settings;
        SSLContext tls = s.tls ? Tls.fromPkcs12(s.keystore, s.keystorePassword.toCharArray()) : null;
        OcppServer next = new OcppServer(new InetSocketAddress(s.bindHost, s.port), tls, s.connectionLostTimeoutSeconds,
                s.maxMessageBytes, this);
        next.startAndWait(10_000);
        server = next;
        LOG.info("OCPP 1.6J central system listening on {}://{}:{}/ocpp/{{chargePointId}}", s.tls ? "wss" : "ws",
                s.bindHost, next.getPort());
        if (s.securityProfile == 0 && !InetAddress.getByName(s.bindHost).isLoopbackAddress()) {
            LOG.warn("OCPP security profile 0 on {}: anyone who can reach this port can act as a charger;"
                    + " use securityProfile 1 or 2 outside a closed network", s.bindHost);
        }
    }

    /** The bound port (useful when configured as 0), or -1 when not listening. */
    public int port() {
        OcppServer s = server;
        return s == null ? -1 : s.getPort();
    }

    public boolean listening() {
        return server != null;
    }

    /**
     * Takes a new configuration. Charge points whose wiring changed, or that are no longer allowed, are
     * dropped (their services go, and come back when they reconnect); the server restarts only when its
     * address or TLS changed.
     */
    public synchronized void reconfigure(OcppSettings next) throws Exception {
        OcppSettings previous = settings;
        settings = next;
        for (Map.Entry<String, Known> e : chargePoints.entrySet()) {
            ChargePointSettings now = next.chargePoint(e.getKey());
            if (now == null || !now.equals(e.getValue().chargePoint().chargePointSettings())) {
                drop(e.getKey(), "its configuration changed");
            }
        }
        if (previous.needsNewServer(next) || server == null) {
            OcppServer old = server;
            server = null;
            if (old != null) {
                old.stopQuietly();
            }
            start();
        }
    }

    /**
     * Unregisters every charge point first, so that the core can send their failsafe limits while the
     * connections are still open, waits a little for those calls, then stops the server.
     */
    public synchronized void stop(long drainMillis) {
        List<ChargePointLink> links = new ArrayList<>();
        for (String id : List.copyOf(chargePoints.keySet())) {
            Known k = chargePoints.remove(id);
            if (k != null) {
                safeRun(k.unregister());
                ChargePointLink l = k.chargePoint().link();
                if (l != null) {
                    links.add(l);
                }
            }
        }
        try {
            CompletableFuture.allOf(links.stream().map(ChargePointLink::idle).toArray(CompletableFuture[]::new))
                    .get(drainMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.info("Stopping with calls still unanswered: {}", e.toString());
        }
        OcppServer s = server;
        server = null;
        if (s != null) {
            s.stopQuietly();
        }
        links.forEach(ChargePointLink::closed);
        timer.shutdownNow();
    }

    private void drop(String id, String why) {
        Known k = chargePoints.remove(id);
        if (k == null) {
            return;
        }
        LOG.info("Dropping charge point {}: {}", id, why);
        safeRun(k.unregister());
        ChargePointLink l = k.chargePoint().link();
        if (l != null) {
            l.socket().close(CloseFrame.POLICY_VALIDATION, why);
            l.closed();
        }
    }

    private static void safeRun(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.debug("unregistering: {}", e.toString());
        }
    }

    @Override
    public OcppSettings settings() {
        return settings;
    }

    Optional<ChargePoint> device(String id) {
        Known k = chargePoints.get(id);
        return k == null ? Optional.empty() : Optional.of(k.chargePoint());
    }

    List<String> problems() {
        List<String> out = new ArrayList<>();
        chargePoints.values().stream().map(Known::chargePoint).sorted(Comparator.comparing(ChargePoint::id))
                .forEach(cp -> out.addAll(cp.problems()));
        return out;
    }

    // ---- measurements ----

    /** The central system's measurements, from its counters and the connections open now; never blocks on I/O. */
    List<Measurement> measurements() {
        List<Measurement> out = new ArrayList<>();
        long connected = chargePoints.values().stream().map(k -> k.chargePoint().link())
                .filter(l -> l != null && l.socket().isOpen()).count();
        out.add(Measurement.gauge("charge_points_connected", "Charge points with an open OCPP connection", connected));
        out.add(Measurement.gauge("charge_points_known", "Charge points registered as chargers, connected or not",
                chargePoints.size()));
        out.add(Measurement.counter("connections_accepted_total", "WebSocket connections of charge points let in",
                counters.accepted()));
        counters.refused().forEach((status, n) -> out.add(Measurement.counter("connections_refused_total",
                "Connection attempts refused before the upgrade, by HTTP status (401 credentials, 404 unknown id, ...)",
                Map.of("status", Integer.toString(status)), n)));
        out.add(Measurement.counter("frames_received_total", "Text frames received from connected charge points",
                counters.framesReceived()));
        counters.callErrorsSent().forEach((code, n) -> out.add(Measurement.counter("callerrors_sent_total",
                "CALLERRORs sent to charge points, by OCPP error code", Map.of("code", code.name()), n)));
        out.add(Measurement.counter("calls_sent_total", "Calls sent to charge points, each attempt once",
                counters.callsSent()));
        out.add(Measurement.counter("calls_timed_out_total", "Calls to charge points that got no answer, retries included",
                counters.callsTimedOut()));
        return out;
    }

    // ---- connections ----

    /**
     * Lets a connection in when its credentials are right (when the charge point has a password), it is not
     * locked out after failed logins, and it would not evict a live session unfairly: a connection with
     * credentials replaces the one in use (the charger reconnected); one without (security profile 0) gets in
     * only once the connection in use has failed to answer a ping within {@link #TAKEOVER_PING_MILLIS}.
     */
    @Override
    public Refusal admit(String chargePointId, String authorization, String remote) {
        OcppSettings s = settings;
        if (s.chargePoint(chargePointId) == null) {
            return Refusal.notFound("unknown charge point " + chargePointId);
        }
        String password = s.passwordFor(chargePointId);
        if (password == null) {
            if (s.securityProfile >= 1) {
                return Refusal.unauthorized("no password configured for " + chargePointId);
            }
            return takeover(chargePointId);
        }
        long wait = logins.waitSeconds(chargePointId, remote);
        if (wait > 0) {
            return new Refusal(429, "Too Many Requests", "too many failed logins for " + chargePointId + " or from "
                    + remote + "; try again in " + wait + " s", false);
        }
        Refusal refusal = checkCredentials(chargePointId, authorization, password);
        if (refusal != null) {
            logins.failed(chargePointId, remote, s.authFailuresBeforeDelay);
        } else {
            logins.succeeded(chargePointId, remote);
        }
        return refusal;
    }

    private static Refusal checkCredentials(String chargePointId, String authorization, String password) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Refusal.unauthorized("HTTP Basic credentials required");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Refusal.unauthorized("malformed credentials");
        }
        int colon = decoded.indexOf(':');
        boolean userOk = colon >= 0 && decoded.substring(0, colon).equals(chargePointId);
        byte[] given = (colon < 0 ? "" : decoded.substring(colon + 1)).getBytes(StandardCharsets.UTF_8);
        boolean passwordOk = MessageDigest.isEqual(given, password.getBytes(StandardCharsets.UTF_8));
        return userOk && passwordOk ? null : Refusal.unauthorized("wrong credentials for " + chargePointId);
    }

    /** Without credentials nobody can tell the charger from an impostor: the live connection keeps its place. */
    private Refusal takeover(String chargePointId) {
        Known k = chargePoints.get(chargePointId);
        ChargePointLink live = k == null ? null : k.chargePoint().link();
        if (live == null || !live.socket().isOpen()) {
            return null;
        }
        long now = System.nanoTime();
        long probe = live.probeSentNanos;
        if (probe != 0 && now - probe >= TAKEOVER_PING_MILLIS * 1_000_000L && live.lastPongNanos - probe < 0) {
            LOG.warn("{}: the connection in use did not answer a ping within {} ms; a new connection takes its place",
                    chargePointId, TAKEOVER_PING_MILLIS);
            return null;
        }
        if (probe == 0 || live.lastPongNanos - probe >= 0) {
            live.probeSentNanos = now;
            try {
                live.socket().sendPing();
            } catch (RuntimeException e) {
                LOG.debug("{}: ping failed: {}", chargePointId, e.toString());
            }
            timer.schedule(() -> closeIfSilent(chargePointId, live, now), TAKEOVER_PING_MILLIS, TimeUnit.MILLISECONDS);
        }
        return new Refusal(409, "Conflict", chargePointId + " is connected and answers pings; without credentials"
                + " a second connection cannot take its place", false);
    }

    private void closeIfSilent(String chargePointId, ChargePointLink live, long probe) {
        if (live.probeSentNanos == probe && live.lastPongNanos - probe < 0 && live.socket().isOpen()) {
            LOG.warn("{}: no answer to a ping within {} ms while another connection asked for this id; closing it",
                    chargePointId, TAKEOVER_PING_MILLIS);
            live.socket().close(CloseFrame.GOING_AWAY, "no answer to ping");
        }
    }

    @Override
    public void pong(WebSocket socket, String chargePointId) {
        Known k = chargePoints.get(chargePointId);
        ChargePointLink l = k == null ? null : k.chargePoint().link();
        if (l != null && l.socket() == socket) {
            l.lastPongNanos = System.nanoTime();
        }
    }

    @Override
    public void opened(WebSocket socket, String chargePointId) {
        OcppSettings s = settings;
        ChargePointSettings cps = s.chargePoint(chargePointId);
        if (cps == null) {
            socket.close(CloseFrame.POLICY_VALIDATION, "unknown charge point");
            return;
        }
        counters.connectionAccepted();
        ChargePointLink link = new ChargePointLink(chargePointId, socket, timer, s.callTimeoutMillis, s.callRetries,
                counters);
        Known known;
        boolean created = false;
        synchronized (this) {
            known = chargePoints.get(chargePointId);
            if (known == null) {
                ChargePoint cp = new ChargePoint(chargePointId, cps, this, clock);
                known = new Known(cp, () -> { });
                chargePoints.put(chargePointId, known);
                created = true;
            }
        }
        ChargePointLink old = known.chargePoint().link();
        known.chargePoint().connected(link);
        if (old != null && old.socket() != socket) {
            LOG.info("Charge point {}: a new connection from {} replaces the one from {}", chargePointId,
                    socket.getRemoteSocketAddress(), old.socket().getRemoteSocketAddress());
            old.socket().close(CloseFrame.NORMAL, "replaced by a new connection");
        }
        if (created) {
            // registered outside any lock: the core's bind calls straight back into the device
            Runnable unregister = registrar.register(known.chargePoint());
            Known registered = new Known(known.chargePoint(), unregister);
            if (!chargePoints.replace(chargePointId, known, registered)) {
                safeRun(unregister);
            }
        }
        LOG.info("Charge point {} connected from {}", chargePointId, socket.getRemoteSocketAddress());
    }

    @Override
    public void closed(WebSocket socket, String chargePointId, int code, String reason) {
        Known k = chargePoints.get(chargePointId);
        if (k == null) {
            return;
        }
        ChargePointLink l = k.chargePoint().link();
        if (l != null && l.socket() == socket) {
            LOG.warn("Charge point {} disconnected: {} {}", chargePointId, code, reason);
            k.chargePoint().disconnected(l);
        }
    }

    @Override
    public void refused(Refusal refusal) {
        counters.refused(refusal.httpStatus());
    }

    @Override
    public void message(WebSocket socket, String chargePointId, String text) {
        counters.frameReceived();
        Known k = chargePoints.get(chargePointId);
        ChargePointLink link = k == null ? null : k.chargePoint().link();
        if (link == null || link.socket() != socket) {
            return;
        }
        ChargePoint cp = k.chargePoint();
        cp.seen();
        Frame frame;
        try {
            frame = FrameCodec.parse(text);
        } catch (FrameException e) {
            if (e.answerable()) {
                link.send(Frame.CallError.of(e.uniqueId(), e.violation().code(), e.violation().description()));
            } else if (e.uniqueId() != null) {
                link.answeredBadly(e.uniqueId(), e.violation().description());
            } else {
                LOG.warn("{}: closing after a frame without a unique id: {}", chargePointId, e.violation().description());
                socket.close(CloseFrame.PROTOCOL_ERROR, "frame without a unique id");
            }
            return;
        }
        if (frame instanceof Frame.Call call) {
            if (!link.takeIncoming(settings.maxMessagesPerSecond, System.nanoTime())) {
                link.send(Frame.CallError.of(call.uniqueId(), ErrorCode.GenericError,
                        "more than " + settings.maxMessagesPerSecond + " calls per second; not handled"));
                return;
            }
            handleCall(cp, link, call);
        } else {
            link.answered(frame);
        }
    }

    private void handleCall(ChargePoint cp, ChargePointLink link, Frame.Call call) {
        Violation v = Schemas.checkRequest(call.action(), call.payload()).orElse(null);
        if (v == null && "Rejected".equals(cp.registrationStatus()) && !"BootNotification".equals(call.action())) {
            v = new Violation(ErrorCode.SecurityError, "BootNotification was Rejected; only BootNotification is taken");
        }
        if (v != null) {
            LOG.debug("{}: {} refused: {} {}", cp.id(), call.action(), v.code(), v.description());
            link.send(Frame.CallError.of(call.uniqueId(), v.code(), v.description()));
            return;
        }
        List<Runnable> after = new ArrayList<>();
        ObjectNode answer;
        try {
            answer = dispatch(cp, call.action(), call.payload(), after);
        } catch (ViolationException e) {
            link.send(Frame.CallError.of(call.uniqueId(), e.violation().code(), e.violation().description()));
            return;
        } catch (RuntimeException e) {
            LOG.error("{}: handling {} failed", cp.id(), call.action(), e);
            link.send(Frame.CallError.of(call.uniqueId(), ErrorCode.InternalError, "internal error"));
            return;
        }
        link.send(new Frame.CallResult(call.uniqueId(), answer));
        if (!"BootNotification".equals(call.action()) && !cp.ready()) {
            after.add(0, cp::registeredWithoutBoot);
        }
        // what follows an answer (profiles after a boot or a start) must reach the charger after it
        for (Runnable r : after) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("{}: after {}", cp.id(), call.action(), e);
            }
        }
    }

    private ObjectNode dispatch(ChargePoint cp, String action, JsonNode p, List<Runnable> after) throws ViolationException {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        switch (action) {
            case "BootNotification" -> {
                OcppSettings s = settings;
                String status = s.bootPolicy.name();
                out.put("status", status);
                out.put("currentTime", now());
                out.put("interval", s.bootPolicy == OcppSettings.BootPolicy.Accepted ? s.heartbeatIntervalSeconds
                        : Math.min(60, s.heartbeatIntervalSeconds));
                String vendor = p.get("chargePointVendor").asText();
                String model = p.get("chargePointModel").asText();
                String fw = p.path("firmwareVersion").asText("");
                LOG.info("BootNotification from {} ({} {} {}): {}", cp.id(), vendor, model, fw, status);
                after.add(() -> cp.booted(status, vendor, model, fw));
            }
            case "Heartbeat" -> out.put("currentTime", now());
            case "StatusNotification" -> {
                int connectorId = p.get("connectorId").intValue();
                after.add(() -> cp.statusNotification(connectorId, p.get("status").asText(), p.get("errorCode").asText()));
            }
            case "Authorize" -> out.set("idTagInfo", idTagInfo(cp.id(), p.get("idTag").asText()));
            case "StartTransaction" -> {
                int connectorId = p.get("connectorId").intValue();
                if (!cp.hasConnector(connectorId)) {
                    throw new ViolationException(ErrorCode.PropertyConstraintViolation,
                            "connectorId " + connectorId + " is not a connector of " + cp.id());
                }
                String idTag = p.get("idTag").asText();
                ObjectNode info = idTagInfo(cp.id(), idTag);
                int txId = transactionIds.incrementAndGet();
                out.put("transactionId", txId);
                out.set("idTagInfo", info);
                Instant start = OffsetDateTime.parse(p.get("timestamp").asText()).toInstant();
                double meterStart = p.get("meterStart").intValue();
                // the charger runs the transaction whatever the tag's status (it stops it itself when not Accepted)
                after.add(() -> cp.transactionStarted(connectorId, txId, idTag, start, meterStart));
            }
            case "StopTransaction" -> {
                int txId = p.get("transactionId").intValue();
                double meterStop = p.get("meterStop").intValue();
                if (p.hasNonNull("idTag")) {
                    out.set("idTagInfo", idTagInfo(cp.id(), p.get("idTag").asText()));
                }
                MeterValueReader.Sample data = p.hasNonNull("transactionData")
                        ? MeterValueReader.read(p.get("transactionData"), cp.chargePointSettings().phases()) : null;
                after.add(() -> {
                    if (cp.transactionStopped(txId, meterStop, data) == 0) {
                        LOG.info("{}: StopTransaction for transaction {}, which is not running here", cp.id(), txId);
                    }
                });
            }
            case "MeterValues" -> {
                int connectorId = p.get("connectorId").intValue();
                List<org.fusebox.api.units.Phase> phases = cp.hasConnector(connectorId)
                        ? cp.connectors().get(connectorId - 1).phases() : List.of();
                MeterValueReader.Sample sample = MeterValueReader.read(p.get("meterValue"), phases);
                Integer txId = p.hasNonNull("transactionId") ? p.get("transactionId").intValue() : null;
                after.add(() -> cp.meterValues(connectorId, connectorId == 0 ? null : txId, sample));
            }
            case "DataTransfer" -> {
                String vendorId = p.get("vendorId").asText();
                DataTransferHandler h = dataTransfer.apply(vendorId);
                DataTransferResult r = null;
                if (h != null) {
                    try {
                        r = h.handle(cp.id(), p.path("messageId").isMissingNode() ? null : p.get("messageId").asText(),
                                p.path("data").isMissingNode() ? null : p.get("data").asText());
                    } catch (RuntimeException e) {
                        LOG.warn("DataTransfer handler for {} failed: {}", vendorId, e.toString());
                        r = new DataTransferResult("Rejected", null);
                    }
                }
                if (r == null) {
                    r = new DataTransferResult("UnknownVendorId", null);
                }
                out.put("status", r.status());
                if (r.data() != null) {
                    out.put("data", r.data());
                }
            }
            default -> throw new ViolationException(ErrorCode.NotImplemented, "unknown action " + action);
        }
        return out;
    }

    private ObjectNode idTagInfo(String chargePointId, String idTag) {
        OcppSettings s = settings;
        IdTagStatus status = s.idTags.get(idTag.toUpperCase(Locale.ROOT));
        if (status == null) {
            Authorizer a = authorizer.get();
            if (a != null) {
                try {
                    status = a.authorize(chargePointId, idTag);
                } catch (RuntimeException e) {
                    LOG.warn("Authorizer failed for a tag from {}: {}", chargePointId, e.toString());
                }
            }
        }
        if (status == null) {
            status = s.acceptAnyIdTag ? IdTagStatus.Accepted : IdTagStatus.Invalid;
        }
        return JsonNodeFactory.instance.objectNode().put("status", status.name());
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    // ---- outgoing ----

    @Override
    public CompletableFuture<JsonNode> sendProfile(ChargePoint cp, int connectorId, LimitProfile profile) {
        ChargePointLink l = cp.link();
        if (l == null) {
            return CompletableFuture.failedFuture(new CallFailedException(CallFailedException.Reason.NOT_CONNECTED,
                    cp.id() + " is not connected"));
        }
        OcppSettings s = settings;
        // no retry: by the time one would go out, the newest limit is the one worth sending (ChargePoint.apply)
        return l.call("SetChargingProfile", ProfileBuilder.setChargingProfile(connectorId, profile, clock.instant(),
                s.profileValiditySeconds), s.profileCallTimeoutMillis, 0, true);
    }

    @Override
    public long nanoTime() {
        return limitNanoTime.getAsLong();
    }

    /** For tests: the time the limit policy runs on. */
    void limitNanoTime(java.util.function.LongSupplier nanoTime) {
        this.limitNanoTime = nanoTime;
    }

    @Override
    public void configure(ChargePoint cp, boolean clearStaleProfiles) {
        ChargePointLink l = cp.link();
        if (l != null) {
            new ChargerConfigurator(cp, l, settings).start(clearStaleProfiles);
        }
    }

    @Override
    public void triggerMeterValues(ChargePoint cp, int connectorId) {
        ChargePointLink l = cp.link();
        if (l != null) {
            l.call("TriggerMessage", obj().put("requestedMessage", "MeterValues").put("connectorId", connectorId))
                    .whenComplete((a, e) -> LOG.debug("{}: TriggerMessage MeterValues {}: {}", cp.id(), connectorId,
                            e != null ? e.toString() : a.path("status").asText()));
        }
    }

    private CompletionStage<CallResult> call(String chargePointId, String action, ObjectNode payload) {
        Known k = chargePoints.get(chargePointId);
        ChargePointLink l = k == null ? null : k.chargePoint().link();
        if (l == null) {
            return CompletableFuture.failedFuture(new CallFailedException(CallFailedException.Reason.NOT_CONNECTED,
                    "charge point " + chargePointId + " is not connected"));
        }
        boolean triggersBoot = "TriggerMessage".equals(action) && "BootNotification".equals(payload.path("requestedMessage").asText());
        if (!k.chargePoint().ready() && !triggersBoot) {
            return CompletableFuture.failedFuture(new CallFailedException(CallFailedException.Reason.NOT_CONNECTED,
                    "charge point " + chargePointId + " has not booted on this connection yet"));
        }
        return l.call(action, payload).thenApply(answer -> new CallResult(action, answer.path("status").asText(""), answer.toString()));
    }

    private static CompletionStage<CallResult> invalid(String why) {
        return CompletableFuture.failedFuture(new CallFailedException(CallFailedException.Reason.INVALID_REQUEST, why));
    }

    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    @Override
    public List<ChargePointView> chargePoints() {
        return chargePoints.values().stream().map(k -> k.chargePoint().view())
                .sorted(Comparator.comparing(ChargePointView::id)).toList();
    }

    @Override
    public Optional<ChargePointView> chargePoint(String chargePointId) {
        Known k = chargePoints.get(chargePointId);
        return k == null ? Optional.empty() : Optional.of(k.chargePoint().view());
    }

    @Override
    public CompletionStage<CallResult> setChargingProfile(String chargePointId, int connectorId, LimitProfile profile) {
        if (profile == null || connectorId < 0) {
            return invalid("a profile and a connectorId of 0 or more are required");
        }
        if (profile.purpose() == ProfilePurpose.ChargePointMaxProfile && connectorId != 0) {
            return invalid("a ChargePointMaxProfile goes to connector 0");
        }
        return call(chargePointId, "SetChargingProfile", ProfileBuilder.setChargingProfile(connectorId, profile, clock.instant()));
    }

    @Override
    public CompletionStage<CallResult> clearChargingProfile(String chargePointId, Integer profileId, Integer connectorId,
            ProfilePurpose purpose, Integer stackLevel) {
        ObjectNode p = obj();
        if (profileId != null) {
            p.put("id", profileId);
        }
        if (connectorId != null) {
            p.put("connectorId", connectorId);
        }
        if (purpose != null) {
            p.put("chargingProfilePurpose", purpose.name());
        }
        if (stackLevel != null) {
            p.put("stackLevel", stackLevel);
        }
        return call(chargePointId, "ClearChargingProfile", p);
    }

    @Override
    public CompletionStage<CallResult> getCompositeSchedule(String chargePointId, int connectorId, int durationSeconds, RateUnit unit) {
        if (connectorId < 0 || durationSeconds < 0) {
            return invalid("connectorId and duration must be 0 or more");
        }
        ObjectNode p = obj().put("connectorId", connectorId).put("duration", durationSeconds);
        if (unit != null) {
            p.put("chargingRateUnit", unit.name());
        }
        return call(chargePointId, "GetCompositeSchedule", p);
    }

    @Override
    public CompletionStage<CallResult> remoteStartTransaction(String chargePointId, String idTag, Integer connectorId) {
        if (idTag == null || idTag.isEmpty() || idTag.length() > 20) {
            return invalid("idTag must be 1 to 20 characters");
        }
        if (connectorId != null && connectorId < 1) {
            return invalid("connectorId must be 1 or more");
        }
        ObjectNode p = obj().put("idTag", idTag);
        if (connectorId != null) {
            p.put("connectorId", connectorId);
        }
        return call(chargePointId, "RemoteStartTransaction", p);
    }

    @Override
    public CompletionStage<CallResult> remoteStopTransaction(String chargePointId, int transactionId) {
        return call(chargePointId, "RemoteStopTransaction", obj().put("transactionId", transactionId));
    }

    @Override
    public CompletionStage<CallResult> changeConfiguration(String chargePointId, String key, String value) {
        if (key == null || key.isEmpty() || key.length() > 50 || value == null || value.length() > 500) {
            return invalid("key must be 1 to 50 characters and value at most 500");
        }
        return call(chargePointId, "ChangeConfiguration", obj().put("key", key).put("value", value));
    }

    @Override
    public CompletionStage<CallResult> getConfiguration(String chargePointId, List<String> keys) {
        ObjectNode p = obj();
        if (keys != null && !keys.isEmpty()) {
            for (String k : keys) {
                if (k == null || k.isEmpty() || k.length() > 50) {
                    return invalid("every key must be 1 to 50 characters");
                }
            }
            keys.forEach(p.putArray("key")::add);
        }
        return call(chargePointId, "GetConfiguration", p);
    }

    private static final List<String> TRIGGERABLE = List.of("BootNotification", "DiagnosticsStatusNotification",
            "FirmwareStatusNotification", "Heartbeat", "MeterValues", "StatusNotification");

    @Override
    public CompletionStage<CallResult> triggerMessage(String chargePointId, String requestedMessage, Integer connectorId) {
        if (!TRIGGERABLE.contains(requestedMessage)) {
            return invalid("requestedMessage must be one of " + TRIGGERABLE);
        }
        ObjectNode p = obj().put("requestedMessage", requestedMessage);
        if (connectorId != null) {
            p.put("connectorId", connectorId);
        }
        return call(chargePointId, "TriggerMessage", p);
    }

    @Override
    public CompletionStage<CallResult> reset(String chargePointId, boolean hard) {
        return call(chargePointId, "Reset", obj().put("type", hard ? "Hard" : "Soft"));
    }

    @Override
    public CompletionStage<CallResult> unlockConnector(String chargePointId, int connectorId) {
        if (connectorId < 1) {
            return invalid("connectorId must be 1 or more");
        }
        return call(chargePointId, "UnlockConnector", obj().put("connectorId", connectorId));
    }

    @Override
    public CompletionStage<CallResult> changeAvailability(String chargePointId, int connectorId, boolean operative) {
        if (connectorId < 0) {
            return invalid("connectorId must be 0 or more");
        }
        return call(chargePointId, "ChangeAvailability",
                obj().put("connectorId", connectorId).put("type", operative ? "Operative" : "Inoperative"));
    }
}
