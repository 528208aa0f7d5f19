package org.fusebox.simulator.model;

import java.time.ZonedDateTime;
import java.util.Random;
import org.fusebox.api.units.Phase;

/**
 * The building's own consumption, which nothing controls: a daily profile (quiet night, morning and
 * evening peaks, a midday shoulder) times bounded noise, spread unevenly over the three phases the way
 * single-phase appliances are in real buildings.
 */
public final class HouseLoad {

    /** Noise stays within ±20 % of the profile. */
    static final double NOISE_LOW = 0.8;
    static final double NOISE_HIGH = 1.2;
    /** The highest value {@link #profileFactor(double)} reaches, for bounds in tests. */
    static final double PROFILE_MAX = 4.0;

    private static final double[] PHASE_SHARES = { 0.38, 0.34, 0.28 };

    private final double baseWatts;
    private final BoundedNoise noise;
    private double watts;
    private double consumedWattHours;

    HouseLoad(double baseWatts, Random random) {
        this.baseWatts = baseWatts;
        // appliances switch every minute or so; the load follows within seconds
        this.noise = BoundedNoise.uniform(random, NOISE_LOW, NOISE_HIGH, 60, 15);
    }

    /** The share of the load on {@code phase}; the three add up to one. */
    public static double phaseShare(Phase phase) {
        return PHASE_SHARES[phase.ordinal()];
    }

    /**
     * Load relative to the night base, by local hour of day (0..24): 1 at night, about 2.6 at 07:30,
     * about 1.9 around 12:30 and about 3.4 at 19:00.
     */
    static double profileFactor(double hourOfDay) {
        return 1.0
                + 1.6 * bump(hourOfDay, 7.5, 1.0)
                + 0.9 * bump(hourOfDay, 12.5, 2.5)
                + 2.4 * bump(hourOfDay, 19.0, 1.5);
    }

    /** A Gaussian bump in hours, measured around the clock so 23:00 and 01:00 are two hours apart. */
    private static double bump(double hour, double centre, double width) {
        double d = Math.abs(hour - centre);
        d = Math.min(d, 24 - d);
        return Math.exp(-(d * d) / (2 * width * width));
    }

    void advance(ZonedDateTime localTime, double seconds) {
        double hour = localTime.getHour() + localTime.getMinute() / 60.0 + localTime.getSecond() / 3600.0;
        watts = baseWatts * profileFactor(hour) * noise.advance(seconds);
        consumedWattHours += watts * seconds / 3600.0;
    }

    public double watts() {
        return watts;
    }

    public double consumedWattHours() {
        return consumedWattHours;
    }
}
