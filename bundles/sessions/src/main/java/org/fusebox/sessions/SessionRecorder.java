package org.fusebox.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.session.SessionStatus;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.SiteSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every connector's session across control cycles and meters it: the energy of each step is the
 * increase of the connector's energy register between two measurements, spread over the site time between
 * the cycles that saw them and put in the price slot in force (split at slot boundaries in proportion to
 * time). Site time (the snapshot's) is the one axis for prices, steps, starts and ends; the readings' own
 * times (the driver's clock) only tell a fresh measurement from a stale one. Not thread-safe: the caller
 * serialises.
 *
 * <p>What real chargers do, and what is done about it:
 * <ul>
 * <li>a register that goes backwards (a meter reset, a reboot) or jumps beyond what a connector can draw in
 * the time: the step is not counted, counting goes on from the new value, and the anomaly is counted;</li>
 * <li>a reading whose measurement time has not moved (stale), or a register of zero after a positive one (no
 * value, as drivers report while a charger reboots): nothing is counted until a fresh one;</li>
 * <li>Finishing (still plugged in after the session): the session ends when the connector goes Finishing;</li>
 * <li>the same transaction back on its connector soon after it ended (a charger reboot): it continues;</li>
 * <li>a session gone after the gateway was down, or not seen for long: closed as lost when last seen.</li>
 * </ul>
 */
final class SessionRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRecorder.class);
    /** A register step may exceed the power bound by this much (rounding of the register). */
    private static final double SLACK_WH = 1.0;

    /** Names the source of a price slot (null when not known). */
    @FunctionalInterface
    interface SourceNamer {
        SourceNamer NONE = slot -> null;

        String name(PriceSlot slot);
    }

    private record Key(ConnectorRef ref, String transactionId) {
    }

    private volatile RecorderSettings settings;
    private final SourceNamer namer;
    private final Map<ConnectorRef, SessionLedger> active = new LinkedHashMap<>();
    private final Map<Key, SessionLedger> recentlyClosed = new HashMap<>();
    private final Set<String> knownIds = new HashSet<>();

    SessionRecorder(RecorderSettings settings, SourceNamer namer) {
        this.settings = settings;
        this.namer = namer;
    }

    void settings(RecorderSettings next) {
        settings = next;
    }

    /**
     * Takes up what was stored: active sessions go on, recently closed ones may be re-adopted.
     *
     * @param recent  the ledgers of the active and recently closed sessions
     * @param usedIds every session id in the history, so that no new session takes one
     */
    void restore(Collection<SessionLedger> recent, Collection<String> usedIds) {
        knownIds.addAll(usedIds);
        List<SessionLedger> byStart = new ArrayList<>(recent);
        byStart.sort(java.util.Comparator.comparing((SessionLedger l) -> l.start));
        for (SessionLedger l : byStart) {
            knownIds.add(l.id);
            ConnectorRef ref = new ConnectorRef(l.chargerId, l.connectorId);
            if (l.status == SessionStatus.ACTIVE) {
                SessionLedger older = active.put(ref, l);
                if (older != null) {
                    // two stored active sessions on one connector: the older one cannot still be going on
                    close(older, SessionStatus.LOST, older.lastSeen);
                    recentlyClosed.put(new Key(ref, older.transactionId), older);
                }
            } else {
                recentlyClosed.put(new Key(ref, l.transactionId), l);
            }
        }
    }

    /** The sessions that changed in this cycle: started, ended, re-adopted, or with a new slot or anomaly. */
    List<ChargingSession> observe(SiteSnapshot site) {
        RecorderSettings s = settings;
        Instant now = site.timestamp();
        Map<String, SessionLedger> changed = new LinkedHashMap<>();
        for (ChargerState charger : site.chargers()) {
            ChargerReading reading = charger.reading();
            if (reading == null) {
                continue; // a charger without a reading may be rebooting: its session waits
            }
            for (ConnectorReading r : reading.connectors()) {
                if (r.connectorId() < 1) {
                    continue;
                }
                observe(new ConnectorRef(charger.id(), r.connectorId()), now, reading.timestamp(), r, site.prices(), s, changed);
            }
        }
        for (Iterator<SessionLedger> it = active.values().iterator(); it.hasNext();) {
            SessionLedger l = it.next();
            if (Duration.between(l.lastSeen, now).compareTo(s.lostAfter()) > 0) {
                LOG.warn("session {} not seen since {}: closed as lost", l.id, l.lastSeen);
                it.remove();
                close(l, SessionStatus.LOST, l.lastSeen);
                recentlyClosed.put(new Key(new ConnectorRef(l.chargerId, l.connectorId), l.transactionId), l);
                changed.put(l.id, l);
            }
        }
        recentlyClosed.values().removeIf(l -> l.end != null && Duration.between(l.end, now).compareTo(s.readoptWithin()) > 0);
        List<ChargingSession> out = new ArrayList<>(changed.size());
        changed.values().forEach(l -> out.add(l.toRecord()));
        return out;
    }

    /**
     * @param seenAt    the snapshot's time (site time): the time axis of prices, steps, starts and ends
     * @param readingAt the reading's own time, in the driver's clock (which may differ from site time, as
     *                  with the simulator's faster clock): only compared with the same connector's earlier ones
     */
    private void observe(ConnectorRef ref, Instant seenAt, Instant readingAt, ConnectorReading r, PriceCurve prices,
            RecorderSettings s, Map<String, SessionLedger> changed) {
        Instant measuredAt = r.measuredAt() != null ? r.measuredAt() : readingAt;
        double register = r.meterTotal().wattHours();
        EvSession ev = r.session();
        boolean ongoing = ev != null && r.state() != ConnectorState.FINISHING && r.state() != ConnectorState.AVAILABLE;
        SessionLedger open = active.get(ref);
        if (open != null) {
            // the energy up to now is the open session's, even when this reading shows it ended
            if (step(open, register, seenAt, measuredAt, prices, s)) {
                changed.put(open.id, open);
            }
            if (ev != null && ev.sessionId().equals(open.transactionId)) {
                if (open.idTag == null && ev.idTag() != null) {
                    open.idTag = ev.idTag();
                    changed.put(open.id, open);
                }
                // a reading whose own time has not moved is not news: a charger gone offline keeps its last one
                if (open.lastReadingAt == null || readingAt.isAfter(open.lastReadingAt)) {
                    open.lastReadingAt = readingAt;
                    if (seenAt.isAfter(open.lastSeen)) {
                        open.lastSeen = seenAt;
                    }
                }
                if (!ongoing) {
                    active.remove(ref);
                    close(open, SessionStatus.FINISHED, seenAt);
                    recentlyClosed.put(new Key(ref, open.transactionId), open);
                    changed.put(open.id, open);
                }
                return;
            }
            boolean unobserved = Duration.between(open.lastSeen, seenAt).compareTo(s.gapAfter()) > 0;
            if (unobserved) {
                LOG.warn("session {} ended while it could not be seen (last seen {}): closed as lost", open.id, open.lastSeen);
            }
            active.remove(ref);
            close(open, unobserved ? SessionStatus.LOST : SessionStatus.FINISHED, unobserved ? open.lastSeen : seenAt);
            recentlyClosed.put(new Key(ref, open.transactionId), open);
            changed.put(open.id, open);
        }
        if (!ongoing) {
            return;
        }
        SessionLedger back = recentlyClosed.get(new Key(ref, ev.sessionId()));
        if (back != null && back.end != null && Duration.between(back.end, seenAt).compareTo(s.readoptWithin()) <= 0) {
            LOG.info("session {} seen again on {} after it ended at {}: it continues", back.id, ref, back.end);
            recentlyClosed.remove(new Key(ref, ev.sessionId()));
            back.status = SessionStatus.ACTIVE;
            back.end = null;
            back.lastSeen = seenAt.isAfter(back.lastSeen) ? seenAt : back.lastSeen;
            back.lastReadingAt = readingAt;
            active.put(ref, back);
            step(back, register, seenAt, measuredAt, prices, s);
            changed.put(back.id, back);
            return;
        }
        Instant start = ev.startedAt().isAfter(seenAt) ? seenAt : ev.startedAt();
        SessionLedger l = new SessionLedger(uniqueId(ref, ev.sessionId(), start), ref.chargerId(), ref.connectorId(),
                ev.sessionId(), ev.idTag(), start, seenAt);
        l.registerWh = register;
        l.registerAt = seenAt;
        l.registerMeasuredAt = measuredAt;
        l.lastReadingAt = readingAt;
        active.put(ref, l);
        changed.put(l.id, l);
    }

    /** Counts one register step; true when the record changed more than its energy (a new slot, an anomaly). */
    private boolean step(SessionLedger l, double register, Instant seenAt, Instant measuredAt, PriceCurve prices,
            RecorderSettings s) {
        if (l.registerWh == null || l.registerAt == null || l.registerMeasuredAt == null) {
            l.registerWh = register;
            l.registerAt = seenAt;
            l.registerMeasuredAt = measuredAt;
            return false;
        }
        if (!measuredAt.isAfter(l.registerMeasuredAt) || !seenAt.isAfter(l.registerAt)) {
            return false; // stale: the same measurement again, or an older one
        }
        if (register == 0 && l.registerWh > 0) {
            return false; // no value (drivers say 0 when the charger sent none, e.g. while it reboots)
        }
        double delta = register - l.registerWh;
        Duration elapsed = Duration.between(l.registerAt, seenAt);
        double most = s.maxConnectorWatts() * elapsed.toNanos() / 3.6e12 + SLACK_WH;
        Instant from = l.registerAt;
        l.registerWh = register;
        l.registerAt = seenAt;
        l.registerMeasuredAt = measuredAt;
        if (delta < 0 || delta > most) {
            l.anomalies++;
            LOG.warn("session {}: energy register went from {} Wh to {} Wh in {}: {}; that step is not counted", l.id,
                    register - delta, register, elapsed, delta < 0 ? "backwards (meter reset?)" : "a jump beyond what a connector draws");
            return true;
        }
        int before = l.buckets.size();
        attribute(l, from, seenAt, delta, prices, s);
        return l.buckets.size() != before;
    }

    /** Spreads {@code wh} over {@code [from, to)} in proportion to time, slot by slot. */
    private void attribute(SessionLedger l, Instant from, Instant to, double wh, PriceCurve prices, RecorderSettings s) {
        if (wh <= 0) {
            return;
        }
        double total = Duration.between(from, to).toNanos();
        double left = wh;
        Instant t = from;
        while (t.isBefore(to)) {
            Optional<PriceSlot> slot = prices.at(t);
            Instant segmentEnd;
            Instant slotStart;
            Duration length;
            if (slot.isPresent()) {
                slotStart = slot.get().start();
                length = slot.get().length();
                segmentEnd = min(to, slot.get().end());
            } else {
                long q = s.unpricedSlot().toMillis();
                slotStart = Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), q) * q);
                length = s.unpricedSlot();
                segmentEnd = min(to, slotStart.plus(length));
                Instant nextPriced = nextStartAfter(prices, t);
                if (nextPriced != null) {
                    segmentEnd = min(segmentEnd, nextPriced);
                }
            }
            // the last piece takes what is left, so that the pieces add up to the step exactly
            double part = segmentEnd.equals(to) ? left : wh * Duration.between(t, segmentEnd).toNanos() / total;
            part = Math.min(part, left);
            l.add(slotStart, length, slot.map(PriceSlot::price).orElse(null), slot.map(namer::name).orElse(null), t,
                    segmentEnd, part);
            left -= part;
            t = segmentEnd;
        }
    }

    private static Instant nextStartAfter(PriceCurve prices, Instant t) {
        for (PriceSlot p : prices.slots()) {
            if (p.start().isAfter(t)) {
                return p.start();
            }
        }
        return null;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static void close(SessionLedger l, SessionStatus status, Instant end) {
        l.status = status;
        l.end = end.isBefore(l.start) ? l.start : end;
    }

    private String uniqueId(ConnectorRef ref, String transactionId, Instant start) {
        String base = ref.chargerId() + "/" + ref.connectorId() + "/" + transactionId;
        String id = base;
        if (knownIds.contains(id)) {
            id = base + "@" + start.getEpochSecond();
        }
        for (int n = 2; knownIds.contains(id); n++) {
            id = base + "@" + start.getEpochSecond() + "-" + n;
        }
        knownIds.add(id);
        return id;
    }

    /** The sessions being recorded now, as records. */
    List<ChargingSession> active() {
        List<ChargingSession> out = new ArrayList<>(active.size());
        active.values().forEach(l -> out.add(l.toRecord()));
        return out;
    }

    /** The ledgers of the active sessions and of those that may still be re-adopted, for the store. */
    List<SessionLedger> ledgers() {
        List<SessionLedger> out = new ArrayList<>(active.values());
        out.addAll(recentlyClosed.values());
        return out;
    }

    Optional<SessionLedger> ledger(String id) {
        for (SessionLedger l : ledgers()) {
            if (l.id.equals(id)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    void forgetId(String id) {
        knownIds.remove(id);
    }
}
