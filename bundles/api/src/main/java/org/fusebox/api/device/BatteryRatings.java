package org.fusebox.api.device;

import java.util.Objects;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Power;

/**
 * What a battery can do.
 *
 * @param capacity          usable energy between 0 and 100 % SoC
 * @param maxChargePower    highest charging power, positive
 * @param maxDischargePower highest discharging power, positive
 * @param roundTripEfficiency AC to AC
 * @param phases            1 or 3: how the inverter spreads its power over the grid phases
 */
public record BatteryRatings(Energy capacity, Power maxChargePower, Power maxDischargePower,
        Percent roundTripEfficiency, int phases) {

    public BatteryRatings {
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(maxChargePower, "maxChargePower");
        Objects.requireNonNull(maxDischargePower, "maxDischargePower");
        Objects.requireNonNull(roundTripEfficiency, "roundTripEfficiency");
        if (capacity.wattHours() <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        if (maxChargePower.watts() < 0 || maxDischargePower.watts() < 0) {
            throw new IllegalArgumentException("power ratings must not be negative");
        }
        if (phases != 1 && phases != 3) {
            throw new IllegalArgumentException("phases must be 1 or 3, got " + phases);
        }
    }
}
