package org.fusebox.itests;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;

/**
 * One three-phase charge point of the {@link OcppPeer} with an EV behind it, and its physics: the EV draws
 * what a real one does, min(what it wants, the limit of the charging profiles in force) while a
 * transaction runs and it is not paused, nothing under 6 A, nothing after StopTransaction (whatever its
 * last MeterValues said). The draw goes to {@code draw} (the simulator's external load) the moment it
 * changes, so the simulated grid meter sees it.
 *
 * <p>Profiles are kept like a charger keeps them in flash: a reboot does not clear them, and a TxProfile of
 * the running transaction takes precedence over the TxDefaultProfile (OCPP 1.6, 3.13.2). Time fields
 * (validFrom, validTo, duration) are not evaluated: a profile is in force from when it arrives.
 *
 * <p>While charging it sends MeterValues every {@code meterInterval} ms: energy register, power, and
 * Current.Import per phase, what it draws, unless the test makes it silent ({@link #stopReporting}).
 */
final class PeerChargePoint implements AutoCloseable {

    static final double VOLTS = 230;
    static final double MIN_AMPS = 6;

    /** One installed profile: its key fields and its first period's limit in A. */
    record Profile(int id, int connectorId, String purpose, int stackLevel, Integer transactionId, double amps) {
    }

    final String id;
    private final Object statusLock = new Object();
    private String connectorStatus = "Available";
    private final OcppPeer peer;
    private final double wishAmps;
    private final DoubleConsumer draw;
    private final ScheduledExecutorService reporter;
    private final List<Profile> profiles = new CopyOnWriteArrayList<>();
    /** Every SetChargingProfile received, as sent, in order. */
    final List<JsonNode> profileCalls = new CopyOnWriteArrayList<>();

    private volatile Integer transactionId;
    private volatile boolean paused;
    private volatile boolean reporting;
    private volatile double lastReportedAmps;
    private double drawAmps;
    private double registerWh;
    private long lastIntegratedNanos = System.nanoTime();

