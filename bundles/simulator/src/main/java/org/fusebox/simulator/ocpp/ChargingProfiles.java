package org.fusebox.simulator.ocpp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeSet;
import org.fusebox.simulator.ocpp.ChargingProfile.Purpose;

/**
 * The charging profiles a single-connector charge point holds, immutable: every change makes a new set, so
 * the simulation thread can read the limit while the OCPP thread installs profiles.
 *
 * <p>How the limit in force is found, in the simple way: within a purpose, the highest stack level with a
 * period in force wins (on a tie, the one set on connector 1 over the one on connector 0); a TxProfile for
 * the running transaction overrides the TxDefaultProfile; a ChargePointMaxProfile caps the result.
 */
public final class ChargingProfiles {

    public static final ChargingProfiles NONE = new ChargingProfiles(List.of());

    private final List<ChargingProfile> installed;

    private ChargingProfiles(List<ChargingProfile> installed) {
        this.installed = List.copyOf(installed);
    }

    public List<ChargingProfile> installed() {
        return installed;
    }

    public boolean isEmpty() {
        return installed.isEmpty();
    }

    /** Adds a profile; one with the same id, or the same connector, purpose and stack level, is replaced. */
    public ChargingProfiles install(ChargingProfile p) {
        List<ChargingProfile> next = new ArrayList<>(installed.size() + 1);
        for (ChargingProfile old : installed) {
            boolean sameSlot = old.connectorId() == p.connectorId() && old.purpose() == p.purpose()
                    && old.stackLevel() == p.stackLevel();
            if (old.id() != p.id() && !sameSlot) {
                next.add(old);
            }
        }
        next.add(p);
        return new ChargingProfiles(next);
    }

    /**
     * Removes what ClearChargingProfile names: the profile with {@code id} when it is given (the other
     * criteria are then ignored), else every profile matching all criteria given; null matches anything.
     */
    public ChargingProfiles clear(Integer id, Integer connectorId, Purpose purpose, Integer stackLevel) {
        List<ChargingProfile> next = new ArrayList<>();
        for (ChargingProfile p : installed) {
            boolean match = id != null ? p.id() == id
                    : (connectorId == null || p.connectorId() == connectorId) && (purpose == null || p.purpose() == purpose)
                            && (stackLevel == null || p.stackLevel() == stackLevel);
            if (!match) {
                next.add(p);
            }
        }
        return new ChargingProfiles(next);
    }

    /** A transaction ended: its TxProfiles go with it. */
    public ChargingProfiles withoutTxProfiles() {
        return new ChargingProfiles(installed.stream().filter(p -> p.purpose() != Purpose.TxProfile).toList());
    }

    /**
     * The limit in force at {@code now}, in amps per phase, or empty when no profile is in force.
     *
     * @param transactionId    the running transaction's id, or {@code null} when none runs (or its id is not known yet)
     * @param transactionStart charge point time it started, or {@code null} when none runs
     */
    public OptionalDouble limitAmps(Instant now, Integer transactionId, Instant transactionStart, int phases, double volts) {
        boolean running = transactionStart != null;
        OptionalDouble tx = running ? highest(Purpose.TxProfile, now, transactionId, transactionStart, phases, volts)
                : OptionalDouble.empty();
        OptionalDouble limit = tx.isPresent() ? tx
                : highest(Purpose.TxDefaultProfile, now, transactionId, transactionStart, phases, volts);
        OptionalDouble cap = highest(Purpose.ChargePointMaxProfile, now, transactionId, transactionStart, phases, volts);
        if (cap.isPresent()) {
            return OptionalDouble.of(limit.isPresent() ? Math.min(limit.getAsDouble(), cap.getAsDouble()) : cap.getAsDouble());
        }
        return limit;
    }

    private OptionalDouble highest(Purpose purpose, Instant now, Integer transactionId, Instant transactionStart,
            int phases, double volts) {
        ChargingProfile best = null;
        double bestAmps = 0;
        for (ChargingProfile p : installed) {
            if (p.purpose() != purpose || purpose == Purpose.TxProfile && p.transactionId() != null
                    && !p.transactionId().equals(transactionId)) {
                continue;
            }
            OptionalDouble amps = p.ampsAt(now, transactionStart, phases, volts);
            if (amps.isEmpty()) {
                continue;
            }
            boolean better = best == null || p.stackLevel() > best.stackLevel()
                    || p.stackLevel() == best.stackLevel() && p.connectorId() > best.connectorId();
            if (better) {
                best = p;
                bestAmps = amps.getAsDouble();
            }
        }
        return best == null ? OptionalDouble.empty() : OptionalDouble.of(bestAmps);
    }

    /** One period of a composite schedule: from {@code startSeconds} after its start. */
    public record CompositePeriod(int startSeconds, double amps) {
    }

    /**
     * What the charge point would apply over the next {@code durationSeconds}, as periods where the limit
     * changes; where no profile is in force, {@code fallbackAmps} (its failsafe current) fills in.
     */
    public List<CompositePeriod> composite(Instant from, int durationSeconds, Integer transactionId,
            Instant transactionStart, int phases, double volts, double fallbackAmps) {
        Instant to = from.plusSeconds(Math.max(1, durationSeconds));
        List<Instant> changes = new ArrayList<>();
        changes.add(from);
        for (ChargingProfile p : installed) {
            p.changesWithin(from, to, transactionStart, changes);
        }
        List<CompositePeriod> out = new ArrayList<>();
        for (Instant t : new TreeSet<>(changes)) {
            double amps = limitAmps(t, transactionId, transactionStart, phases, volts).orElse(fallbackAmps);
            if (out.isEmpty() || Math.abs(out.get(out.size() - 1).amps() - amps) > 1e-9) {
                out.add(new CompositePeriod((int) Duration.between(from, t).getSeconds(), amps));
            }
        }
        return out;
    }
}
