package org.fusebox.forecast.simple;

import java.time.LocalTime;
import java.util.Arrays;

/**
 * A configured day: one average power per quarter-hour of local time, the same every day.
 */
final class DailyCurve {

    static final int QUARTERS = 96;

    private final double[] watts;

    private DailyCurve(double[] watts) {
        this.watts = watts;
    }

    /**
     * From 1 (constant), 24 (hourly, each hour held for its four quarters) or 96 (quarter-hourly) values in
     * watts, none negative.
     */
    static DailyCurve of(double... values) {
        if (values.length != 1 && values.length != 24 && values.length != QUARTERS) {
            throw new IllegalArgumentException("a daily curve needs 1, 24 or 96 values, got " + values.length);
        }
        for (double v : values) {
            if (!Double.isFinite(v) || v < 0) {
                throw new IllegalArgumentException("curve values must be finite and not negative, got " + v);
            }
        }
        double[] q = new double[QUARTERS];
        int per = QUARTERS / values.length;
        for (int i = 0; i < QUARTERS; i++) {
            q[i] = values[i / per];
        }
        return new DailyCurve(q);
    }

    /**
     * A clear-sky PV day: {@code peak * sin(pi * x)} where x runs from 0 at sunrise to 1 at sunset; each
     * quarter holds the exact average of that bell over the quarter, so the day's energy is
     * {@code 2/pi * peak * daylight hours}.
     */
    static DailyCurve clearSky(double peakWatts, LocalTime sunrise, LocalTime sunset) {
        if (!Double.isFinite(peakWatts) || peakWatts < 0) {
            throw new IllegalArgumentException("peak power must be finite and not negative, got " + peakWatts);
        }
        if (!sunrise.isBefore(sunset)) {
            throw new IllegalArgumentException("sunrise " + sunrise + " must be before sunset " + sunset);
        }
        double rise = sunrise.toSecondOfDay() / 60.0;
        double day = sunset.toSecondOfDay() / 60.0 - rise;
        double[] q = new double[QUARTERS];
        for (int i = 0; i < QUARTERS; i++) {
            // The part of the quarter in daylight, as phases of the bell (0..pi).
            double a = Math.max(0, Math.min(day, i * 15 - rise)) / day * Math.PI;
            double b = Math.max(0, Math.min(day, i * 15 + 15 - rise)) / day * Math.PI;
            // Average of sin over the whole quarter: integral over [a, b] scaled back to minutes, over 15.
            q[i] = peakWatts * (Math.cos(a) - Math.cos(b)) * day / Math.PI / 15.0;
        }
        return new DailyCurve(q);
    }

    /** The quarter-hour of the day {@code t} falls in, 0..95. */
    static int quarterOf(LocalTime t) {
        return t.getHour() * 4 + t.getMinute() / 15;
    }

    double watts(int quarter) {
        return watts[quarter];
    }

    /** The day's energy in watt-hours. */
    double dailyWattHours() {
        return Arrays.stream(watts).sum() / 4.0;
    }
}
