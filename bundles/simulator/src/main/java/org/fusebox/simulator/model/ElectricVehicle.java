package org.fusebox.simulator.model;

import java.time.Instant;

/**
 * An EV as it arrives: its battery, what its driver wants, and when the driver leaves.
 *
 * @param capacityWattHours  battery capacity
 * @param arrivalSocPercent  state of charge at plug-in
 * @param energyRequestedWattHours energy the driver asks for
 * @param maxAmps            the on-board charger's limit per phase
 * @param departure          when the driver unplugs
 */
public record ElectricVehicle(double capacityWattHours, double arrivalSocPercent, double energyRequestedWattHours,
        double maxAmps, Instant departure) {

    /** Above this state of charge the EV takes less and less current, as real batteries do. */
    static final double TAPER_START_PERCENT = 80;
    /** Share of its maximum an EV still takes at 100 %. */
    static final double TAPER_FLOOR = 0.25;

    /** The current the EV accepts at {@code socPercent}, before any limit the charger sets. */
    double acceptedAmps(double socPercent) {
        if (socPercent <= TAPER_START_PERCENT) {
            return maxAmps;
        }
        double into = Math.min(1, (socPercent - TAPER_START_PERCENT) / (100 - TAPER_START_PERCENT));
        return maxAmps * (1 - (1 - TAPER_FLOOR) * into);
    }
}
