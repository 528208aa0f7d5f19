package org.fusebox.simulator.model;

import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Random;

/**
 * A PV plant and its inverter: clear-sky output by time of day and season, dimmed by passing clouds,
 * capped by the output limit the controller sets (curtailment). Three-phase and balanced.
 */
public final class SolarPlant {

    private final double peakWatts;
    private final double latitudeDegrees;
    private final BoundedNoise clouds;
    private double outputCapWatts;
    private double availableWatts;
    private double watts;
    private double producedWattHours;
    private LocalDate daylightDate;
    private Daylight daylight;

    SolarPlant(double peakWatts, double latitudeDegrees, Random random) {
        this.peakWatts = peakWatts;
        this.latitudeDegrees = latitudeDegrees;
        this.outputCapWatts = peakWatts;
        // mostly clear, with spells of cloud lasting a few minutes
        this.clouds = new BoundedNoise(random, r -> r.nextDouble() < 0.55 ? 1.0 : 0.2 + 0.7 * r.nextDouble(), 300, 60);
    }

    /** Caps AC output; anything at or above the rating means no curtailment. */
    public void limitOutput(double maxWatts) {
        if (!(maxWatts >= 0)) {
            throw new IllegalArgumentException("output cap must not be negative, got " + maxWatts);
        }
        outputCapWatts = Math.min(maxWatts, peakWatts);
    }

    void advance(ZonedDateTime localTime, double seconds) {
        LocalDate date = localTime.toLocalDate();
        if (!date.equals(daylightDate)) {
            double dstHours = localTime.getZone().getRules().getDaylightSavings(localTime.toInstant()).toSeconds() / 3600.0;
            daylight = Daylight.on(date, latitudeDegrees, dstHours);
            daylightDate = date;
        }
        double hour = localTime.getHour() + localTime.getMinute() / 60.0 + localTime.getSecond() / 3600.0;
        availableWatts = peakWatts * daylight.clearSky(hour) * clouds.advance(seconds);
        watts = Math.min(availableWatts, outputCapWatts);
        producedWattHours += watts * seconds / 3600.0;
    }

    public double peakWatts() {
        return peakWatts;
    }

    /** Output now, production positive. */
    public double watts() {
        return watts;
    }

    /** What the panels could give now without the cap. */
    public double availableWatts() {
        return availableWatts;
    }

    public double outputCapWatts() {
        return outputCapWatts;
    }

    public double producedWattHours() {
        return producedWattHours;
    }
}
