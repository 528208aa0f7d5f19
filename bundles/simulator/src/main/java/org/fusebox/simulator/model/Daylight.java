package org.fusebox.simulator.model;

import java.time.LocalDate;

/**
 * Sunrise, sunset and how high the sun climbs on one day, from the textbook declination formula. Good to
 * a few minutes, which is plenty for a demo site.
 *
 * @param sunriseHour   local clock hour of sunrise (may be fractional)
 * @param sunsetHour    local clock hour of sunset
 * @param strength      the day's clear-sky peak relative to midsummer, 0..1
 */
record Daylight(double sunriseHour, double sunsetHour, double strength) {

    private static final double AXIAL_TILT = 23.44;

    /**
     * @param dstHours daylight saving in force that day (0 or 1 in Europe), which moves solar noon on the clock
     */
    static Daylight on(LocalDate date, double latitudeDegrees, double dstHours) {
        double declination = AXIAL_TILT * Math.sin(Math.toRadians(360.0 * (284 + date.getDayOfYear()) / 365.0));
        double lat = Math.toRadians(latitudeDegrees);
        double cosHourAngle = -Math.tan(lat) * Math.tan(Math.toRadians(declination));
        double hourAngle = Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cosHourAngle))));
        double dayLength = 2 * hourAngle / 15.0;
        double solarNoon = 12.0 + dstHours;
        double noonElevation = 90 - Math.abs(latitudeDegrees - declination);
        double midsummerElevation = 90 - Math.abs(latitudeDegrees - Math.copySign(AXIAL_TILT, latitudeDegrees));
        double strength = Math.max(0, Math.sin(Math.toRadians(noonElevation)) / Math.sin(Math.toRadians(midsummerElevation)));
        return new Daylight(solarNoon - dayLength / 2, solarNoon + dayLength / 2, Math.min(1, strength));
    }

    double dayLengthHours() {
        return sunsetHour - sunriseHour;
    }

    /** Clear-sky output relative to the plant's peak at {@code hour}: a bell between sunrise and sunset. */
    double clearSky(double hour) {
        if (hour <= sunriseHour || hour >= sunsetHour) {
            return 0;
        }
        double x = (hour - sunriseHour) / dayLengthHours();
        return strength * Math.pow(Math.sin(Math.PI * x), 1.3);
    }
}
