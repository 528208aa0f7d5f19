package org.fusebox.api.control;

import java.time.Instant;
import java.util.Optional;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.units.PowerSlot;

/**
 * Why an EV that is plugged in gets no current: the plan that holds it back (and when it means to charge),
 * or the guard's intervention, so that a paused EV is explained wherever it is shown (the site API, the
 * console), not only in the plans, and in the same words everywhere. Times are site time.
 *
 * @since 1.3
 */
public final class PauseReasons {

    private PauseReasons() {
    }

    /**
     * Why {@code ref} gets no current: empty unless {@code report}'s cycle set it to 0 A while an EV is
     * plugged in ({@code reading} has a session).
     */
    public static Optional<String> of(CycleReport report, ConnectorRef ref, ConnectorReading reading) {
        if (reading == null || reading.session() == null) {
            return Optional.empty();
        }
        Optional<org.fusebox.api.units.Current> limit = report.applied().chargerLimit(ref);
        if (limit.isEmpty() || limit.get().amps() > 0) {
            return Optional.empty();
        }
        Instant now = report.snapshot().timestamp();
        for (Plan plan : report.plans()) {
            for (PlanLine line : plan.lines()) {
                if (line.deviceId().equals(ref.chargerId()) && line.connectorId() != null && line.connectorId() == ref.connectorId()) {
                    return Optional.of(fromPlan(plan.optimiser(), line, now));
                }
            }
        }
        for (Intervention i : report.interventions()) {
            if (i.device().equals(ref.toString()) || i.device().equals(ref.chargerId())) {
                return Optional.of("held at 0 A by the guard: " + i.rule() + ": " + i.detail());
            }
        }
        return Optional.of("paused by the optimisers: the current left under the fuse does not give every EV its minimum,"
                + " and the latest arrivals wait first");
    }

    private static String fromPlan(String optimiser, PlanLine line, Instant now) {
        PowerSlot next = line.power().stream()
                .filter(s -> s.power().watts() > 0 && s.start().plus(s.length()).isAfter(now))
                .findFirst().orElse(null);
        StringBuilder why = new StringBuilder("waiting for the ").append(optimiser).append(" plan: ");
        why.append(next == null ? "no charging planned" : "charging planned from " + (next.start().isAfter(now) ? next.start() : now));
        if (line.wanted() != null && line.deadline() != null) {
            why.append(String.format(java.util.Locale.ROOT, ", %.1f of %.1f kWh by %s", line.planned().kilowattHours(),
                    line.wanted().kilowattHours(), line.deadline()));
        }
        if (!line.targetMet()) {
            why.append(", target missed");
        }
        if (!line.note().isEmpty()) {
            why.append("; ").append(line.note());
        }
        return why.append(" (site time)").toString();
    }
}
