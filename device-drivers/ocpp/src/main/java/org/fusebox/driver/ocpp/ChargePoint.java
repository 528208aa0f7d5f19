package org.fusebox.driver.ocpp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.EvCharger;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.device.ReadingListener;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.driver.ocpp.api.CallFailedException;
import org.fusebox.driver.ocpp.api.ChargePointView;
import org.fusebox.driver.ocpp.api.ConnectorView;
import org.fusebox.driver.ocpp.api.LimitProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One charge point: what it last reported, the limits asked for its connectors and what it answered, and
 * its current connection. It is the {@link EvCharger} service the core sees; it outlives its connections, so
 * a charger that drops off stays registered as OFFLINE and gets its last limit again when it returns.
 *
 * <p>Guarded by {@code this}; never calls out (services, listeners, the link's futures) while holding it.
 */
final class ChargePoint implements EvCharger {

    private static final Logger LOG = LoggerFactory.getLogger(ChargePoint.class);

    /** Where a limit is applied: the connector's default profile, or a running transaction's own profile. */
    private record Target(Integer transactionId) {
        static final Target DEFAULT = new Target(null);
    }

    private record Attempt(double amps, Target target, CompletableFuture<WriteResult> result) {
    }

    static final class Connector {
        final ConnectorInfo info;
        String status = "Unknown";
        String errorCode = "NoError";
        Integer transactionId;
        String idTag;
        Instant transactionStart;
        double meterStartWh;
        Double energyWh;
        Double powerW;
        final Map<Phase, Double> currents = new EnumMap<>(Phase.class);
        Double socPercent;
        /** What the core asked for last, in A (rounded as sent); null until it asks. */
        Double desired;
        /** What the charger accepted in its default profile and in the running transaction's profile. */
        Double defaultApplied;
        Double txApplied;
        Integer txAppliedFor;
        Attempt pending;
        /** Completes when the newest limit asked for while {@link #pending} was out has been dealt with. */
        CompletableFuture<WriteResult> followUp;
        Attempt lastAttempt;
        WriteResult lastResult;
        String lastResultText = "";
        /** The last limit the charger refused or did not answer, with its time, until one is accepted again. */
        String lastFailure;
        /** When power and currents were last known (measured, or zero because nothing charges), driver clock. */
        Instant measuredAt;
        /** Real time the last increase was sent, and the in-force profile was accepted (for its renewal). */
        long lastIncreaseNanos;
        long appliedAtNanos;
        /** A transaction ended here without its StopTransaction yet (the connector went Available first). */
        Integer endedTransactionId;

        Connector(ConnectorInfo info, Instant created) {
            this.info = info;
            this.measuredAt = created;
        }

        /** Nothing is drawn: the reading says 0, known now. */
        void drawsNothing(Instant now) {
            currents.clear();
            powerW = 0.0;
            measuredAt = now;
        }

        /**
         * A transaction known only from the charger's messages (after a reboot or a gateway restart): it may
         * still hold an old TxProfile, which outranks the default, so its limit is unknown until one is sent.
         */
        boolean adopted;

        Double effectiveLimit() {
            if (transactionId != null && transactionId.equals(txAppliedFor) && txApplied != null) {
                return txApplied;
            }
            return transactionId != null && adopted ? null : defaultApplied;
        }
    }

    /** What a ChargePoint needs from the central system around it. */
    interface Host {
        OcppSettings settings();

        /** Sends SetChargingProfile over the charge point's current link. */
        CompletableFuture<JsonNode> sendProfile(ChargePoint cp, int connectorId, LimitProfile profile);

        /** The charger's boot was accepted: configure it (and clear stale profiles of ours first when asked). */
        void configure(ChargePoint cp, boolean clearStaleProfiles);

        /** Asks the charger for the meter values of a connector (to learn a transaction it did not tell). */
        void triggerMeterValues(ChargePoint cp, int connectorId);

        /** Real (monotonic) time for the increase interval and profile renewal. */
        default long nanoTime() {
            return System.nanoTime();
        }
    }

    private final String id;
    private final ChargePointSettings settings;
    private final List<ConnectorInfo> infos;
    private final Connector[] connectors;
    private final Host host;
    private final Clock clock;
    private final List<ReadingListener> listeners = new CopyOnWriteArrayList<>();

    private ChargePointLink link;
    private String registrationStatus = "None";
    private String vendor = "";
    private String model = "";
    private String firmware = "";
    private String mainStatus = "Unknown";
    private String mainErrorCode = "NoError";
    private Instant lastSeen;
    private Instant statusSince;
    private Instant disconnectedAt;
    /**
     * Whether the charger on the current connection may be sent calls: its boot was accepted, or it sent
     * something else first (a charger does that only when it holds itself registered, e.g. on a reconnect).
     */
    private boolean ready;
    private boolean bootedBefore;
    private List<String> configurationProblems = List.of();
    private String meterProblem;
    private Instant meterProblemAt;

    ChargePoint(String id, ChargePointSettings settings, Host host, Clock clock) {
        this.id = id;
        this.settings = settings;
        this.infos = settings.connectorInfos();
        this.connectors = new Connector[infos.size()];
        for (int i = 0; i < connectors.length; i++) {
            connectors[i] = new Connector(infos.get(i), clock.instant());
        }
        this.host = host;
        this.clock = clock;
        this.statusSince = clock.instant();
        this.disconnectedAt = statusSince;
    }

    ChargePointSettings chargePointSettings() {
        return settings;
    }

    // ---- the EvCharger service ----

    @Override
    public String id() {
        return id;
    }

    @Override
    public String displayName() {
        synchronized (this) {
            return vendor.isEmpty() ? id : id + " (" + vendor + " " + model + ")";
        }
    }

    @Override
    public List<ConnectorInfo> connectors() {
        return infos;
    }

    @Override
    public synchronized DeviceStatus status() {
        if (link == null) {
            return DeviceStatus.offline("not connected", statusSince);
        }
        if ("Rejected".equals(registrationStatus) || "Pending".equals(registrationStatus)) {
            return DeviceStatus.offline("BootNotification answered " + registrationStatus, statusSince);
        }
        if ("Faulted".equals(mainStatus)) {
            return DeviceStatus.fault("charge point reports Faulted (" + mainErrorCode + ")", statusSince);
        }
        return DeviceStatus.online(statusSince);
    }

    /**
     * While the charger is connected its state is current (OCPP reports changes as they happen), so the
     * reading is stamped now; once it drops off the stamp freezes and every connector reads Unavailable with
     * its last known currents. Power and currents carry their own time ({@code measuredAt}): a charger that
     * stops sending meter values while it says Charging shows an aging measurement, not a fresh one.
     */
    @Override
    public synchronized Optional<ChargerReading> reading() {
        boolean online = link != null;
        Instant ts = online ? clock.instant() : disconnectedAt;
        List<ConnectorReading> list = new ArrayList<>();
        for (Connector c : connectors) {
            PhaseCurrents currents = PhaseCurrents.ZERO;
            for (Map.Entry<Phase, Double> e : c.currents.entrySet()) {
                currents = currents.with(e.getKey(), Current.ofAmps(e.getValue()));
            }
            Double limit = c.effectiveLimit();
            EvSession session = null;
            if (c.transactionId != null) {
                Energy delivered = c.energyWh == null ? Energy.ZERO
                        : Energy.ofWattHours(Math.max(0, c.energyWh - c.meterStartWh));
                session = new EvSession(String.valueOf(c.transactionId), c.idTag,
                        c.transactionStart == null ? ts : c.transactionStart, delivered, null, null,
                        c.socPercent == null ? null : Percent.clamped(c.socPercent), null);
            }
            list.add(new ConnectorReading(c.info.connectorId(), online ? stateOf(c.status) : ConnectorState.UNAVAILABLE,
                    Power.ofWatts(c.powerW == null ? 0 : c.powerW), currents,
                    Current.ofAmps(limit == null ? c.info.maxCurrent().amps() : limit),
                    Energy.ofWattHours(c.energyWh == null ? 0 : c.energyWh), session,
                    c.measuredAt.isAfter(ts) ? ts : c.measuredAt));
        }
        return Optional.of(new ChargerReading(ts, list));
    }

    static ConnectorState stateOf(String ocppStatus) {
        return switch (ocppStatus) {
            case "Available" -> ConnectorState.AVAILABLE;
            case "Preparing" -> ConnectorState.PREPARING;
            case "Charging" -> ConnectorState.CHARGING;
            case "SuspendedEV" -> ConnectorState.SUSPENDED_EV;
            case "SuspendedEVSE" -> ConnectorState.SUSPENDED_EVSE;
            case "Finishing" -> ConnectorState.FINISHING;
            case "Reserved" -> ConnectorState.RESERVED;
            case "Faulted" -> ConnectorState.FAULTED;
            default -> ConnectorState.UNAVAILABLE;
        };
    }

    @Override
    public void addReadingListener(ReadingListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeReadingListener(ReadingListener listener) {
        listeners.remove(listener);
    }

    void notifyListeners() {
        for (ReadingListener l : listeners) {
            try {
                l.readingUpdated(this);
            } catch (RuntimeException e) {
                LOG.warn("A reading listener failed: {}", e.toString());
            }
        }
    }

    /**
     * Sends a charging profile only when the limit, rounded down to the configured step, differs from what the
     * charger holds (see {@link #apply}). The stage completes with the charger's answer; an unchanged limit
     * completes at once with ACCEPTED.
     */
    @Override
    public CompletionStage<WriteResult> setCurrentLimit(int connectorId, Current limit) {
        if (limit == null || connectorId < 1 || connectorId > connectors.length) {
            return CompletableFuture.completedFuture(WriteResult.failed(limit == null ? "no limit given"
                    : id + " has no connector " + connectorId + " (it has " + connectors.length + ")"));
        }
        Connector c = connectors[connectorId - 1];
        if (limit.amps() < 0 || limit.amps() > c.info.maxCurrent().amps() + 1e-9) {
            return CompletableFuture.completedFuture(WriteResult.failed("limit " + limit + " is outside 0.."
                    + c.info.maxCurrent() + " for " + id + "/" + connectorId));
        }
        synchronized (this) {
            c.desired = ProfileBuilder.quantise(limit.amps(), host.settings().limitStepAmps);
        }
        return apply(c);
    }

    /**
     * Brings the charger's profile in line with the limit asked for. The rules (ADR 0014):
     * <ul>
     * <li>one SetChargingProfile per connector at a time; a limit asked for while one is out is coalesced: only
     * the newest goes out once the answer (or the short profile timeout) is in;</li>
     * <li>a decrease goes out at once; an increase at most once per {@code limitIncreaseIntervalSeconds}
     * (until then the lower limit stays in force, which is always safe);</li>
     * <li>the limit in force is sent again when two thirds of its validity have passed;</li>
     * <li>nothing is sent before the charger's boot is accepted.</li>
     * </ul>
     */
    private CompletionStage<WriteResult> apply(Connector c) {
        Attempt attempt;
        LimitProfile profile;
        OcppSettings s = host.settings();
        long now = host.nanoTime();
        synchronized (this) {
            if (c.desired == null) {
                return CompletableFuture.completedFuture(WriteResult.accepted());
            }
            double amps = c.desired;
            Target target = c.transactionId == null ? Target.DEFAULT : new Target(c.transactionId);
            if (c.pending != null) {
                if (c.pending.amps() == amps && c.pending.target().equals(target)) {
                    return c.pending.result();
                }
                if (c.followUp == null) {
                    c.followUp = new CompletableFuture<>();
                }
                return c.followUp;
            }
            Double effective = c.effectiveLimit();
            boolean renewalDue = s.profileValiditySeconds > 0 && c.appliedAtNanos != 0
                    && now - c.appliedAtNanos > s.profileValiditySeconds * 2_000_000_000L / 3;
            if (effective != null && Math.abs(effective - amps) < 1e-6 && !renewalDue) {
                return CompletableFuture.completedFuture(WriteResult.accepted());
            }
            // the charger refused exactly this before: asking again would only be refused again
            if (c.lastAttempt != null && c.lastAttempt.amps() == amps && c.lastAttempt.target().equals(target)
                    && c.lastResult != null && c.lastResult.outcome() == WriteResult.Outcome.REJECTED) {
                return CompletableFuture.completedFuture(c.lastResult);
            }
            if (link == null) {
                WriteResult r = WriteResult.failed(id + " is not connected; " + amps + " A is sent when it reconnects");
                record(c, amps, r);
                return CompletableFuture.completedFuture(r);
            }
            if (!ready) {
                return CompletableFuture.completedFuture(WriteResult.failed(id + " has not booted on this connection yet; "
                        + amps + " A is sent once its BootNotification is accepted"));
            }
            boolean increase = effective == null || amps > effective + 1e-6;
            long interval = s.limitIncreaseIntervalSeconds * 1_000_000_000L;
            if (increase && effective != null && c.lastIncreaseNanos != 0 && now - c.lastIncreaseNanos < interval) {
                // a lower limit than asked is safe; flapping profiles are not (chargers write flash, EVs see PWM steps)
                return CompletableFuture.completedFuture(new WriteResult(WriteResult.Outcome.ACCEPTED, "increase to " + amps
                        + " A held for at most " + s.limitIncreaseIntervalSeconds + " s; " + effective + " A in force"));
            }
            if (increase && effective != null) {
                c.lastIncreaseNanos = now;
            }
            profile = ProfileBuilder.forCurrent(settings, c.info.connectorId(), amps, target.transactionId(),
                    s.stackLevel, s.nominalVoltage);
            attempt = new Attempt(amps, target, new CompletableFuture<>());
            c.pending = attempt;
        }
        host.sendProfile(this, c.info.connectorId(), profile).whenComplete((answer, error) -> {
            WriteResult r = toWriteResult(answer, error);
            CompletableFuture<WriteResult> followUp;
            synchronized (this) {
                if (r.isAccepted()) {
                    if (attempt.target().transactionId() == null) {
                        c.defaultApplied = attempt.amps();
                    } else {
                        c.txApplied = attempt.amps();
                        c.txAppliedFor = attempt.target().transactionId();
                    }
                    c.appliedAtNanos = host.nanoTime();
                }
                c.lastAttempt = attempt;
                record(c, attempt.amps(), r);
                if (c.pending == attempt) {
                    c.pending = null;
                }
                followUp = c.followUp;
                c.followUp = null;
            }
            if (!r.isAccepted()) {
                LOG.warn("{}/{}: limit {} A not applied: {} {}", id, c.info.connectorId(), attempt.amps(), r.outcome(), r.detail());
            }
            attempt.result().complete(r);
            notifyListeners();
            if (followUp != null) {
                apply(c).whenComplete((next, e) -> followUp.complete(e != null ? WriteResult.failed(e.toString()) : next));
            }
        });
        return attempt.result();
    }

    private static WriteResult toWriteResult(JsonNode answer, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            return WriteResult.failed(cause instanceof CallFailedException cf ? cf.getMessage() : cause.toString());
        }
        String status = answer.path("status").asText();
        return "Accepted".equals(status) ? WriteResult.accepted() : WriteResult.rejected("SetChargingProfile " + status);
    }

    private void record(Connector c, double amps, WriteResult r) {
        c.lastResult = r;
        c.lastResultText = amps + " A: " + r.outcome() + (r.detail().isEmpty() ? "" : " (" + r.detail() + ")");
        // a failure stays on show, with its time, until the charger accepts a limit again
        if (r.isAccepted()) {
            c.lastFailure = null;
        } else {
            c.lastFailure = c.lastResultText + " at " + clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        }
    }

    // ---- events from the central system ----

    synchronized ChargePointLink link() {
        return link;
    }

    /**
     * A new connection. Nothing is sent on it until the charger's boot is accepted or it shows that it holds
     * itself registered ({@link #registeredWithoutBoot}); then the last limits go out again, since the charger
     * may have lost or kept its profiles.
     */
    void connected(ChargePointLink newLink) {
        ChargePointLink old;
        synchronized (this) {
            old = link;
            link = newLink;
            ready = false;
            statusSince = clock.instant();
            lastSeen = statusSince;
            forgetAppliedLocked();
        }
        if (old != null) {
            old.closed();
        }
        notifyListeners();
    }

    void disconnected(ChargePointLink gone) {
        synchronized (this) {
            if (link != gone) {
                return;
            }
            link = null;
            ready = false;
            statusSince = clock.instant();
            disconnectedAt = statusSince;
        }
        gone.closed();
        notifyListeners();
    }

    synchronized void seen() {
        lastSeen = clock.instant();
    }

    synchronized String registrationStatus() {
        return registrationStatus;
    }

    synchronized boolean ready() {
        return ready;
    }

    /**
     * The charger sent a call other than BootNotification on a connection where it has not booted: it holds
     * itself registered (a reconnect, or a gateway that restarted), so it may be sent calls now.
     */
    void registeredWithoutBoot() {
        boolean configure;
        synchronized (this) {
            if (ready || link == null || "Rejected".equals(registrationStatus) || "Pending".equals(registrationStatus)) {
                return;
            }
            ready = true;
            configure = !bootedBefore;
            bootedBefore = true;
            // it may hold profiles of a run of ours it still runs transactions under
            for (Connector c : connectors) {
                c.adopted |= c.transactionId != null;
            }
        }
        LOG.info("{}: calls without a BootNotification on this connection; taken as registered", id);
        if (configure) {
            host.configure(this, true);
        }
        reapplyAll();
    }

    /**
     * A BootNotification was answered. A running transaction is kept: many chargers reboot their controller
     * or modem while the power electronics keep charging; the charger says when it ended (StatusNotification
     * Available, StopTransaction).
     */
    void booted(String status, String vendor, String model, String firmware) {
        boolean accepted = "Accepted".equals(status);
        boolean first;
        synchronized (this) {
            if (!status.equals(registrationStatus)) {
                statusSince = clock.instant();
            }
            this.registrationStatus = status;
            this.vendor = vendor;
            this.model = model;
            this.firmware = firmware;
            ready = accepted && link != null;
            first = !bootedBefore;
            bootedBefore |= accepted;
            for (Connector c : connectors) {
                c.adopted |= c.transactionId != null;
            }
            forgetAppliedLocked();
        }
        if (ready()) {
            host.configure(this, first);
            reapplyAll();
        }
        notifyListeners();
    }

    private void forgetAppliedLocked() {
        for (Connector c : connectors) {
            c.defaultApplied = null;
            c.txApplied = null;
            c.txAppliedFor = null;
            c.pending = null;
            c.lastAttempt = null;
            c.appliedAtNanos = 0;
            c.lastIncreaseNanos = 0;
            CompletableFuture<WriteResult> f = c.followUp;
            c.followUp = null;
            if (f != null) {
                f.complete(WriteResult.failed(id + " reconnected or rebooted; the limit is sent again"));
            }
        }
    }

    private void reapplyAll() {
        for (Connector c : connectors) {
            apply(c);
        }
    }

    /**
     * Connector 0 is the charge point itself; connectors it is not configured with are logged and ignored. A
     * connector that is not Charging draws nothing, whatever it last measured: its power and currents are 0 from
     * now (a charger sends no meter values once a transaction ends, and the EV may stay plugged in for hours).
     */
    void statusNotification(int connectorId, String status, String errorCode) {
        Connector freed = null;
        boolean unknownCharging = false;
        synchronized (this) {
            if (connectorId == 0) {
                if (!status.equals(mainStatus)) {
                    statusSince = clock.instant();
                }
                mainStatus = status;
                mainErrorCode = errorCode;
            } else if (connectorId <= connectors.length) {
                Connector c = connectors[connectorId - 1];
                c.status = status;
                c.errorCode = errorCode;
                if (!"Charging".equals(status)) {
                    c.drawsNothing(clock.instant());
                } else {
                    unknownCharging = c.transactionId == null && ready;
                }
                if ("Available".equals(status)) {
                    c.socPercent = null;
                    if (c.transactionId != null) {
                        // the EV left; the StopTransaction may come later (chargers queue it while offline)
                        LOG.info("{}/{}: Available with transaction {} open; ended here", id, connectorId, c.transactionId);
                        c.endedTransactionId = c.transactionId;
                        endTransactionLocked(c);
                    }
                    // an EV left: as after a stopped transaction, the next one waits at 0 A
                    if (c.desired != null && c.desired > 0) {
                        c.desired = 0.0;
                    }
                    freed = c;
                }
            } else {
                LOG.warn("{}: StatusNotification for connector {}, but it is configured with {}", id, connectorId, connectors.length);
            }
        }
        if (freed != null) {
            apply(freed);
        }
        if (unknownCharging) {
            // charging under a transaction this gateway does not know: its meter values name it
            host.triggerMeterValues(this, connectorId);
        }
        notifyListeners();
    }

    /**
     * @param transactionId the transaction the values belong to, or {@code null}; one not known here is adopted
     */
    void meterValues(int connectorId, Integer transactionId, MeterValueReader.Sample sample) {
        Connector adopted = null;
        synchronized (this) {
            if (connectorId < 1 || connectorId > connectors.length) {
                return;
            }
            Connector c = connectors[connectorId - 1];
            noteSkipped(connectorId, sample);
            if (transactionId != null && !transactionId.equals(c.transactionId) && !transactionId.equals(c.endedTransactionId)) {
                LOG.info("{}/{}: meter values of transaction {}, not known here: taken over (reboot or gateway restart)",
                        id, connectorId, transactionId);
                c.transactionId = transactionId;
                c.idTag = null;
                c.transactionStart = clock.instant();
                c.meterStartWh = sample.energyWh() != null ? sample.energyWh() : c.energyWh == null ? 0 : c.energyWh;
                c.socPercent = null;
                c.adopted = true;
                c.txApplied = null;
                c.txAppliedFor = null;
                adopted = c;
            }
            if (sample.energyWh() != null) {
                c.energyWh = sample.energyWh();
            }
            if (sample.powerW() != null) {
                c.powerW = sample.powerW();
            }
            if (!sample.currents().isEmpty()) {
                c.currents.clear();
                c.currents.putAll(sample.currents());
            } else if (sample.powerW() != null && sample.powerW() == 0) {
                c.currents.clear();
            }
            if (sample.measuresDraw()) {
                c.measuredAt = clock.instant();
            }
            if (sample.socPercent() != null) {
                c.socPercent = sample.socPercent();
            }
        }
        if (adopted != null) {
            apply(adopted);
        }
        notifyListeners();
    }

    private void noteSkipped(int connectorId, MeterValueReader.Sample sample) {
        if (sample.skipped().isEmpty()) {
            return;
        }
        String text = id + "/" + connectorId + " meter values skipped: " + String.join("; ", sample.skipped());
        if (!text.equals(meterProblem)) {
            LOG.warn("{} (the rest of the message is used)", text);
        }
        meterProblem = text;
        meterProblemAt = clock.instant();
    }

    boolean hasConnector(int connectorId) {
        return connectorId >= 1 && connectorId <= connectors.length;
    }

    void transactionStarted(int connectorId, int transactionId, String idTag, Instant start, double meterStartWh) {
        Connector c;
        synchronized (this) {
            c = connectors[connectorId - 1];
            c.transactionId = transactionId;
            c.idTag = idTag;
            c.transactionStart = start;
            c.meterStartWh = meterStartWh;
            c.energyWh = meterStartWh;
            c.socPercent = null;
            c.adopted = false;
            c.endedTransactionId = null;
        }
        apply(c);
        notifyListeners();
    }

    private void endTransactionLocked(Connector c) {
        c.transactionId = null;
        c.idTag = null;
        c.transactionStart = null;
        c.txApplied = null;
        c.txAppliedFor = null;
        c.socPercent = null;
        c.adopted = false;
    }

    /**
     * A StopTransaction: its transactionData is applied (the charger's last values, often 0 A), then meterStop,
     * and the connector draws nothing from now on. A transaction this gateway ended already (the connector went
     * Available first) still gets its meterStop.
     *
     * @return the connector the transaction ran on, or 0 when it is not known here
     */
    int transactionStopped(int transactionId, double meterStopWh, MeterValueReader.Sample transactionData) {
        Connector stopped = null;
        synchronized (this) {
            for (Connector c : connectors) {
                boolean running = Integer.valueOf(transactionId).equals(c.transactionId);
                if (!running && !Integer.valueOf(transactionId).equals(c.endedTransactionId)) {
                    continue;
                }
                if (transactionData != null) {
                    noteSkipped(c.info.connectorId(), transactionData);
                }
                c.energyWh = meterStopWh;
                c.drawsNothing(clock.instant());
                c.endedTransactionId = null;
                if (running) {
                    endTransactionLocked(c);
                    // The next EV would start at whatever the default profile holds. The core gave this
                    // connector's current to its EV, and hands it to the others once it sees the connector
                    // free: until it decides again, the default is 0 A, so an EV plugging in meanwhile waits.
                    if (c.desired != null) {
                        c.desired = 0.0;
                    }
                }
                stopped = c;
                break;
            }
        }
        if (stopped == null) {
            return 0;
        }
        apply(stopped);
        notifyListeners();
        return stopped.info.connectorId();
    }

    /** What the charger could not be configured with (shown in health), as found after its last boot. */
    synchronized void configurationReport(List<String> problems) {
        configurationProblems = List.copyOf(problems);
    }

    synchronized boolean hasActiveTransaction(int connectorId) {
        return connectorId >= 1 && connectorId <= connectors.length && connectors[connectorId - 1].transactionId != null;
    }

    synchronized ChargePointView view() {
        List<ConnectorView> list = new ArrayList<>();
        for (Connector c : connectors) {
            list.add(new ConnectorView(c.info.connectorId(), c.status, c.errorCode, c.transactionId, c.idTag,
                    c.effectiveLimit(), c.lastFailure != null && !c.lastResult.isAccepted() ? c.lastFailure
                            : c.lastResultText + (c.lastFailure == null ? "" : "; last failure " + c.lastFailure)));
        }
        return new ChargePointView(id, link != null, registrationStatus, vendor, model, firmware, lastSeen, list);
    }

    /** Problems worth a line in the health report: the charger offline, faulted, or refusing limits. */
    synchronized List<String> problems() {
        List<String> out = new ArrayList<>();
        DeviceStatus s = status();
        if (!s.isOnline()) {
            out.add(id + " " + s.state() + " since " + s.since() + ": " + s.reason());
        }
        for (Connector c : connectors) {
            if (c.lastFailure != null) {
                out.add(id + "/" + c.info.connectorId() + " limit " + c.lastFailure);
            }
        }
        for (String p : configurationProblems) {
            out.add(id + " configuration: " + p);
        }
        if (meterProblem != null && meterProblemAt.isAfter(clock.instant().minusSeconds(900))) {
            out.add(meterProblem + " (at " + meterProblemAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ")");
        }
        return out;
    }
}
