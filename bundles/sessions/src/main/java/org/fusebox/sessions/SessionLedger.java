package org.fusebox.sessions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.session.SessionStatus;
import org.fusebox.api.session.SlotEnergy;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;

/**
 * One session being recorded: its identity, its energy per slot so far, and where its connector's energy
 * register stood at the last counted step. Mutable; only the recorder touches it.
 */
final class SessionLedger {

    /** A slot's energy so far; the price is the one in force when energy was first put in it. */
    static final class Bucket {
        final Instant start;
        final Duration length;
        final EnergyPrice price;
        final String source;
        double wattHours;

        Bucket(Instant start, Duration length, EnergyPrice price, String source, double wattHours) {
            this.start = start;
            this.length = length;
            this.price = price;
            this.source = source;
            this.wattHours = wattHours;
        }

        Instant end() {
            return start.plus(length);
        }

        boolean overlaps(Instant s, Instant e) {
            return start.isBefore(e) && end().isAfter(s);
        }
    }

    final String id;
    final String chargerId;
    final int connectorId;
    final String transactionId;
    String idTag;
    final Instant start;
    Instant end;
    SessionStatus status = SessionStatus.ACTIVE;
    final TreeMap<Instant, Bucket> buckets = new TreeMap<>();
    int anomalies;
    Instant lastSeen;
    /** The register at the last counted step, or null before the first one. */
    Double registerWh;
    /** When (site time) the gateway saw the register of the last counted step: steps are spread from there. */
    Instant registerAt;
    /** When the charger measured that register, in the driver's clock: a reading not measured later is stale. */
    Instant registerMeasuredAt;
    /** The time of the last reading seen, in the driver's clock: a reading stamped no later is not news. */
    Instant lastReadingAt;
    /** The currency of the first priced slot: a slot priced in another one is left unpriced. */
    Currency currency;

    SessionLedger(String id, String chargerId, int connectorId, String transactionId, String idTag, Instant start,
            Instant lastSeen) {
        this.id = id;
        this.chargerId = chargerId;
        this.connectorId = connectorId;
        this.transactionId = transactionId;
        this.idTag = idTag;
        this.start = start;
        this.lastSeen = lastSeen;
    }

    /**
     * Adds energy drawn in {@code [from, to)} of the slot {@code [slotStart, slotStart + length)}. When a
     * bucket with other bounds already covers part of that time (prices became known, or changed, during the
     * slot), the energy joins that bucket: a slot is never split or overlapped.
     */
    void add(Instant slotStart, Duration length, EnergyPrice price, String source, Instant from, Instant to, double wh) {
        if (wh <= 0) {
            return;
        }
        Bucket same = buckets.get(slotStart);
        if (same != null && same.length.equals(length)) {
            same.wattHours += wh;
            return;
        }
        List<Bucket> clash = overlapping(slotStart, slotStart.plus(length));
        if (!clash.isEmpty()) {
            Bucket into = clash.stream().filter(b -> b.overlaps(from, to)).findFirst().orElse(clash.get(0));
            into.wattHours += wh;
            return;
        }
        EnergyPrice kept = price;
        if (price != null) {
            if (currency == null) {
                currency = price.currency();
            } else if (!currency.equals(price.currency())) {
                kept = null;
            }
        }
        buckets.put(slotStart, new Bucket(slotStart, length, kept, kept == null ? null : source, wh));
    }

    private List<Bucket> overlapping(Instant s, Instant e) {
        List<Bucket> out = new ArrayList<>();
        Map.Entry<Instant, Bucket> before = buckets.lowerEntry(s);
        if (before != null && before.getValue().overlaps(s, e)) {
            out.add(before.getValue());
        }
        for (Bucket b : buckets.subMap(s, true, e, false).values()) {
            out.add(b);
        }
        return out;
    }

    double wattHours() {
        double sum = 0;
        for (Bucket b : buckets.values()) {
            sum += b.wattHours;
        }
        return sum;
    }

    ChargingSession toRecord() {
        List<SlotEnergy> slots = new ArrayList<>(buckets.size());
        double sum = 0;
        Money cost = null;
        for (Bucket b : buckets.values()) {
            Energy e = Energy.ofWattHours(b.wattHours);
            Money c = b.price == null ? null : b.price.costOf(e);
            slots.add(new SlotEnergy(b.start, b.length, e, b.price, c, b.source, null));
            sum += b.wattHours;
            if (c != null) {
                cost = cost == null ? c : cost.plus(c);
            }
        }
        return new ChargingSession(id, chargerId, connectorId, transactionId, idTag, start, end, status,
                Energy.ofWattHours(sum), slots, cost, anomalies, lastSeen);
    }

    /** A ledger from a stored record, to go on recording an active session (or re-adopt a closed one). */
    static SessionLedger of(ChargingSession s, Double registerWh, Instant registerAt, Instant registerMeasuredAt) {
        SessionLedger l = new SessionLedger(s.id(), s.chargerId(), s.connectorId(), s.transactionId(), s.idTag(),
                s.start(), s.lastSeen());
        l.end = s.end();
        l.status = s.status();
        l.anomalies = s.meterAnomalies();
        l.registerWh = registerWh;
        l.registerAt = registerAt;
        l.registerMeasuredAt = registerMeasuredAt;
        for (SlotEnergy slot : s.slots()) {
            l.buckets.put(slot.start(), new Bucket(slot.start(), slot.length(), slot.price(), slot.priceSource(),
                    slot.energy().wattHours()));
            if (slot.price() != null && l.currency == null) {
                l.currency = slot.price().currency();
            }
        }
        return l;
    }
}
