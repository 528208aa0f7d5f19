package org.fusebox.optimiser.evdeadline;

import java.time.Instant;
import java.util.Objects;

/**
 * What one EV needs.
 *
 * @param id        a name for reports (the connector)
 * @param energyKwh energy still wanted
 * @param departure when it leaves; only slots that end by then are used
 * @param maxKw     the most it may draw
 * @param minKw     the least it draws when charging at all (6 A x phases x 230 V for AC); 0 for none
 */
record EvDemand(String id, double energyKwh, Instant departure, double maxKw, double minKw) {

    EvDemand {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(departure, "departure");
        if (!(energyKwh >= 0) || !(maxKw >= 0) || !(minKw >= 0) || minKw > maxKw
                || !Double.isFinite(energyKwh) || !Double.isFinite(maxKw)) {
            throw new IllegalArgumentException("need energy >= 0 and 0 <= min <= max power, got "
                    + energyKwh + " kWh, " + minKw + ".." + maxKw + " kW");
        }
    }

    /** Whether the EV is still here for the whole of {@code slot}. */
    boolean canUse(Slot slot) {
        return !slot.end().isAfter(departure);
    }
}
