package org.fusebox.rest.view;

import java.time.Duration;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;

/**
 * The site's hard limits, with the planning limit spelled out so nobody has to subtract.
 *
 * @param fuseLimit      current allowed per phase at the grid connection
 * @param safetyMargin   headroom kept below the fuse
 * @param planningLimit  what optimisers aim for per phase: the fuse less the margin, or the grid side's import limit's
 *                       share of a phase less the margin when that is lower
 * @param phases         1 or 3
 * @param nominalVoltage phase-to-neutral voltage
 * @param batteryMinSoc  floor for battery discharging
 * @param batteryMaxSoc  ceiling for battery charging
 * @param cyclePeriod    the control period
 * @param gridImportLimit the most the grid side lets the site import now, summed over the phases; null when none
 * @param gridExportLimit the most the grid side lets the site export now; null when none
 * @param exportPlanningLimit the export limit's share of a phase less the margin; null when there is no export limit
 * @param gridLimitsReason who asked for the grid limits in force; empty when none
 */
public record LimitsView(Current fuseLimit, Current safetyMargin, Current planningLimit, int phases,
        Voltage nominalVoltage, Percent batteryMinSoc, Percent batteryMaxSoc, Duration cyclePeriod,
        Power gridImportLimit, Power gridExportLimit, Current exportPlanningLimit, String gridLimitsReason) {

    public static LimitsView of(SiteLimits limits) {
        return new LimitsView(limits.fuseLimit(), limits.safetyMargin(), limits.planningLimit(), limits.phases(),
                limits.nominalVoltage(), limits.batteryMinSoc(), limits.batteryMaxSoc(), limits.cyclePeriod(),
                limits.grid().importLimit(), limits.grid().exportLimit(), limits.exportPlanningLimit().orElse(null),
                limits.grid().reason());
    }
}
