package org.fusebox.api.session;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Money;

/**
 * One charging session, as the gateway metered it.
 *
 * <p>The record is exact by construction: {@link #energy()} is the sum of the slots' energies and
 * {@link #cost()} the sum of the priced slots' costs, so a consumer (a report, a rewards ledger) can check
 * every figure against its slots.
 *
 * @param id            unique, stable id of the session in the history
 * @param chargerId     device id of the charger
 * @param connectorId   1-based connector id
 * @param transactionId the charger's id for the session (the OCPP transaction id)
 * @param idTag         the driver's token, or {@code null} when it was not authorised with one
 * @param start         when the session started (the charger's start when it says, else when it was first seen)
 * @param end           when it ended; {@code null} while it is {@link SessionStatus#ACTIVE}
 * @param status        where it stands
 * @param energy        metered energy drawn, the sum of {@code slots}
 * @param slots         the energy per price slot, ordered by start, slots without energy left out
 * @param cost          the sum of the priced slots' costs, exact; {@code null} when no slot with energy was
 *                      priced
 * @param meterAnomalies how many times the connector's energy register went backwards or jumped beyond what
 *                      the connector can draw (that step is not counted): a reason to check the record
 * @param lastSeen      the last time a reading of the session was seen
 * @since 1.0
 */
public record ChargingSession(String id, String chargerId, int connectorId, String transactionId, String idTag,
        Instant start, Instant end, SessionStatus status, Energy energy, List<SlotEnergy> slots, Money cost,
        int meterAnomalies, Instant lastSeen) {

    /** Slot energies may differ from the total by float rounding, never by more. */
    private static final double ENERGY_TOLERANCE_WH = 1e-6;

    public ChargingSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(chargerId, "chargerId");
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(energy, "energy");
        Objects.requireNonNull(lastSeen, "lastSeen");
        slots = List.copyOf(slots);
        if (connectorId < 1) {
            throw new IllegalArgumentException("connectorId must be 1 or more, got " + connectorId);
        }
        if ((end == null) != (status == SessionStatus.ACTIVE)) {
            throw new IllegalArgumentException("a session has an end exactly when it is no longer active");
        }
        if (end != null && end.isBefore(start)) {
            throw new IllegalArgumentException("session ends at " + end + " before it starts at " + start);
        }
        if (meterAnomalies < 0) {
            throw new IllegalArgumentException("meterAnomalies must not be negative");
        }
        double sum = 0;
        Money priced = null;
        for (int i = 0; i < slots.size(); i++) {
            SlotEnergy s = slots.get(i);
            if (i > 0 && s.start().isBefore(slots.get(i - 1).end())) {
                throw new IllegalArgumentException("session slots overlap or are out of order at " + s.start());
            }
            sum += s.energy().wattHours();
            if (s.priced()) {
                priced = priced == null ? s.cost() : priced.plus(s.cost());
            }
        }
        if (Math.abs(sum - energy.wattHours()) > ENERGY_TOLERANCE_WH) {
            throw new IllegalArgumentException("session energy " + energy + " is not the sum of its slots, " + sum + " Wh");
        }
        if (!Objects.equals(priced, cost)) {
            throw new IllegalArgumentException("session cost " + cost + " is not the sum of its priced slots, " + priced);
        }
    }

    public ConnectorRef connector() {
        return new ConnectorRef(chargerId, connectorId);
    }

    public boolean active() {
        return status == SessionStatus.ACTIVE;
    }

    /** The cost, when it is known for every slot that drew energy. */
    public Optional<Money> completeCost() {
        return costComplete() ? Optional.ofNullable(cost) : Optional.empty();
    }

    /** Whether every slot that drew energy was priced (true for a session that drew nothing). */
    public boolean costComplete() {
        return slots.stream().allMatch(s -> s.priced() || s.energy().wattHours() == 0);
    }

    /** Energy drawn in slots whose price was not known. */
    public Energy unpricedEnergy() {
        return Energy.ofWattHours(slots.stream().filter(s -> !s.priced()).mapToDouble(s -> s.energy().wattHours()).sum());
    }

    /**
     * Whether the session overlaps {@code [from, to)}: it starts before {@code to} and ends after {@code from}
     * (an active one has not ended; one that ended as it started counts where it started).
     */
    public boolean overlaps(Instant from, Instant to) {
        if (!start.isBefore(to)) {
            return false;
        }
        if (end == null) {
            return true;
        }
        return end.isAfter(from) || (end.equals(start) && !start.isBefore(from));
    }
}
