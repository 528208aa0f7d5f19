package org.fusebox.optimiser.evdeadline;

import java.time.Instant;
import java.util.Objects;

/**
 * EVs expected to plug in later (one or several, taken together), for which the planner keeps room.
 *
 * @param id        a name for reports
 * @param arrival   when they are expected to plug in
 * @param departure when they are expected to leave
 * @param energyKwh the energy they are expected to want in total
 * @param maxKw     the most they may draw together
 */
record ExpectedArrival(String id, Instant arrival, Instant departure, double energyKwh, double maxKw) {

    ExpectedArrival {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(departure, "departure");
        if (!(energyKwh >= 0) || !(maxKw >= 0) || !Double.isFinite(energyKwh) || !Double.isFinite(maxKw)) {
            throw new IllegalArgumentException("need energy >= 0 and power >= 0, got " + energyKwh + " kWh, " + maxKw + " kW");
        }
    }

    /**
     * The hours of {@code slot} room may be kept for them: all of it when they are here for the whole slot,
     * else none. The EVs plugged in hold one power for a whole slot, so energy kept in the part of a slot
     * after an arrival could not be given when the arrival comes without taking back what they drew before.
     */
    double hoursIn(Slot slot) {
        return slot.start().isBefore(arrival) || slot.end().isAfter(departure) ? 0 : slot.hours();
    }
}
