package org.fusebox.api.control;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.fusebox.api.units.Money;

/**
 * What a planning optimiser intends over its horizon, for the site API: per device the planned power per
 * slot and the expected cost. Only the current slot becomes a setpoint; the rest is the intention.
 *
 * @param optimiser    the optimiser's name
 * @param computedAt   the snapshot time it was planned at
 * @param lines        one per EV or battery
 * @param expectedCost the whole plan's expected cost, {@code null} without prices
 * @param notes        anything the operator should know (infeasible targets, missing prices)
 */
public record Plan(String optimiser, Instant computedAt, List<PlanLine> lines, Money expectedCost, List<String> notes) {

    public Plan {
        Objects.requireNonNull(optimiser, "optimiser");
        Objects.requireNonNull(computedAt, "computedAt");
        lines = List.copyOf(lines);
        notes = List.copyOf(notes);
    }
}
