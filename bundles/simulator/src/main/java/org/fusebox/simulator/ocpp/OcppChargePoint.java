package org.fusebox.simulator.ocpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.simulator.ocpp.ChargingProfile.Purpose;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated charger as an OCPP 1.6J charge point: a WebSocket client of a central system at
 * {@code <url>/<chargePointId>} with the subprotocol ocpp1.6. The EV physics stay in the simulation; this
 * class reports what happens there (status, transactions, meter values) and takes the central system's
 * orders (charging profiles, remote start and stop, availability, reset).
 *
 * <p>Threads: all OCPP state is confined to one executor thread shared by the simulated charge points.
 * The simulation thread hands in {@link #observe} after each step and reads {@link #limitAmps} before each;
 * the limit comes from an immutable {@link LimitState} published through a volatile field.
 *
 * <p>Like a real charge point it sends one call at a time and waits for the answer; transaction messages
 * (StartTransaction, StopTransaction, MeterValues of a transaction) wait in a queue while the connection is
 * down and go out after it returns; status and heartbeats are not queued, a fresh status is sent instead.
 */
public final class OcppChargePoint {

    public static final String SUBPROTOCOL = "ocpp1.6";
    static final String VENDOR = "Fusebox";
    static final String MODEL = "Simulated AC";
    static final int CONNECTOR_ID = 1;
    /** Transaction meter values kept while offline; the oldest go first beyond this. */
    static final int MAX_QUEUED_METER_VALUES = 200;
    static final int MAX_PROFILES = 20;
    static final int MAX_PERIODS = 48;
    static final int MAX_STACK_LEVEL = 100;
    static final String[] MEASURANDS = { "Energy.Active.Import.Register", "Power.Active.Import", "Current.Import", "SoC" };

    private static final Logger LOG = LoggerFactory.getLogger(OcppChargePoint.class);
    private static final String[] PHASES = { "L1", "L2", "L3" };

    /** Where the charge point is in its life with the central system. */
    public enum Connection {
        /** Opening the WebSocket. */
        CONNECTING,
        /** Open, BootNotification sent or about to be. */
        BOOTING,
        /** The central system answered Pending; BootNotification again after its interval. */
        PENDING,
        /** The central system answered Rejected; BootNotification again after its interval. */
        REJECTED,
        /** Registered and working. */
        ACCEPTED,
        /** The socket is down; a new attempt is scheduled. */
        DISCONNECTED,
        STOPPED
    }

    /**
     * What the health check shows.
     *
     * @param connection where it stands
     * @param since      wall-clock time it got there
     * @param lastError  the last thing that went wrong, or empty
     */
    public record Status(Connection connection, Instant since, String lastError) {
    }

    /**
     * The inputs of the limit decision, replaced as a whole by the OCPP thread.
     *
     * @param disconnectedSinceNanos real time the connection was lost (or never made), {@code null} while connected
     * @param failsafeLatched        the connection was lost longer than the failsafe timeout and no profile came since
     * @param clockAt                the charge point's clock at {@code clockNanos}: set from the central system's time
     */
    record LimitState(ChargingProfiles profiles, Integer transactionId, Instant transactionStart,
            Long disconnectedSinceNanos, boolean failsafeLatched, Instant clockAt, long clockNanos) {

        Instant clock(long realNanos) {
            return clockAt.plusNanos(realNanos - clockNanos);
        }
    }

    /** A call to the central system, waiting or in flight. */
    private static final class Outgoing {
        final String action;
        /** Built when sent, so a transaction id that arrived meanwhile is in it; null means nothing to send any more. */
        final Supplier<ObjectNode> payload;
        final boolean transactional;
        final Consumer<JsonNode> onResult;
        /** Called when the call is given up (error, timeout, or dropped with the connection). */
        final Runnable onFailure;

        Outgoing(String action, Supplier<ObjectNode> payload, boolean transactional, Consumer<JsonNode> onResult,
                Runnable onFailure) {
            this.action = action;
            this.payload = payload;
            this.transactional = transactional;
            this.onResult = onResult;
            this.onFailure = onFailure;
        }
    }

    /** A reboot waiting behind the messages queued before it (the StopTransaction of a Reset). */
    private static final String REBOOT = "(reboot)";

    /** The transaction running on the connector. */
    private static final class Transaction {
        final String sessionId;
        final String idTag;
        final long meterStartWh;
        final Instant startedAt;
        Integer transactionId;
        Instant nextMeterValues;

        Transaction(String sessionId, String idTag, long meterStartWh, Instant startedAt) {
            this.sessionId = sessionId;
            this.idTag = idTag;
            this.meterStartWh = meterStartWh;
            this.startedAt = startedAt;
        }
    }

    private final String id;
    private final URI uri;
    private final String password;
    private final int phases;
    private final double volts;
    private final double failsafeAmps;
    private final long failsafeNanos;
    private final OcppTiming timing;
    private final ChargerCommands commands;
    private final LongSupplier realNanos;
    private final ScheduledExecutorService executor;

    private volatile LimitState limitState;
    private volatile Status status;

    // ---- confined to the executor thread ----
    private WebSocketClient socket;
    private boolean open;
    private boolean stopped;
    private int failures;
    private ScheduledFuture<?> reconnectTask;
    private ScheduledFuture<?> heartbeatTask;
    private ScheduledFuture<?> bootRetryTask;
    private ScheduledFuture<?> callTimeoutTask;
    private boolean bootAccepted;
    private boolean bootDue;
    private boolean rebooting;
    private boolean quickReconnect;
    private final Deque<Outgoing> queue = new ArrayDeque<>();
    private Outgoing inFlight;
    private String inFlightId;
    private long nextUniqueId;
    private ChargerView latest;
    private Transaction tx;
    /** The session an authorisation was asked (or decided) for, so it is asked once. */
    private String handledSession;
    private boolean endSampleDue;
    private String sentStatus;
    private boolean chargePointOperative = true;
    private int heartbeatSeconds;
    private int meterValueSeconds;

    /**
     * @param centralSystem    the central system's URL without the charge point id, e.g. ws://127.0.0.1:8887/ocpp
     * @param password         HTTP Basic auth password (user = charge point id), empty for none
     * @param meterValueSeconds simulated seconds between MeterValues of a transaction
     * @param failsafeTimeout  real time without a connection after which the charger falls back to its failsafe current
     */
    public OcppChargePoint(String id, URI centralSystem, String password, int phases, double volts, double failsafeAmps,
            Duration failsafeTimeout, int meterValueSeconds, OcppTiming timing, ChargerCommands commands,
            LongSupplier realNanos, ScheduledExecutorService executor) {
        this.id = Objects.requireNonNull(id, "id");
        String base = centralSystem.toString();
        this.uri = URI.create((base.endsWith("/") ? base : base + "/") + id);
        this.password = password == null ? "" : password;
        this.phases = phases;
        this.volts = volts;
        this.failsafeAmps = failsafeAmps;
        this.failsafeNanos = failsafeTimeout.toNanos();
        this.meterValueSeconds = meterValueSeconds;
        this.timing = timing;
        this.commands = commands;
        this.realNanos = realNanos;
        this.executor = executor;
        long now = realNanos.getAsLong();
        this.limitState = new LimitState(ChargingProfiles.NONE, null, null, now, false, Instant.now(), now);
        this.status = new Status(Connection.CONNECTING, Instant.now(), "");
    }

    public String id() {
        return id;
    }

    public URI uri() {
        return uri;
    }

    public Status status() {
        return status;
    }

    /** The profiles it holds now. */
    public ChargingProfiles profiles() {
        return limitState.profiles();
    }

    /** The OCPP transaction id running now, or {@code null}. */
    public Integer transactionId() {
        return limitState.transactionId();
    }

    /** One line for the health check. */
    public String describe() {
        Status s = status;
        String line = id + " OCPP " + s.connection() + " since " + s.since().truncatedTo(ChronoUnit.SECONDS) + " ("
                + uri + ")";
        return s.lastError().isEmpty() ? line : line + ", last error: " + s.lastError();
    }

    /** Starts connecting. */
    public void start() {
        executor.execute(this::connect);
    }

    /** Closes the connection and stops every timer; the charge point does not come back. */
    public void stop() {
        executor.execute(() -> {
            stopped = true;
            cancel(reconnectTask);
            cancel(heartbeatTask);
            cancel(bootRetryTask);
            cancel(callTimeoutTask);
            if (socket != null) {
                socket.close(CloseFrame.GOING_AWAY, "simulator stopped");
                socket = null;
            }
            setStatus(Connection.STOPPED, status.lastError());
        });
    }

    /**
     * The limit the charger applies now, in amps per phase: the charging profile in force, or the failsafe
     * current when none is, or when the central system has been out of reach for longer than the failsafe
     * timeout and has sent no profile since. Called on the simulation thread.
     */
    public double limitAmps(long now) {
        LimitState s = limitState;
        if (s.failsafeLatched()) {
            return failsafeAmps;
        }
        if (s.disconnectedSinceNanos() != null && now - s.disconnectedSinceNanos() > failsafeNanos) {
            return failsafeAmps;
        }
        OptionalDouble l = s.profiles().limitAmps(s.clock(now), s.transactionId(), s.transactionStart(), phases, volts);
        return l.orElse(failsafeAmps);
    }

    /** What the simulated charger did in the last step. Called on the simulation thread. */
    public void observe(ChargerView view) {
        executor.execute(() -> observed(view));
    }

    // ---- connection ----

    private void connect() {
        reconnectTask = null;
        if (stopped) {
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (!password.isEmpty()) {
            String credentials = id + ":" + password;
            headers.put("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        Draft_6455 draft = new Draft_6455(List.<IExtension>of(), List.<IProtocol>of(new Protocol(SUBPROTOCOL)));
        Client c = new Client(uri, draft, headers, (int) timing.connectTimeout().toMillis());
        c.setDaemon(true);
        socket = c;
        setStatus(Connection.CONNECTING, status.lastError());
        c.connect();
    }

    private final class Client extends WebSocketClient {
        Client(URI uri, Draft_6455 draft, Map<String, String> headers, int timeoutMillis) {
            super(uri, draft, headers, timeoutMillis);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            run(() -> opened(this));
        }

        @Override
        public void onMessage(String message) {
            run(() -> received(this, message));
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            run(() -> closed(this, code, reason));
        }

        @Override
        public void onError(Exception ex) {
            run(() -> {
                if (socket == this) {
                    lastError(ex.getMessage() == null ? ex.toString() : ex.getMessage());
                }
            });
        }

        private void run(Runnable r) {
            try {
                executor.execute(r);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the simulation is stopping
            }
        }
    }

    private void opened(WebSocketClient c) {
        if (c != socket || stopped) {
            c.close();
            return;
        }
        if (c.getProtocol() == null || !SUBPROTOCOL.equals(c.getProtocol().getProvidedProtocol())) {
            lastError("the central system did not agree to the " + SUBPROTOCOL + " subprotocol");
            c.close(CloseFrame.PROTOCOL_ERROR, "ocpp1.6 required");
            return;
        }
        open = true;
        failures = 0;
        LimitState s = limitState;
        long now = realNanos.getAsLong();
        boolean latch = s.failsafeLatched()
                || s.disconnectedSinceNanos() != null && now - s.disconnectedSinceNanos() > failsafeNanos;
        limitState = new LimitState(s.profiles(), s.transactionId(), s.transactionStart(), null, latch, s.clockAt(),
                s.clockNanos());
        LOG.info("{} connected to {}", id, uri);
        if (bootAccepted) {
            setStatus(Connection.ACCEPTED, "");
            sendStatuses(true);
            startHeartbeat();
            if (latest != null) {
                observed(latest);
            }
        } else {
            setStatus(Connection.BOOTING, status.lastError());
            bootDue = true;
        }
        pump();
    }

    private void closed(WebSocketClient c, int code, String reason) {
        if (c != socket) {
            return;
        }
        socket = null;
        boolean wasOpen = open;
        open = false;
        cancel(heartbeatTask);
        cancel(bootRetryTask);
        cancel(callTimeoutTask);
        bootDue = false;
        LimitState s = limitState;
        if (s.disconnectedSinceNanos() == null) {
            limitState = new LimitState(s.profiles(), s.transactionId(), s.transactionStart(), realNanos.getAsLong(),
                    s.failsafeLatched(), s.clockAt(), s.clockNanos());
        }
        // what was in flight is lost with the socket; transaction messages are sent again, the rest is not
        if (inFlight != null) {
            Outgoing o = inFlight;
            inFlight = null;
            inFlightId = null;
            if (o.transactional) {
                queue.addFirst(o);
            } else {
                o.onFailure.run();
            }
        }
        for (Iterator<Outgoing> it = queue.iterator(); it.hasNext();) {
            Outgoing o = it.next();
            if (!o.transactional && o.action != REBOOT) {
                it.remove();
                o.onFailure.run();
            }
        }
        if (stopped) {
            return;
        }
        if (wasOpen && !quickReconnect) {
            lastError("connection closed: " + code + (reason == null || reason.isEmpty() ? "" : " " + reason));
            LOG.warn("{}: connection to {} lost ({} {})", id, uri, code, reason);
        }
        setStatus(Connection.DISCONNECTED, status.lastError());
        Duration wait = quickReconnect ? timing.reconnectMin() : timing.backoff(failures++);
        quickReconnect = false;
        reconnectTask = executor.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---- outgoing calls ----

    private void enqueue(Outgoing o) {
        queue.addLast(o);
        if ("MeterValues".equals(o.action) && o.transactional) {
            long count = queue.stream().filter(q -> "MeterValues".equals(q.action)).count();
            if (count > MAX_QUEUED_METER_VALUES) {
                for (Iterator<Outgoing> it = queue.iterator(); it.hasNext();) {
                    if ("MeterValues".equals(it.next().action)) {
                        it.remove();
                        break;
                    }
                }
            }
        }
        pump();
    }

    private void enqueue(String action, Supplier<ObjectNode> payload, boolean transactional, Consumer<JsonNode> onResult) {
        enqueue(new Outgoing(action, payload, transactional, onResult, () -> { }));
    }

    /** Sends the next call when the socket is open and no call awaits its answer. */
    private void pump() {
        while (socket != null && open && inFlight == null) {
            if (!bootAccepted) {
                if (bootDue) {
                    bootDue = false;
                    send(bootNotification());
                }
                return;
            }
            Outgoing next = queue.pollFirst();
            if (next == null) {
                return;
            }
            if (next.action == REBOOT) {
                reboot();
                return;
            }
            if (send(next)) {
                return;
            }
        }
    }

    /** @return false when the call turned out to have nothing to send */
    private boolean send(Outgoing o) {
        ObjectNode payload = o.payload.get();
        if (payload == null) {
            return false;
        }
        String uniqueId = Long.toString(++nextUniqueId);
        inFlight = o;
        inFlightId = uniqueId;
        socket.send(OcppJson.call(uniqueId, o.action, payload));
        callTimeoutTask = executor.schedule(() -> timedOut(uniqueId), timing.callTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        return true;
    }

    private void timedOut(String uniqueId) {
        if (!uniqueId.equals(inFlightId)) {
            return;
        }
        Outgoing o = inFlight;
        inFlight = null;
        inFlightId = null;
        lastError("no answer to " + o.action + " within " + timing.callTimeout().toSeconds() + " s");
        if (o.transactional) {
            queue.addFirst(o);
        } else {
            o.onFailure.run();
        }
        pump();
    }

    private void answered(OcppJson.Frame frame) {
        if (inFlightId == null || !inFlightId.equals(frame.uniqueId())) {
            LOG.debug("{}: answer to unknown call {}", id, frame.uniqueId());
            return;
        }
        Outgoing o = inFlight;
        inFlight = null;
        inFlightId = null;
        cancel(callTimeoutTask);
        if (frame instanceof OcppJson.Result r) {
            try {
                o.onResult.accept(r.payload());
            } catch (RuntimeException e) {
                lastError("answer to " + o.action + " not understood: " + e.getMessage());
                LOG.warn("{}: answer to {} not understood: {}", id, o.action, e.toString());
                o.onFailure.run();
            }
        } else if (frame instanceof OcppJson.Error e) {
            lastError(o.action + " answered with CALLERROR " + e.code() + " " + e.description());
            LOG.warn("{}: {} answered with CALLERROR {} {}", id, o.action, e.code(), e.description());
            o.onFailure.run();
        }
        pump();
    }

    // ---- boot, heartbeat, clock ----

    private Outgoing bootNotification() {
        Supplier<ObjectNode> payload = () -> OcppJson.object().put("chargePointVendor", VENDOR).put("chargePointModel", MODEL)
                .put("chargePointSerialNumber", id.length() <= 25 ? id : id.substring(id.length() - 25))
                .put("firmwareVersion", "simulator");
        return new Outgoing("BootNotification", payload, false, this::bootAnswered, () -> retryBoot(0));
    }

    private void bootAnswered(JsonNode answer) {
        String result = answer.path("status").asText();
        int interval = answer.path("interval").asInt(0);
        syncClock(answer);
        switch (result) {
            case "Accepted" -> {
                boolean first = !bootAccepted;
                bootAccepted = true;
                if (interval > 0) {
                    heartbeatSeconds = interval;
                }
                setStatus(Connection.ACCEPTED, "");
                LOG.info("{}: BootNotification accepted, heartbeat every {} s", id, heartbeatSeconds);
                startHeartbeat();
                if (first) {
                    sendStatuses(true);
                }
                if (latest != null) {
                    observed(latest); // an EV may be waiting for its authorisation
                }
            }
            case "Pending", "Rejected" -> {
                setStatus("Pending".equals(result) ? Connection.PENDING : Connection.REJECTED, "BootNotification " + result);
                retryBoot(interval);
            }
            default -> {
                lastError("BootNotification answered with status '" + result + "'");
                retryBoot(interval);
            }
        }
    }

    private void retryBoot(int intervalSeconds) {
        if (bootAccepted || stopped) {
            return;
        }
        Duration wait = intervalSeconds > 0 ? Duration.ofSeconds(intervalSeconds) : timing.bootRetryDefault();
        cancel(bootRetryTask);
        bootRetryTask = executor.schedule(() -> {
            bootDue = true;
            pump();
        }, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void startHeartbeat() {
        cancel(heartbeatTask);
        heartbeatTask = null;
        if (heartbeatSeconds > 0) {
            heartbeatTask = executor.scheduleWithFixedDelay(this::heartbeat, heartbeatSeconds, heartbeatSeconds,
                    TimeUnit.SECONDS);
        }
    }

    private void heartbeat() {
        if (queue.stream().noneMatch(o -> "Heartbeat".equals(o.action))) {
            enqueue("Heartbeat", OcppJson::object, false, this::syncClock);
        }
    }

    /** Sets the charge point's clock from the central system's currentTime, as a real one does. */
    private void syncClock(JsonNode answer) {
        String t = answer.path("currentTime").asText("");
        if (t.isEmpty()) {
            return;
        }
        try {
            Instant cs = OffsetDateTime.parse(t).toInstant();
            LimitState s = limitState;
            limitState = new LimitState(s.profiles(), s.transactionId(), s.transactionStart(), s.disconnectedSinceNanos(),
                    s.failsafeLatched(), cs, realNanos.getAsLong());
        } catch (DateTimeParseException e) {
            lastError("currentTime '" + t + "' is not a date-time");
        }
    }

    private Instant chargerClock() {
        return limitState.clock(realNanos.getAsLong());
    }

    // ---- what the simulation did ----

    private void observed(ChargerView view) {
        latest = view;
        if (stopped) {
            return;
        }
        Transaction t = tx;
        if (t != null && (!t.sessionId.equals(view.sessionId()) || !view.evWaiting())) {
            stopTransaction("EVDisconnected");
        }
        sendStatuses(false);
        if (tx == null && view.evWaiting() && !view.sessionId().equals(handledSession) && bootAccepted && open
                && !rebooting && view.state() == ConnectorState.PREPARING) {
            authorise(view.sessionId(), view.idTag());
        }
        t = tx;
        if (t != null && t.transactionId != null && !view.now().isBefore(t.nextMeterValues)) {
            t.nextMeterValues = view.now().plusSeconds(meterValueSeconds);
            enqueue(meterValues(t, "Sample.Periodic"));
        }
        if (endSampleDue && view.watts() == 0) {
            endSampleDue = false;
            enqueue(meterValues(null, "Transaction.End"));
        }
    }

    /** StatusNotification for connector 1 when its status changed; with {@code all}, for 0 and 1 whatever they were. */
    private void sendStatuses(boolean all) {
        if (latest == null || !bootAccepted || !open) {
            return;
        }
        if (all) {
            sendStatus(0, chargePointOperative ? "Available" : "Unavailable");
        }
        String s = ocppStatus(latest.state());
        if (all || !s.equals(sentStatus)) {
            sentStatus = s;
            sendStatus(CONNECTOR_ID, s);
        }
    }

    private void sendStatus(int connectorId, String ocppStatus) {
        Instant at = latest == null ? chargerClock() : latest.now();
        enqueue("StatusNotification", () -> OcppJson.object().put("connectorId", connectorId).put("errorCode", "NoError")
                .put("status", ocppStatus).put("timestamp", timestamp(at)), false, r -> { });
    }

    static String ocppStatus(ConnectorState state) {
        return switch (state) {
            case AVAILABLE -> "Available";
            case PREPARING -> "Preparing";
            case CHARGING -> "Charging";
            case SUSPENDED_EV -> "SuspendedEV";
            case SUSPENDED_EVSE -> "SuspendedEVSE";
            case FINISHING -> "Finishing";
            case RESERVED -> "Reserved";
            case UNAVAILABLE -> "Unavailable";
            case FAULTED -> "Faulted";
        };
    }

    private void authorise(String sessionId, String idTag) {
        handledSession = sessionId;
        enqueue(new Outgoing("Authorize", () -> OcppJson.object().put("idTag", idTag), false, answer -> {
            String result = answer.path("idTagInfo").path("status").asText();
            if (tx != null || !sessionId.equals(handledSession)) {
                return; // started remotely meanwhile, or the EV is gone
            }
            if ("Accepted".equals(result)) {
                beginTransaction(sessionId, idTag);
            } else {
                LOG.info("{}: id tag {} not authorised ({}); the EV leaves", id, idTag, result);
                commands.endSession(sessionId);
            }
        }, () -> {
            if (sessionId.equals(handledSession) && tx == null) {
                handledSession = null; // ask again when the connection allows
            }
        }));
    }

    private void beginTransaction(String sessionId, String idTag) {
        ChargerView v = latest;
        if (tx != null || v == null || !sessionId.equals(v.sessionId()) || !v.evWaiting()) {
            return;
        }
        handledSession = sessionId;
        Transaction t = new Transaction(sessionId, idTag, Math.round(v.meterWattHours()), v.now());
        t.nextMeterValues = v.now().plusSeconds(meterValueSeconds);
        tx = t;
        LimitState s = limitState;
        limitState = new LimitState(s.profiles(), null, chargerClock(), s.disconnectedSinceNanos(), s.failsafeLatched(),
                s.clockAt(), s.clockNanos());
        commands.authorise(sessionId);
        enqueue("StartTransaction", () -> OcppJson.object().put("connectorId", CONNECTOR_ID).put("idTag", idTag)
                .put("meterStart", t.meterStartWh).put("timestamp", timestamp(t.startedAt)), true, answer -> {
                    t.transactionId = answer.path("transactionId").asInt();
                    if (tx == t) {
                        LimitState l = limitState;
                        limitState = new LimitState(l.profiles(), t.transactionId, l.transactionStart(),
                                l.disconnectedSinceNanos(), l.failsafeLatched(), l.clockAt(), l.clockNanos());
                    }
                    String result = answer.path("idTagInfo").path("status").asText();
                    LOG.info("{}: transaction {} started for {} ({})", id, t.transactionId, idTag, result);
                    if (!"Accepted".equals(result) && tx == t) {
                        commands.endSession(sessionId);
                        stopTransaction("DeAuthorized");
                    }
                });
        enqueue(meterValues(t, "Transaction.Begin"));
    }

    private void stopTransaction(String reason) {
        Transaction t = tx;
        if (t == null) {
            return;
        }
        tx = null;
        LimitState s = limitState;
        limitState = new LimitState(s.profiles().withoutTxProfiles(), null, null, s.disconnectedSinceNanos(),
                s.failsafeLatched(), s.clockAt(), s.clockNanos());
        ChargerView v = latest;
        long meterStop = Math.max(t.meterStartWh, Math.round(v.meterWattHours()));
        Instant at = v.now();
        enqueue("StopTransaction", () -> {
            if (t.transactionId == null) {
                return null; // its StartTransaction was refused: there is no transaction to stop
            }
            return OcppJson.object().put("transactionId", t.transactionId).put("idTag", t.idTag).put("meterStop", meterStop)
                    .put("timestamp", timestamp(at)).put("reason", reason);
        }, true, r -> { });
        endSampleDue = true;
        LOG.info("{}: transaction {} stopped ({})", id, t.transactionId, reason);
    }

    /** MeterValues of transaction {@code t}, or of the connector outside any transaction when {@code t} is null. */
    private Outgoing meterValues(Transaction t, String context) {
        ChargerView v = latest;
        ObjectNode sample = OcppJson.object().put("timestamp", timestamp(v.now()));
        ArrayNode values = sample.putArray("sampledValue");
        values.add(sampled(String.format(Locale.ROOT, "%.0f", v.meterWattHours()), context,
                "Energy.Active.Import.Register", null, "Outlet", "Wh"));
        values.add(sampled(String.format(Locale.ROOT, "%.0f", v.watts()), context, "Power.Active.Import", null, "Outlet", "W"));
        for (int i = 0; i < 3; i++) {
            values.add(sampled(String.format(Locale.ROOT, "%.1f", v.amps()[i]), context, "Current.Import", PHASES[i],
                    "Outlet", "A"));
        }
        if (t != null && v.socPercent() != null) {
            values.add(sampled(String.format(Locale.ROOT, "%.0f", v.socPercent()), context, "SoC", null, "EV", "Percent"));
        }
        Supplier<ObjectNode> payload = () -> {
            if (t != null && t.transactionId == null) {
                return null;
            }
            ObjectNode p = OcppJson.object().put("connectorId", CONNECTOR_ID);
            if (t != null) {
                p.put("transactionId", t.transactionId);
            }
            p.putArray("meterValue").add(sample);
            return p;
        };
        return new Outgoing("MeterValues", payload, t != null, r -> { }, () -> { });
    }

    private static ObjectNode sampled(String value, String context, String measurand, String phase, String location,
            String unit) {
        ObjectNode n = OcppJson.object().put("value", value).put("context", context).put("measurand", measurand);
        if (phase != null) {
            n.put("phase", phase);
        }
        return n.put("location", location).put("unit", unit);
    }

    private void reboot() {
        LOG.info("{}: rebooting", id);
        bootAccepted = false;
        rebooting = false;
        sentStatus = null;
        quickReconnect = true;
        cancel(heartbeatTask);
        if (socket != null) {
            socket.close(CloseFrame.NORMAL, "reset");
        }
    }

    // ---- incoming ----

    private void received(WebSocketClient c, String text) {
        if (c != socket) {
            return;
        }
        OcppJson.Frame frame;
        try {
            frame = OcppJson.parse(text);
        } catch (OcppJson.BadFrame e) {
            lastError("malformed frame from the central system: " + e.getMessage());
            LOG.warn("{}: malformed frame from the central system: {}", id, e.getMessage());
            if (e.uniqueId() != null) {
                c.send(OcppJson.error(e.uniqueId(), e.code(), e.getMessage()));
            }
            return;
        }
        if (frame instanceof OcppJson.Call call) {
            List<Runnable> after = new java.util.ArrayList<>();
            String answer;
            try {
                answer = OcppJson.result(call.uniqueId(), handle(call.action(), new Payload(call.payload()), after));
            } catch (CallError e) {
                LOG.info("{}: {} from the central system refused: {} {}", id, call.action(), e.code(), e.getMessage());
                answer = OcppJson.error(call.uniqueId(), e.code(), e.getMessage());
                after.clear();
            } catch (RuntimeException e) {
                LOG.error("{}: handling {} failed", id, call.action(), e);
                answer = OcppJson.error(call.uniqueId(), CallError.INTERNAL_ERROR, "internal error");
                after.clear();
            }
            c.send(answer);
            // what an answer announces (a reboot, a triggered message) follows it
            after.forEach(Runnable::run);
            pump();
        } else {
            answered(frame);
        }
    }

    private ObjectNode handle(String action, Payload p, List<Runnable> after) throws CallError {
        return switch (action) {
            case "SetChargingProfile" -> setChargingProfile(p);
            case "ClearChargingProfile" -> clearChargingProfile(p);
            case "GetCompositeSchedule" -> compositeSchedule(p);
            case "RemoteStartTransaction" -> remoteStart(p, after);
            case "RemoteStopTransaction" -> remoteStop(p, after);
            case "ChangeConfiguration" -> changeConfiguration(p);
            case "GetConfiguration" -> getConfiguration(p);
            case "TriggerMessage" -> triggerMessage(p, after);
            case "Reset" -> reset(p, after);
            case "UnlockConnector" -> unlock(p, after);
            case "ChangeAvailability" -> changeAvailability(p, after);
            case "DataTransfer" -> {
                p.requiredString("vendorId", 255);
                yield status("UnknownVendorId");
            }
            default -> throw new CallError(CallError.NOT_IMPLEMENTED, "action '"
                    + (action.length() > 40 ? action.substring(0, 40) + "..." : action) + "' is not implemented");
        };
    }

    private static ObjectNode status(String value) {
        return OcppJson.object().put("status", value);
    }

    private ObjectNode setChargingProfile(Payload p) throws CallError {
        int connectorId = p.requiredInt("connectorId", 0);
        ChargingProfile profile = ChargingProfile.parse(connectorId, p.requiredObject("csChargingProfiles"), chargerClock());
        String refusal = refusal(profile);
        if (refusal != null) {
            LOG.info("{}: SetChargingProfile {} rejected: {}", id, profile.id(), refusal);
            return status("Rejected");
        }
        LimitState s = limitState;
        limitState = new LimitState(s.profiles().install(profile), s.transactionId(), s.transactionStart(),
                s.disconnectedSinceNanos(), false, s.clockAt(), s.clockNanos());
        return status("Accepted");
    }

    /** Why a charging profile cannot be taken, or null. */
    private String refusal(ChargingProfile profile) {
        if (profile.connectorId() > CONNECTOR_ID) {
            return "there is no connector " + profile.connectorId();
        }
        if (profile.stackLevel() > MAX_STACK_LEVEL) {
            return "stack level above " + MAX_STACK_LEVEL;
        }
        if (profile.periods().size() > MAX_PERIODS) {
            return "more than " + MAX_PERIODS + " periods";
        }
        if (limitState.profiles().installed().size() >= MAX_PROFILES
                && limitState.profiles().install(profile).installed().size() > MAX_PROFILES) {
            return "already " + MAX_PROFILES + " profiles installed";
        }
        switch (profile.purpose()) {
            case ChargePointMaxProfile -> {
                if (profile.connectorId() != 0) {
                    return "a ChargePointMaxProfile belongs on connector 0";
                }
            }
            case TxProfile -> {
                if (profile.connectorId() == 0) {
                    return "a TxProfile needs a connector";
                }
                if (tx == null) {
                    return "no transaction is running";
                }
                if (profile.transactionId() != null && !profile.transactionId().equals(tx.transactionId)) {
                    return "transaction " + profile.transactionId() + " is not the running one";
                }
            }
            default -> {
                // TxDefaultProfile: on connector 0 or 1
            }
        }
        return null;
    }

    private ObjectNode clearChargingProfile(Payload p) throws CallError {
        Integer profileId = p.optionalInt("id", Integer.MIN_VALUE);
        Integer connectorId = p.optionalInt("connectorId", 0);
        String purpose = p.optionalEnum("chargingProfilePurpose", "ChargePointMaxProfile", "TxDefaultProfile", "TxProfile");
        Integer stackLevel = p.optionalInt("stackLevel", 0);
        LimitState s = limitState;
        ChargingProfiles next = s.profiles().clear(profileId, connectorId, purpose == null ? null : Purpose.valueOf(purpose),
                stackLevel);
        if (next.installed().size() == s.profiles().installed().size()) {
            return status("Unknown");
        }
        limitState = new LimitState(next, s.transactionId(), s.transactionStart(), s.disconnectedSinceNanos(),
                s.failsafeLatched(), s.clockAt(), s.clockNanos());
        return status("Accepted");
    }

    private ObjectNode compositeSchedule(Payload p) throws CallError {
        int connectorId = p.requiredInt("connectorId", 0);
        int duration = p.requiredInt("duration", 0);
        String unit = p.optionalEnum("chargingRateUnit", "A", "W");
        if (connectorId > CONNECTOR_ID) {
            return status("Rejected");
        }
        boolean watts = "W".equals(unit);
        Instant now = chargerClock().truncatedTo(ChronoUnit.SECONDS);
        LimitState s = limitState;
        ObjectNode out = status("Accepted").put("connectorId", connectorId).put("scheduleStart", timestamp(now));
        ObjectNode schedule = out.putObject("chargingSchedule");
        schedule.put("duration", duration).put("startSchedule", timestamp(now)).put("chargingRateUnit", watts ? "W" : "A");
        ArrayNode periods = schedule.putArray("chargingSchedulePeriod");
        for (ChargingProfiles.CompositePeriod cp : s.profiles().composite(now, duration, s.transactionId(),
                s.transactionStart(), phases, volts, failsafeAmps)) {
            double limit = watts ? cp.amps() * volts * phases : cp.amps();
            periods.addObject().put("startPeriod", cp.startSeconds()).put("limit", Math.round(limit * 10) / 10.0)
                    .put("numberPhases", phases);
        }
        return out;
    }

    private ObjectNode remoteStart(Payload p, List<Runnable> after) throws CallError {
        String idTag = p.requiredString("idTag", 20);
        Integer connectorId = p.optionalInt("connectorId", 1);
        ChargingProfile profile = p.has("chargingProfile")
                ? ChargingProfile.parse(CONNECTOR_ID, p.requiredObject("chargingProfile"), chargerClock()) : null;
        ChargerView v = latest;
        if (connectorId != null && connectorId != CONNECTOR_ID || profile != null && profile.purpose() != Purpose.TxProfile
                || tx != null || v == null || !v.evWaiting() || !bootAccepted) {
            return status("Rejected");
        }
        String sessionId = v.sessionId();
        after.add(() -> {
            beginTransaction(sessionId, idTag);
            if (profile != null && tx != null && tx.sessionId.equals(sessionId)) {
                LimitState s = limitState;
                limitState = new LimitState(s.profiles().install(profile), s.transactionId(), s.transactionStart(),
                        s.disconnectedSinceNanos(), false, s.clockAt(), s.clockNanos());
            }
        });
        return status("Accepted");
    }

    private ObjectNode remoteStop(Payload p, List<Runnable> after) throws CallError {
        int transactionId = p.requiredInt("transactionId", Integer.MIN_VALUE);
        Transaction t = tx;
        if (t == null || t.transactionId == null || t.transactionId != transactionId) {
            return status("Rejected");
        }
        // the charger is told first, so that whoever sees the StopTransaction finds the EV stopped
        after.add(() -> {
            commands.endSession(t.sessionId);
            stopTransaction("Remote");
        });
        return status("Accepted");
    }

    private ObjectNode unlock(Payload p, List<Runnable> after) throws CallError {
        int connectorId = p.requiredInt("connectorId", 0);
        if (connectorId != CONNECTOR_ID) {
            return status("NotSupported");
        }
        ChargerView v = latest;
        after.add(() -> {
            if (tx != null) {
                commands.endSession(tx.sessionId);
                stopTransaction("UnlockCommand");
            } else if (v != null && v.evWaiting()) {
                commands.endSession(v.sessionId());
            }
        });
        return status("Unlocked");
    }

    private ObjectNode changeAvailability(Payload p, List<Runnable> after) throws CallError {
        int connectorId = p.requiredInt("connectorId", 0);
        boolean operative = "Operative".equals(p.requiredEnum("type", "Inoperative", "Operative"));
        if (connectorId > CONNECTOR_ID) {
            return status("Rejected");
        }
        ChargerView v = latest;
        boolean busy = !operative && v != null && v.sessionId() != null;
        after.add(() -> {
            commands.setOperative(operative);
            if (connectorId == 0 && chargePointOperative != operative) {
                chargePointOperative = operative;
                if (bootAccepted && open) {
                    sendStatus(0, operative ? "Available" : "Unavailable");
                }
            }
        });
        // with an EV plugged in, the connector turns Unavailable once it leaves
        return status(busy ? "Scheduled" : "Accepted");
    }

    private ObjectNode reset(Payload p, List<Runnable> after) throws CallError {
        String type = p.requiredEnum("type", "Hard", "Soft");
        after.add(() -> {
            rebooting = true;
            if (tx != null) {
                commands.awaitAuthorisation(tx.sessionId);
                stopTransaction(type + "Reset");
            }
            handledSession = null;
            enqueue(new Outgoing(REBOOT, OcppJson::object, true, r -> { }, () -> { }));
        });
        return status("Accepted");
    }

    private ObjectNode triggerMessage(Payload p, List<Runnable> after) throws CallError {
        String requested = p.requiredEnum("requestedMessage", "BootNotification", "DiagnosticsStatusNotification",
                "FirmwareStatusNotification", "Heartbeat", "MeterValues", "StatusNotification");
        Integer connectorId = p.optionalInt("connectorId", 0);
        if (connectorId != null && connectorId > CONNECTOR_ID) {
            return status("Rejected");
        }
        switch (requested) {
            case "BootNotification" -> after.add(() -> queue.addFirst(bootNotification()));
            case "Heartbeat" -> after.add(() -> enqueue("Heartbeat", OcppJson::object, false, this::syncClock));
            case "MeterValues" -> after.add(() -> {
                if (latest != null) {
                    Transaction t = tx != null && tx.transactionId != null ? tx : null;
                    enqueue(meterValues(t, "Trigger"));
                }
            });
            case "StatusNotification" -> after.add(() -> {
                if (connectorId == null || connectorId == 0) {
                    sendStatus(0, chargePointOperative ? "Available" : "Unavailable");
                }
                if ((connectorId == null || connectorId == CONNECTOR_ID) && latest != null) {
                    sentStatus = ocppStatus(latest.state());
                    sendStatus(CONNECTOR_ID, sentStatus);
                }
            });
            default -> {
                return status("NotImplemented");
            }
        }
        return status("Accepted");
    }

    // ---- configuration keys ----

    private ObjectNode changeConfiguration(Payload p) throws CallError {
        String key = p.requiredString("key", 50);
        String value = p.requiredString("value", 500);
        Map<String, String> keys = configuration();
        if (!keys.containsKey(key)) {
            return status("NotSupported");
        }
        Integer number = parseSeconds(value);
        switch (key) {
            case "HeartbeatInterval" -> {
                if (number == null) {
                    return status("Rejected");
                }
                heartbeatSeconds = number;
                if (bootAccepted && open) {
                    startHeartbeat();
                }
            }
            case "MeterValueSampleInterval" -> {
                if (number == null || number == 0) {
                    return status("Rejected");
                }
                meterValueSeconds = number;
            }
            default -> {
                return status("Rejected"); // read-only
            }
        }
        return status("Accepted");
    }

    private static Integer parseSeconds(String value) {
        try {
            int v = Integer.parseInt(value.trim());
            return v >= 0 && v <= 86_400 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private ObjectNode getConfiguration(Payload p) throws CallError {
        String[] asked = p.optionalStrings("key", 50);
        Map<String, String> keys = configuration();
        ObjectNode out = OcppJson.object();
        ArrayNode known = out.putArray("configurationKey");
        ArrayNode unknown = out.putArray("unknownKey");
        List<String> wanted = asked.length == 0 ? List.copyOf(keys.keySet()) : List.of(asked);
        for (String key : wanted) {
            if (keys.containsKey(key)) {
                known.addObject().put("key", key).put("readonly", !isWritable(key)).put("value", keys.get(key));
            } else {
                unknown.add(key);
            }
        }
        return out;
    }

    private static boolean isWritable(String key) {
        return "HeartbeatInterval".equals(key) || "MeterValueSampleInterval".equals(key);
    }

    /** The small key set this charge point knows. */
    private Map<String, String> configuration() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("HeartbeatInterval", Integer.toString(heartbeatSeconds));
        keys.put("MeterValueSampleInterval", Integer.toString(meterValueSeconds));
        keys.put("MeterValuesSampledData", String.join(",", MEASURANDS));
        keys.put("NumberOfConnectors", "1");
        keys.put("SupportedFeatureProfiles", "Core,SmartCharging,RemoteTrigger");
        keys.put("ChargeProfileMaxStackLevel", Integer.toString(MAX_STACK_LEVEL));
        keys.put("ChargingScheduleAllowedChargingRateUnit", "Current,Power");
        keys.put("ChargingScheduleMaxPeriods", Integer.toString(MAX_PERIODS));
        keys.put("MaxChargingProfilesInstalled", Integer.toString(MAX_PROFILES));
        keys.put("AuthorizeRemoteTxRequests", "false");
        keys.put("StopTransactionOnInvalidId", "true");
        return keys;
    }

    // ---- small helpers ----

    private static String timestamp(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private void lastError(String message) {
        status = new Status(status.connection(), status.since(), message);
    }

    private void setStatus(Connection c, String lastError) {
        Status s = status;
        status = new Status(c, c == s.connection() ? s.since() : Instant.now(), lastError);
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
