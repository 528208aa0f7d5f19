package org.fusebox.simulator.ocpp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One OCPP 1.6 charging profile as a charge point keeps it (csChargingProfiles of SetChargingProfile).
 *
 * @param connectorId   the connector it was set on, 0 for the whole charge point
 * @param id            chargingProfileId
 * @param transactionId the transaction a TxProfile is bound to, or {@code null} for the running one
 * @param receivedAt    charge point time when it arrived: the start of an Absolute schedule without one
 */
public record ChargingProfile(int connectorId, int id, int stackLevel, Purpose purpose, Integer transactionId, Kind kind,
        Recurrency recurrency, Instant validFrom, Instant validTo, Integer durationSeconds, Instant startSchedule,
        Unit unit, List<Period> periods, Instant receivedAt) {

    public enum Purpose { ChargePointMaxProfile, TxDefaultProfile, TxProfile }

    public enum Kind { Absolute, Recurring, Relative }

    public enum Recurrency {
        Daily(Duration.ofDays(1)), Weekly(Duration.ofDays(7));

        final Duration cycle;

        Recurrency(Duration cycle) {
            this.cycle = cycle;
        }
    }

    public enum Unit { A, W }

    /** One period of a schedule: from {@code startPeriod} seconds after the schedule's start. */
    public record Period(int startPeriod, double limit, Integer numberPhases) {
    }

    public ChargingProfile {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(receivedAt, "receivedAt");
        periods = periods.stream().sorted(Comparator.comparingInt(Period::startPeriod)).toList();
    }

    /** Reads and checks a csChargingProfiles object. */
    static ChargingProfile parse(int connectorId, Payload p, Instant receivedAt) throws CallError {
        int id = p.requiredInt("chargingProfileId", Integer.MIN_VALUE);
        Integer transactionId = p.optionalInt("transactionId", Integer.MIN_VALUE);
        int stackLevel = p.requiredInt("stackLevel", 0);
        Purpose purpose = Purpose.valueOf(p.requiredEnum("chargingProfilePurpose", names(Purpose.values())));
        Kind kind = Kind.valueOf(p.requiredEnum("chargingProfileKind", names(Kind.values())));
        String rec = p.optionalEnum("recurrencyKind", names(Recurrency.values()));
        Instant validFrom = p.optionalDateTime("validFrom");
        Instant validTo = p.optionalDateTime("validTo");
        Payload s = p.requiredObject("chargingSchedule");
        Integer duration = s.optionalInt("duration", 0);
        Instant start = s.optionalDateTime("startSchedule");
        Unit unit = Unit.valueOf(s.requiredEnum("chargingRateUnit", "A", "W"));
        s.optionalDecimal("minChargingRate", 0);
        List<Period> periods = new ArrayList<>();
        for (Payload period : s.requiredObjects("chargingSchedulePeriod", 1)) {
            Integer phases = period.optionalInt("numberPhases", 1);
            if (phases != null && phases > 3) {
                throw new CallError(CallError.PROPERTY_CONSTRAINT_VIOLATION, "numberPhases must be 1 to 3, got " + phases);
            }
            periods.add(new Period(period.requiredInt("startPeriod", 0), period.requiredDecimal("limit", 0), phases));
        }
        if (kind == Kind.Recurring && (rec == null || start == null)) {
            throw new CallError(CallError.PROPERTY_CONSTRAINT_VIOLATION,
                    "a Recurring profile needs recurrencyKind and chargingSchedule.startSchedule");
        }
        if (purpose != Purpose.TxProfile && transactionId != null) {
            throw new CallError(CallError.PROPERTY_CONSTRAINT_VIOLATION, "only a TxProfile carries a transactionId");
        }
        return new ChargingProfile(connectorId, id, stackLevel, purpose, transactionId, kind,
                rec == null ? null : Recurrency.valueOf(rec), validFrom, validTo, duration, start, unit, periods,
                receivedAt);
    }

    private static String[] names(Enum<?>[] values) {
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i].name();
        }
        return out;
    }

    /**
     * When the schedule in force at {@code now} started, or {@code null} when none is in force (not yet
     * started, past its duration, outside validFrom/validTo).
     *
     * @param transactionStart charge point time the running transaction started, or {@code null}
     */
    Instant scheduleStartAt(Instant now, Instant transactionStart) {
        if (validFrom != null && now.isBefore(validFrom) || validTo != null && !now.isBefore(validTo)) {
            return null;
        }
        Instant start = switch (kind) {
            case Absolute -> startSchedule != null ? startSchedule : receivedAt;
            // Relative: from the start of the transaction; without one it would start now, so it is in force
            case Relative -> transactionStart != null ? transactionStart : now;
            case Recurring -> {
                if (now.isBefore(startSchedule)) {
                    yield null;
                }
                long cycles = Duration.between(startSchedule, now).toNanos() / recurrency.cycle.toNanos();
                yield startSchedule.plus(recurrency.cycle.multipliedBy(cycles));
            }
        };
        if (start == null || now.isBefore(start)) {
            return null;
        }
        if (durationSeconds != null && !now.isBefore(start.plusSeconds(durationSeconds))) {
            return null;
        }
        if (periods.get(0).startPeriod() > Duration.between(start, now).getSeconds()) {
            return null;
        }
        return start;
    }

    /** The period in force at {@code now}, or {@code null}. */
    Period periodAt(Instant now, Instant transactionStart) {
        Instant start = scheduleStartAt(now, transactionStart);
        if (start == null) {
            return null;
        }
        long elapsed = Duration.between(start, now).getSeconds();
        Period inForce = null;
        for (Period p : periods) {
            if (p.startPeriod() <= elapsed) {
                inForce = p;
            }
        }
        return inForce;
    }

    /** The limit in force at {@code now} in amps per phase, for a connector with {@code phases} phases at {@code volts}. */
    OptionalDouble ampsAt(Instant now, Instant transactionStart, int phases, double volts) {
        Period p = periodAt(now, transactionStart);
        if (p == null) {
            return OptionalDouble.empty();
        }
        if (unit == Unit.A) {
            return OptionalDouble.of(p.limit());
        }
        int used = Math.min(phases, p.numberPhases() == null ? 3 : p.numberPhases());
        return OptionalDouble.of(p.limit() / (volts * used));
    }

    /** Instants in [from, to) at which what this profile says may change: starts, periods, ends, validity. */
    void changesWithin(Instant from, Instant to, Instant transactionStart, List<Instant> out) {
        List<Instant> starts = new ArrayList<>();
        switch (kind) {
            case Absolute -> starts.add(startSchedule != null ? startSchedule : receivedAt);
            case Relative -> starts.add(transactionStart != null ? transactionStart : from);
            case Recurring -> {
                Instant s = startSchedule;
                if (s.isBefore(from)) {
                    long cycles = Duration.between(s, from).toNanos() / recurrency.cycle.toNanos();
                    s = s.plus(recurrency.cycle.multipliedBy(cycles));
                }
                for (; s.isBefore(to); s = s.plus(recurrency.cycle)) {
                    starts.add(s);
                }
            }
        }
        for (Instant s : starts) {
            for (Period p : periods) {
                out.add(s.plusSeconds(p.startPeriod()));
            }
            if (durationSeconds != null) {
                out.add(s.plusSeconds(durationSeconds));
            }
        }
        if (validFrom != null) {
            out.add(validFrom);
        }
        if (validTo != null) {
            out.add(validTo);
        }
        out.removeIf(t -> t.isBefore(from) || !t.isBefore(to));
    }
}