    PeerChargePoint(OcppPeer peer, String id, double wishAmps, long meterIntervalMillis, DoubleConsumer draw) {
        this.peer = peer;
        this.id = id;
        this.wishAmps = wishAmps;
        this.draw = draw;
        this.reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "peer-" + id + "-meter");
            t.setDaemon(true);
            return t;
        });
        peer.onEvent(this::onEvent);
        reporter.scheduleWithFixedDelay(this::reportIfDue, meterIntervalMillis, meterIntervalMillis, TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ what the test does

    /** Connects, boots and reports connector 1 Available; @return the BootNotification answer. */
    JsonNode connectAndBoot(String endpoint) {
        peer.command(id, "connect", Map.of("endpoint", endpoint));
        JsonNode boot = peer.command(id, "boot", Map.of());
        status("Available");
        return boot;
    }

    void status(String status) {
        synchronized (statusLock) {
            connectorStatus = status;
            peer.command(id, "status", Map.of("connectorId", 1, "status", status, "timestamp", Instant.now().toString()));
        }
    }

    /**
     * Answers a TriggerMessage with the status the connector has now. Under the same lock as {@link #status}, so a
     * triggered status can never overtake a change the test made (a stale Available would end the transaction).
     */
    private void statusNow() {
        synchronized (statusLock) {
            peer.command(id, "status", Map.of("connectorId", 1, "status", connectorStatus, "timestamp", Instant.now().toString()));
        }
    }

    /** Preparing, StartTransaction, Charging, a first MeterValues; @return the transaction id. */
    int startTransaction(String idTag, double meterStartWh) {
        synchronized (this) {
            integrate();
            registerWh = meterStartWh;
        }
        status("Preparing");
        JsonNode answer = peer.command(id, "startTransaction", Map.of("connectorId", 1, "idTag", idTag,
                "meterStart", (int) meterStartWh, "timestamp", Instant.now().toString()));
        if (!"Accepted".equals(answer.path("idTagInfo").path("status").asText())) {
            throw new AssertionError(id + ": StartTransaction answered " + answer);
        }
        transactionId = answer.path("transactionId").asInt();
        status("Charging");
        reporting = true;
        recompute();
        sendMeterValues();
        return transactionId;
    }

    /** StopTransaction (reason Local, the energy register as transactionData): the EV stays plugged in, Finishing. */
    void stopTransactionAndStayPluggedIn() {
        Integer tx = transactionId;
        reporting = false;
        synchronized (this) {
            integrate();
        }
        transactionId = null;
        recompute();
        double wh = register();
        peer.command(id, "stopTransaction", Map.of("transactionId", tx, "meterStop", (int) Math.round(wh),
                "timestamp", Instant.now().toString(), "reason", "Local",
                "transactionData", List.of(Map.of("timestamp", Instant.now().toString(), "sampledValue", List.of(
                        sample(wh, "Energy.Active.Import.Register", "Wh", null, "Transaction.End"))))));
        status("Finishing");
    }

    /** The EV is unplugged after a stop: Available. */
    void unplug() {
        if (transactionId != null) {
            stopTransactionAndStayPluggedIn();
        }
        status("Available");
    }

    /** The car pauses (or resumes) on its own, without the charger telling: status stays Charging. */
    void pauseSilently(boolean pause) {
        paused = pause;
        recompute();
    }

    void stopReporting() {
        reporting = false;
    }

    void resumeReporting() {
        reporting = transactionId != null;
    }

    /** The controller reboots while the power electronics keep charging: new connection, BootNotification, Charging. */
    JsonNode reboot() {
        JsonNode boot = peer.command(id, "reboot", Map.of());
        status(transactionId != null ? "Charging" : "Available");
        return boot;
    }

    /** A MeterValues of the running transaction with exactly these sampled values. */
    void sendMeterValues(List<Map<String, Object>> sampledValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("connectorId", 1);
        if (transactionId != null) {
            fields.put("transactionId", transactionId);
        }
        fields.put("meterValue", List.of(Map.of("timestamp", Instant.now().toString(), "sampledValue", sampledValues)));
        peer.command(id, "meterValues", fields);
    }

    /** The per-phase current its last MeterValues reported. */
    double lastReportedAmps() {
        return lastReportedAmps;
    }

    Integer transactionId() {
        return transactionId;
    }

    synchronized double drawAmps() {
        return drawAmps;
    }

    synchronized double register() {
        integrate();
        return registerWh;
    }

    /** The limit the EV obeys now (A), or null when no profile is in force. */
    Double limitInForce() {
        Integer tx = transactionId;
        Profile txProfile = null;
        Profile txDefault = null;
        Profile max = null;
        for (Profile p : profiles) {
            switch (p.purpose()) {
                case "TxProfile" -> {
                    if (tx != null && (p.transactionId() == null || p.transactionId().equals(tx)) && better(p, txProfile)) {
                        txProfile = p;
                    }
                }
                case "TxDefaultProfile" -> {
                    if (better(p, txDefault)) {
                        txDefault = p;
                    }
                }
                case "ChargePointMaxProfile" -> max = p;
                default -> { }
            }
        }
        Profile chosen = txProfile != null ? txProfile : txDefault;
        Double limit = chosen == null ? null : chosen.amps();
        if (max != null) {
            limit = limit == null ? max.amps() : Math.min(limit, max.amps());
        }
        return limit;
    }

    private static boolean better(Profile p, Profile than) {
        return than == null || p.stackLevel() > than.stackLevel()
                || (p.stackLevel() == than.stackLevel() && p.connectorId() > than.connectorId());
    }

    // ------------------------------------------------------------------ what happens on its own

    private void onEvent(JsonNode e) {
        if (!id.equals(e.path("cp").asText()) || !"received".equals(e.path("event").asText())) {
            return;
        }
        JsonNode payload = e.path("payload");
        switch (e.path("action").asText()) {
            case "SetChargingProfile" -> {
                profileCalls.add(payload);
                install(payload);
            }
            case "ClearChargingProfile" -> clear(payload);
            case "TriggerMessage" -> reporter.execute(() -> trigger(payload.path("requestedMessage").asText()));
            default -> { }
        }
    }

    private void install(JsonNode payload) {
        JsonNode p = payload.path("csChargingProfiles");
        JsonNode schedule = p.path("chargingSchedule");
        JsonNode period = schedule.path("chargingSchedulePeriod").path(0);
        double limit = period.path("limit").asDouble();
        if ("W".equals(schedule.path("chargingRateUnit").asText())) {
            int phases = period.path("numberPhases").asInt(3);
            limit = limit / (VOLTS * phases);
        }
        Profile next = new Profile(p.path("chargingProfileId").asInt(), payload.path("connectorId").asInt(),
                p.path("chargingProfilePurpose").asText(), p.path("stackLevel").asInt(),
                p.hasNonNull("transactionId") ? p.path("transactionId").asInt() : null, limit);
        // same id, or same connector, purpose and stack level: replaced (OCPP 1.6, 5.16.3)
        profiles.removeIf(old -> old.id() == next.id() || (old.connectorId() == next.connectorId()
                && old.purpose().equals(next.purpose()) && old.stackLevel() == next.stackLevel()));
        profiles.add(next);
        recompute();
    }

    private void clear(JsonNode payload) {
        profiles.removeIf(p -> (!payload.has("id") || payload.path("id").asInt() == p.id())
                && (!payload.has("connectorId") || payload.path("connectorId").asInt() == p.connectorId())
                && (!payload.has("chargingProfilePurpose") || payload.path("chargingProfilePurpose").asText().equals(p.purpose()))
                && (!payload.has("stackLevel") || payload.path("stackLevel").asInt() == p.stackLevel()));
        recompute();
    }

    private void trigger(String message) {
        try {
            switch (message) {
                case "MeterValues" -> sendMeterValues();
                case "StatusNotification" -> statusNow();
                case "Heartbeat" -> peer.command(id, "heartbeat", Map.of());
                case "BootNotification" -> peer.command(id, "boot", Map.of());
                default -> { }
            }
        } catch (AssertionError e) {
            System.err.println(id + ": triggered " + message + " failed: " + e.getMessage());
        }
    }

    /** What the EV draws now, from the transaction, the pause and the profiles; told to the meter when it changes. */
    private void recompute() {
        double amps = 0;
        if (transactionId != null && !paused) {
            Double limit = limitInForce();
            double allowed = limit == null ? wishAmps : Math.min(wishAmps, limit);
            amps = allowed >= MIN_AMPS ? allowed : 0;
        }
        boolean changed;
        synchronized (this) {
            integrate();
            changed = amps != drawAmps;
            drawAmps = amps;
        }
        if (changed) {
            draw.accept(amps);
        }
    }

    private void integrate() {
        long now = System.nanoTime();
        registerWh += drawAmps * 3 * VOLTS * (now - lastIntegratedNanos) / 3.6e12;
        lastIntegratedNanos = now;
    }

    private void reportIfDue() {
        if (!reporting || transactionId == null) {
            return;
        }
        try {
            sendMeterValues();
        } catch (AssertionError e) {
            System.err.println(id + ": MeterValues failed: " + e.getMessage());
        }
    }

    private void sendMeterValues() {
        double amps = drawAmps();
        lastReportedAmps = amps;
        List<Map<String, Object>> values = new ArrayList<>();
        values.add(sample(register(), "Energy.Active.Import.Register", "Wh", null, "Sample.Periodic"));
        values.add(sample(amps * 3 * VOLTS, "Power.Active.Import", "W", null, "Sample.Periodic"));
        for (String phase : List.of("L1", "L2", "L3")) {
            values.add(sample(amps, "Current.Import", "A", phase, "Sample.Periodic"));
        }
        sendMeterValues(values);
    }

    static Map<String, Object> sample(double value, String measurand, String unit, String phase, String context) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("value", String.format(java.util.Locale.ROOT, "%.1f", value));
        s.put("context", context);
        s.put("measurand", measurand);
        if (phase != null) {
            s.put("phase", phase);
        }
        s.put("location", "Outlet");
        s.put("unit", unit);
        return s;
    }

    /** Leaves the connector Available (transaction stopped, EV gone) and still connected, for the next test. */
    @Override
    public void close() {
        reporter.shutdownNow();
        try {
            unplug();
        } catch (AssertionError e) {
            System.err.println(id + ": could not leave the connector Available: " + e.getMessage());
        }
        transactionId = null;
        recompute();
    }
}
