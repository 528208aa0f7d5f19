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
        Attempt lastAttempt;
        WriteResult lastResult;
        String lastResultText = "";

        Connector(ConnectorInfo info) {
            this.info = info;
        }

        Double effectiveLimit() {
            if (transactionId != null && transactionId.equals(txAppliedFor) && txApplied != null) {
                return txApplied;
            }
            return defaultApplied;
        }
    }

    /** What a ChargePoint needs from the central system around it. */
    interface Host {
        OcppSettings settings();

        /** Sends SetChargingProfile over the charge point's current link. */
        CompletableFuture<JsonNode> sendProfile(ChargePoint cp, int connectorId, LimitProfile profile);
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

    ChargePoint(String id, ChargePointSettings settings, Host host, Clock clock) {
        this.id = id;
        this.settings = settings;
        this.infos = settings.connectorInfos();
        this.connectors = new Connector[infos.size()];
        for (int i = 0; i < connectors.length; i++) {
            connectors[i] = new Connector(infos.get(i));
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
     * reading is stamped now; once it drops off the stamp freezes and every connector reads Unavailable.
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
                session = new EvSession(String.valueOf(c.transactionId), c.idTag, c.transactionStart, delivered, null, null,
                        c.socPercent == null ? null : Percent.clamped(c.socPercent), null);
            }
            list.add(new ConnectorReading(c.info.connectorId(), online ? stateOf(c.status) : ConnectorState.UNAVAILABLE,
                    Power.ofWatts(c.powerW == null ? 0 : c.powerW), currents,
                    Current.ofAmps(limit == null ? c.info.maxCurrent().amps() : limit),
                    Energy.ofWattHours(c.energyWh == null ? 0 : c.energyWh), session));
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
     * Sends a charging profile only when the limit differs from what the charger holds. The stage completes
     * with the charger's answer; an unchanged limit completes at once with the answer it got before.
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
            c.desired = ProfileBuilder.roundAmps(limit.amps());
        }
        return apply(c);
    }

    /** Brings the charger's profile in line with the limit asked for, sending one if they differ. */
    private CompletionStage<WriteResult> apply(Connector c) {
        Attempt attempt;
        LimitProfile profile;
        synchronized (this) {
            if (c.desired == null) {
                return CompletableFuture.completedFuture(WriteResult.accepted());
            }
            double amps = c.desired;
            Target target = c.transactionId == null ? Target.DEFAULT : new Target(c.transactionId);
            Double effective = c.effectiveLimit();
            if (effective != null && Math.abs(effective - amps) < 1e-6) {
                return CompletableFuture.completedFuture(WriteResult.accepted());
            }
            if (c.pending != null && c.pending.amps() == amps && c.pending.target().equals(target)) {
                return c.pending.result();
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
            OcppSettings s = host.settings();
            profile = ProfileBuilder.forCurrent(settings, c.info.connectorId(), amps, target.transactionId(),
                    s.stackLevel, s.nominalVoltage);
            attempt = new Attempt(amps, target, new CompletableFuture<>());
            c.pending = attempt;
        }
        host.sendProfile(this, c.info.connectorId(), profile).whenComplete((answer, error) -> {
            WriteResult r = toWriteResult(answer, error);
            synchronized (this) {
                if (r.isAccepted()) {
                    if (attempt.target().transactionId() == null) {
                        c.defaultApplied = attempt.amps();
                    } else {
                        c.txApplied = attempt.amps();
                        c.txAppliedFor = attempt.target().transactionId();
                    }
                }
                c.lastAttempt = attempt;
                record(c, attempt.amps(), r);
                if (c.pending == attempt) {
                    c.pending = null;
                }
            }
            if (!r.isAccepted()) {
                LOG.warn("{}/{}: limit {} A not applied: {} {}", id, c.info.connectorId(), attempt.amps(), r.outcome(), r.detail());
            }
            attempt.result().complete(r);
            notifyListeners();
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
    }

    // ---- events from the central system ----

    synchronized ChargePointLink link() {
        return link;
    }

    /**
     * A new connection. The charger may have lost or kept its profiles; sending the last limits again
     * costs one call per connector and leaves no doubt.
     */
    void connected(ChargePointLink newLink) {
        ChargePointLink old;
        synchronized (this) {
            old = link;
            link = newLink;
            statusSince = clock.instant();
            lastSeen = statusSince;
            forgetAppliedLocked();
        }
        if (old != null) {
            old.closed();
        }
        reapplyAll();
        notifyListeners();
    }

    void disconnected(ChargePointLink gone) {
        synchronized (this) {
            if (link != gone) {
                return;
            }
            link = null;
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

    /** A BootNotification was answered: a rebooted charger has no transactions, and maybe no profiles. */
    void booted(String status, String vendor, String model, String firmware) {
        synchronized (this) {
            if (!status.equals(registrationStatus)) {
                statusSince = clock.instant();
            }
            this.registrationStatus = status;
            this.vendor = vendor;
            this.model = model;
            this.firmware = firmware;
            for (Connector c : connectors) {
                c.transactionId = null;
                c.idTag = null;
                c.transactionStart = null;
            }
            forgetAppliedLocked();
        }
        if ("Accepted".equals(status)) {
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
        }
    }

    private void reapplyAll() {
        for (Connector c : connectors) {
            apply(c);
        }
    }

    /** Connector 0 is the charge point itself; connectors it is not configured with are logged and ignored. */
    void statusNotification(int connectorId, String status, String errorCode) {
        Connector freed = null;
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
                if ("Available".equals(status)) {
                    c.currents.clear();
                    c.powerW = 0.0;
                    c.socPercent = null;
                    // an EV left before any transaction: as after a stopped one, the next waits at 0 A
                    if (c.transactionId == null && c.desired != null && c.desired > 0) {
                        c.desired = 0.0;
                        freed = c;
                    }
                }
            } else {
                LOG.warn("{}: StatusNotification for connector {}, but it is configured with {}", id, connectorId, connectors.length);
            }
        }
        if (freed != null) {
            apply(freed);
        }
        notifyListeners();
    }

    void meterValues(int connectorId, MeterValueReader.Sample sample) {
        synchronized (this) {
            if (connectorId < 1 || connectorId > connectors.length) {
                return;
            }
            Connector c = connectors[connectorId - 1];
            if (sample.energyWh() != null) {
                c.energyWh = sample.energyWh();
            }
            if (sample.powerW() != null) {
                c.powerW = sample.powerW();
            }
            if (!sample.currents().isEmpty()) {
                c.currents.clear();
                c.currents.putAll(sample.currents());
            }
            if (sample.socPercent() != null) {
                c.socPercent = sample.socPercent();
            }
        }
        notifyListeners();
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
        }
        apply(c);
        notifyListeners();
    }

    /** @return the connector the transaction ran on, or 0 when it is not known here */
    int transactionStopped(int transactionId, double meterStopWh) {
        Connector stopped = null;
        synchronized (this) {
            for (Connector c : connectors) {
                if (Integer.valueOf(transactionId).equals(c.transactionId)) {
                    c.transactionId = null;
                    c.idTag = null;
                    c.transactionStart = null;
                    c.energyWh = meterStopWh;
                    c.txApplied = null;
                    c.txAppliedFor = null;
                    c.socPercent = null;
                    // The next EV would start at whatever the default profile holds. The core gave this
                    // connector's current to its EV, and hands it to the others once it sees the connector
                    // free: until it decides again, the default is 0 A, so an EV plugging in meanwhile waits.
                    if (c.desired != null) {
                        c.desired = 0.0;
                    }
                    stopped = c;
                }
            }
        }
        if (stopped == null) {
            return 0;
        }
        apply(stopped);
        notifyListeners();
        return stopped.info.connectorId();
    }

    synchronized boolean hasActiveTransaction(int connectorId) {
        return connectorId >= 1 && connectorId <= connectors.length && connectors[connectorId - 1].transactionId != null;
    }

    synchronized ChargePointView view() {
        List<ConnectorView> list = new ArrayList<>();
        for (Connector c : connectors) {
            list.add(new ConnectorView(c.info.connectorId(), c.status, c.errorCode, c.transactionId, c.idTag,
                    c.effectiveLimit(), c.lastResultText));
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
            if (c.lastResult != null && !c.lastResult.isAccepted()) {
                out.add(id + "/" + c.info.connectorId() + " limit " + c.lastResultText);
            }
        }
        return out;
    }
}
