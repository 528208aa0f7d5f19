package org.fusebox.api.site;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;

/**
 * The site's hard limits. The SafetyGuard enforces them whatever any optimiser asks.
 *
 * @param fuseLimit      current allowed per phase at the grid connection
 * @param safetyMargin   headroom kept below {@code fuseLimit} when planning
 * @param phases         1 or 3
 * @param nominalVoltage phase-to-neutral voltage used to turn power into current
 * @param batteryMinSoc  batteries are never discharged below this
 * @param batteryMaxSoc  batteries are never charged above this
 * @param cyclePeriod    the control period, which is also how far ahead a setpoint must stay safe
 * @param connectorReadingMaxAge how old a connector's measured currents may be and still count as what it
 *                       draws now (see {@link PhaseBudget#uncontrolled}); older ones count as no measured draw
 *                       (since 1.2)
 * @param grid           import and export limits the grid side asks for now, applied like the fuse; {@link GridLimits#NONE}
 *                       when there are none (since 1.4)
 */
public record SiteLimits(Current fuseLimit, Current safetyMargin, int phases, Voltage nominalVoltage,
        Percent batteryMinSoc, Percent batteryMaxSoc, Duration cyclePeriod, Duration connectorReadingMaxAge, GridLimits grid) {

    /**
     * What {@link #connectorReadingMaxAge} is when not given: one and a half times the 10 s MeterValueSampleInterval
     * the OCPP driver asks chargers for, so a charger reporting on time is always counted.
     */
    public static final Duration DEFAULT_CONNECTOR_READING_MAX_AGE = Duration.ofSeconds(15);

    /** Limits with no grid-side limits, as in version 1.3. */
    public SiteLimits(Current fuseLimit, Current safetyMargin, int phases, Voltage nominalVoltage,
            Percent batteryMinSoc, Percent batteryMaxSoc, Duration cyclePeriod, Duration connectorReadingMaxAge) {
        this(fuseLimit, safetyMargin, phases, nominalVoltage, batteryMinSoc, batteryMaxSoc, cyclePeriod,
                connectorReadingMaxAge, GridLimits.NONE);
    }

    /** Limits with the {@link #DEFAULT_CONNECTOR_READING_MAX_AGE default} connector reading age, as in version 1.1. */
    public SiteLimits(Current fuseLimit, Current safetyMargin, int phases, Voltage nominalVoltage,
            Percent batteryMinSoc, Percent batteryMaxSoc, Duration cyclePeriod) {
        this(fuseLimit, safetyMargin, phases, nominalVoltage, batteryMinSoc, batteryMaxSoc, cyclePeriod,
                DEFAULT_CONNECTOR_READING_MAX_AGE);
    }

    public SiteLimits {
        Objects.requireNonNull(fuseLimit, "fuseLimit");
        Objects.requireNonNull(safetyMargin, "safetyMargin");
        Objects.requireNonNull(nominalVoltage, "nominalVoltage");
        Objects.requireNonNull(batteryMinSoc, "batteryMinSoc");
        Objects.requireNonNull(batteryMaxSoc, "batteryMaxSoc");
        Objects.requireNonNull(cyclePeriod, "cyclePeriod");
        if (fuseLimit.amps() <= 0) {
            throw new IllegalArgumentException("fuseLimit must be positive, got " + fuseLimit);
        }
        if (safetyMargin.amps() < 0 || safetyMargin.amps() >= fuseLimit.amps()) {
            throw new IllegalArgumentException("safetyMargin must be within 0 and fuseLimit, got " + safetyMargin);
        }
        if (phases != 1 && phases != 3) {
            throw new IllegalArgumentException("phases must be 1 or 3, got " + phases);
        }
        if (nominalVoltage.volts() <= 0) {
            throw new IllegalArgumentException("nominalVoltage must be positive, got " + nominalVoltage);
        }
        if (!batteryMinSoc.isBelow(batteryMaxSoc)) {
            throw new IllegalArgumentException("batteryMinSoc must be below batteryMaxSoc, got "
                    + batteryMinSoc + " and " + batteryMaxSoc);
        }
        if (cyclePeriod.isZero() || cyclePeriod.isNegative()) {
            throw new IllegalArgumentException("cyclePeriod must be positive, got " + cyclePeriod);
        }
        Objects.requireNonNull(connectorReadingMaxAge, "connectorReadingMaxAge");
        if (connectorReadingMaxAge.isNegative()) {
            throw new IllegalArgumentException("connectorReadingMaxAge must not be negative, got " + connectorReadingMaxAge);
        }
        grid = Objects.requireNonNullElse(grid, GridLimits.NONE);
    }

    /** These limits with {@code grid} as the grid side's limits (since 1.4). */
    public SiteLimits withGrid(GridLimits grid) {
        return new SiteLimits(fuseLimit, safetyMargin, phases, nominalVoltage, batteryMinSoc, batteryMaxSoc, cyclePeriod,
                connectorReadingMaxAge, grid);
    }

    /**
     * The current per phase planners aim for: the fuse less the margin, or, when the grid side limits the import,
     * that limit's share of one phase less the margin if it is lower (never below 0 A). The share is the limit
     * spread evenly over the phases, so no phase may take more than its share: on an unbalanced site this keeps
     * the total further below the limit than needed, never above it.
     */
    public Current planningLimit() {
        Current fuse = fuseLimit.minus(safetyMargin);
        if (grid.importLimit() == null) {
            return fuse;
        }
        Current share = perPhase(grid.importLimit()).minus(safetyMargin);
        return share.isLessThan(fuse) ? (share.amps() < 0 ? Current.ZERO : share) : fuse;
    }

    /** Whether the grid side's import limit, not the fuse, sets {@link #planningLimit()} (since 1.4). */
    public boolean gridLimitsImport() {
        return planningLimit().isLessThan(fuseLimit.minus(safetyMargin));
    }

    /**
     * The most current per phase planners may send out to the grid, as a positive number: the grid side's export
     * limit spread evenly over the phases, less the margin (never below 0 A); empty when no export limit is asked,
     * and then only the fuse bounds the export (since 1.4).
     */
    public Optional<Current> exportPlanningLimit() {
        if (grid.exportLimit() == null) {
            return Optional.empty();
        }
        Current share = perPhase(grid.exportLimit()).minus(safetyMargin);
        return Optional.of(share.amps() < 0 ? Current.ZERO : share);
    }

    private Current perPhase(Power total) {
        return total.perPhaseCurrent(nominalVoltage, phases);
    }
}
