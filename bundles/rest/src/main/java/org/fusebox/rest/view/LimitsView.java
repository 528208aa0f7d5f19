package org.fusebox.rest.view;

import java.time.Duration;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Voltage;

/**
 * The site's hard limits, with the planning limit spelled out so nobody has to subtract.
 *
 * @param fuseLimit      current allowed per phase at the grid connection
 * @param safetyMargin   headroom kept below the fuse
 * @param planningLimit  fuse less margin: what optimisers aim for
 * @param phases         1 or 3
 * @param nominalVoltage phase-to-neutral voltage
 * @param batteryMinSoc  floor for battery discharging
 * @param batteryMaxSoc  ceiling for battery charging
 * @param cyclePeriod    the control period
 */
public record LimitsView(Current fuseLimit, Current safetyMargin, Current planningLimit, int phases,
        Voltage nominalVoltage, Percent batteryMinSoc, Percent batteryMaxSoc, Duration cyclePeriod) {

    public static LimitsView of(SiteLimits limits) {
        return new LimitsView(limits.fuseLimit(), limits.safetyMargin(), limits.planningLimit(), limits.phases(),
                limits.nominalVoltage(), limits.batteryMinSoc(), limits.batteryMaxSoc(), limits.cyclePeriod());
    }
}
