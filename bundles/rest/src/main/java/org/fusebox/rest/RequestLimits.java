package org.fusebox.rest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The bounds a charging request must keep (PID {@code fusebox.rest}).
 *
 * @param minEnergyKwh the least energy worth asking for
 * @param maxEnergyKwh the most: beyond it the number is a typo or an attack, not an EV
 * @param horizon      how far ahead a departure may be
 */
record RequestLimits(double minEnergyKwh, double maxEnergyKwh, Duration horizon) {

    static final double DEFAULT_MIN_KWH = 0.1;
    static final double DEFAULT_MAX_KWH = 1000;
    static final int DEFAULT_HORIZON_HOURS = 7 * 24;
    static final RequestLimits DEFAULTS = new RequestLimits(DEFAULT_MIN_KWH, DEFAULT_MAX_KWH, Duration.ofHours(DEFAULT_HORIZON_HOURS));

    /** @throws IllegalArgumentException naming every bad value */
    static RequestLimits from(RestConfig c) {
        List<String> errors = new ArrayList<>();
        if (!(Double.isFinite(c.minEnergyKwh()) && c.minEnergyKwh() > 0)) {
            errors.add("minEnergyKwh must be a number above 0, got " + c.minEnergyKwh());
        }
        if (!(Double.isFinite(c.maxEnergyKwh()) && c.maxEnergyKwh() > c.minEnergyKwh())) {
            errors.add("maxEnergyKwh must be a number above minEnergyKwh (" + c.minEnergyKwh() + "), got " + c.maxEnergyKwh());
        }
        if (c.maxDepartureHours() < 1) {
            errors.add("maxDepartureHours must be at least 1, got " + c.maxDepartureHours());
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new RequestLimits(c.minEnergyKwh(), c.maxEnergyKwh(), Duration.ofHours(c.maxDepartureHours()));
    }
}
