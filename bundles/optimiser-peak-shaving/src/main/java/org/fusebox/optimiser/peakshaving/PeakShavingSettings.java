package org.fusebox.optimiser.peakshaving;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated peak-shaving configuration.
 *
 * @param peakKw   the contracted peak, average import over one interval
 * @param interval the billing interval's length
 * @param headroom share of the peak kept free, 0..0.5
 * @param zone     the zone the intervals follow the clock in; null: the site's ({@code SiteSnapshot.zone()})
 * @param lookAhead the forecast look-ahead; {@link LookAhead#OFF} when not used
 */
record PeakShavingSettings(double peakKw, Duration interval, double headroom, ZoneId zone, LookAhead lookAhead) {

    /**
     * How the forecasts are used.
     *
     * @param enabled      whether they are
     * @param horizon      how far ahead forecast peaks are looked for
     * @param safetyFactor load forecast x factor, PV forecast / factor; at least 1
     */
    record LookAhead(boolean enabled, Duration horizon, double safetyFactor) {
        static final LookAhead OFF = new LookAhead(false, Duration.ofHours(24), 1);
    }

    /** Settings without the look-ahead, as before it existed. */
    PeakShavingSettings(double peakKw, Duration interval, double headroom, ZoneId zone) {
        this(peakKw, interval, headroom, zone, LookAhead.OFF);
    }

    /** The average import the control aims at: the peak less the headroom, in watts. */
    double targetWatts() {
        return peakKw * 1000 * (1 - headroom);
    }

    double peakWatts() {
        return peakKw * 1000;
    }

    /** @throws IllegalArgumentException naming every bad value */
    static PeakShavingSettings from(PeakShavingConfig c) {
        List<String> errors = new ArrayList<>();
        double peak = c.peakKw();
        if (!(peak > 0 && peak <= 100_000)) {
            errors.add("peakKw must be within 0..100000 and above 0, got " + peak);
        }
        int minutes = c.intervalMinutes();
        if (minutes < 1 || minutes > 60 || 60 % minutes != 0) {
            errors.add("intervalMinutes must divide 60 and be within 1..60, got " + minutes);
        }
        double headroom = c.headroomPercent();
        if (!(headroom >= 0 && headroom <= 50)) {
            errors.add("headroomPercent must be within 0..50, got " + headroom);
        }
        ZoneId zone = null;
        String tz = c.timeZone() == null ? "" : c.timeZone().trim();
        try {
            zone = tz.isEmpty() ? null : ZoneId.of(tz);
        } catch (DateTimeException e) {
            errors.add("timeZone '" + tz + "' is not a known zone (" + e.getMessage() + ")");
        }
        int hours = c.lookAheadHours();
        if (hours < 1 || hours > 48) {
            errors.add("lookAheadHours must be within 1..48, got " + hours);
        }
        double factor = c.forecastSafetyFactor();
        if (!(factor >= 1 && factor <= 3)) {
            errors.add("forecastSafetyFactor must be within 1..3 (1 trusts the forecast as it is), got " + factor);
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new PeakShavingSettings(peak, Duration.ofMinutes(minutes), headroom / 100, zone,
                new LookAhead(c.lookAhead(), Duration.ofHours(hours), factor));
    }
}
