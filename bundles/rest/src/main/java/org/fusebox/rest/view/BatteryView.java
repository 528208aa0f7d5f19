package org.fusebox.rest.view;

import java.time.Instant;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Power;

/**
 * A stationary battery.
 *
 * @param id      device id
 * @param name    display name
 * @param status  device status
 * @param ratings what it can do
 * @param reading latest fresh reading, or null
 */
public record BatteryView(String id, String name, DeviceStatusView status, Ratings ratings, Reading reading) {

    /**
     * @param capacity            usable energy
     * @param maxChargePower      positive
     * @param maxDischargePower   positive
     * @param roundTripEfficiency AC to AC
     * @param phases              1 or 3
     */
    public record Ratings(Energy capacity, Power maxChargePower, Power maxDischargePower, Percent roundTripEfficiency,
            int phases) {
    }

    /**
     * @param timestamp when it was measured
     * @param power     AC power, charging positive
     * @param soc       state of charge
     * @param setpoint  the power it was last told to hold
     */
    public record Reading(Instant timestamp, Power power, Percent soc, Power setpoint) {
    }

    public static BatteryView of(BatteryState battery) {
        BatteryRatings r = battery.ratings();
        Ratings ratings = new Ratings(r.capacity(), r.maxChargePower(), r.maxDischargePower(), r.roundTripEfficiency(),
                r.phases());
        BatteryReading m = battery.reading();
        Reading reading = m == null ? null : new Reading(m.timestamp(), m.power(), m.soc(), m.setpoint());
        return new BatteryView(battery.id(), battery.name(), DeviceStatusView.of(battery.status()), ratings, reading);
    }
}
