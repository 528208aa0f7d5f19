package org.fusebox.api.site;

import java.time.Duration;
import java.util.Objects;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Percent;
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
 */
public record SiteLimits(Current fuseLimit, Current safetyMargin, int phases, Voltage nominalVoltage,
        Percent batteryMinSoc, Percent batteryMaxSoc, Duration cyclePeriod, Duration connectorReadingMaxAge) {

    /**
     * What {@link #connectorReadingMaxAge} is when not given: one and a half times the 10 s MeterValueSampleInterval
     * the OCPP driver asks chargers for, so a charger reporting on time is always counted.
     */
    public static final Duration DEFAULT_CONNECTOR_READING_MAX_AGE = Duration.ofSeconds(15);

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
    }

    /** The current per phase planners aim for: the fuse less the margin. */
    public Current planningLimit() {
        return fuseLimit.minus(safetyMargin);
    }
}
