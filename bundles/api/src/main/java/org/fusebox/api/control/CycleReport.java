package org.fusebox.api.control;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.site.SiteSnapshot;

/**
 * What one control cycle saw, asked and did.
 *
 * @param snapshot      the site as measured at the start of the cycle
 * @param trigger       why the cycle ran: {@code period}, or the reason of an immediate request
 * @param optimisers    the optimisers that ran, in order, with an error note for any that failed
 * @param proposed      what the optimisers asked for
 * @param applied       what the SafetyGuard let through and the core sent to the devices
 * @param interventions every change the guard made, and every safe-state command
 * @param writeResults  the latest answer of each device to a write, by device id (and connector)
 * @param state         the loop's state after the cycle
 * @param duration      how long the cycle took, from snapshot to writes issued
 * @param plans         the plans of the optimisers that plan over a horizon (since 1.1)
 */
public record CycleReport(SiteSnapshot snapshot, String trigger, List<String> optimisers, Setpoints proposed,
        Setpoints applied, List<Intervention> interventions, Map<String, WriteResult> writeResults,
        ControlState state, Duration duration, List<Plan> plans) {

    public CycleReport {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(trigger, "trigger");
        optimisers = List.copyOf(optimisers);
        Objects.requireNonNull(proposed, "proposed");
        Objects.requireNonNull(applied, "applied");
        interventions = List.copyOf(interventions);
        writeResults = Map.copyOf(writeResults);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(duration, "duration");
        plans = plans == null ? List.of() : List.copyOf(plans);
    }

    /** A report without plans, as in version 1.0. */
    public CycleReport(SiteSnapshot snapshot, String trigger, List<String> optimisers, Setpoints proposed,
            Setpoints applied, List<Intervention> interventions, Map<String, WriteResult> writeResults,
            ControlState state, Duration duration) {
        this(snapshot, trigger, optimisers, proposed, applied, interventions, writeResults, state, duration, List.of());
    }

    public long cycle() {
        return snapshot.cycle();
    }
}
