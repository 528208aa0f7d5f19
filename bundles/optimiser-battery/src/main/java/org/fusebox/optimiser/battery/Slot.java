package org.fusebox.optimiser.battery;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One planning interval, everything in kW and money per kWh.
 *
 * @param start       start, inclusive
 * @param length      length (the first slot runs from now to the next boundary)
 * @param importPrice what a kWh bought costs
 * @param exportPrice what a kWh sold earns
 * @param netLoadKw   expected site load less PV without this battery, import positive
 * @param minKw       lowest battery power allowed (discharging negative), at most 0
 * @param maxKw       highest battery power allowed (charging positive), at least 0
 */
record Slot(Instant start, Duration length, double importPrice, double exportPrice, double netLoadKw, double minKw, double maxKw) {

    Slot {
        Objects.requireNonNull(start, "start");
        if (length.isZero() || length.isNegative()) {
            throw new IllegalArgumentException("slot length must be positive, got " + length);
        }
        if (!Double.isFinite(importPrice) || !Double.isFinite(exportPrice) || !Double.isFinite(netLoadKw)
                || !Double.isFinite(minKw) || !Double.isFinite(maxKw)) {
            throw new IllegalArgumentException("slot values must be finite");
        }
        if (minKw > 0 || maxKw < 0) {
            throw new IllegalArgumentException("idle must stay allowed: minKw " + minKw + " must be <= 0 <= maxKw " + maxKw);
        }
    }

    Instant end() {
        return start.plus(length);
    }

    double hours() {
        return length.toNanos() / 3.6e12;
    }

    /** What the grid exchange costs in this slot with the battery at {@code batteryKw}. */
    double gridCost(double batteryKw) {
        double grid = netLoadKw + batteryKw;
        return hours() * (grid > 0 ? importPrice * grid : exportPrice * grid);
    }
}
