package org.fusebox.forecast.simple;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fusebox.api.forecast.ForecastKind;

/**
 * A validated forecaster configuration.
 *
 * @param method      curve only, or learned weekday profile with the curve as fallback
 * @param curve       the configured day, or {@code null} when none is configured (then unknown slots are left out)
 * @param zone        the local time the curve and the weekdays are in
 * @param memoryWeeks how many weeks a learned cell averages over
 * @param samplePeriod how often the last control cycle is read
 * @param store       where the learned profile is kept, or {@code null} to keep it in memory only
 */
record ForecastSettings(Method method, DailyCurve curve, ZoneId zone, int memoryWeeks, Duration samplePeriod, Path store) {

    enum Method {
        CURVE("curve"), WEEKDAY_PROFILE("weekday-profile");

        final String key;

        Method(String key) {
            this.key = key;
        }

        static Method parse(String s, List<String> errors) {
            for (Method m : values()) {
                if (m.key.equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return m;
                }
            }
            errors.add("method must be 'curve' or 'weekday-profile', got '" + s + "'");
            return WEEKDAY_PROFILE;
        }
    }

    static ForecastSettings defaults(ForecastKind kind, String karafData) {
        return new ForecastSettings(Method.WEEKDAY_PROFILE, null, ZoneId.systemDefault(), 4, Duration.ofSeconds(10),
                defaultStore(kind, karafData));
    }

    /** @throws IllegalArgumentException naming every bad value */
    static ForecastSettings fromPv(PvForecastConfig c, String karafData) {
        List<String> errors = new ArrayList<>();
        Method method = Method.parse(c.method(), errors);
        DailyCurve curve = null;
        double[] values = numbers(c.curveWatts(), errors);
        boolean bell = c.peakPowerWatts() > 0;
        if (values.length > 0 && bell) {
            errors.add("configure either curveWatts or peakPowerWatts (clear-sky bell), not both");
        } else if (values.length > 0) {
            curve = curve(values, errors);
        } else if (bell || c.peakPowerWatts() < 0 || !Double.isFinite(c.peakPowerWatts())) {
            LocalTime rise = time("sunrise", c.sunrise(), errors);
            LocalTime set = time("sunset", c.sunset(), errors);
            if (rise != null && set != null) {
                try {
                    curve = DailyCurve.clearSky(c.peakPowerWatts(), rise, set);
                } catch (IllegalArgumentException e) {
                    errors.add(e.getMessage());
                }
            }
        }
        return finish(ForecastKind.PV_PRODUCTION, method, curve, c.zone(), c.memoryWeeks(), c.sampleSeconds(), c.storeFile(),
                karafData, errors);
    }

    /** @throws IllegalArgumentException naming every bad value */
    static ForecastSettings fromLoad(LoadForecastConfig c, String karafData) {
        List<String> errors = new ArrayList<>();
        Method method = Method.parse(c.method(), errors);
        double[] values = numbers(c.curveWatts(), errors);
        DailyCurve curve = values.length > 0 ? curve(values, errors) : null;
        return finish(ForecastKind.SITE_LOAD, method, curve, c.zone(), c.memoryWeeks(), c.sampleSeconds(), c.storeFile(),
                karafData, errors);
    }

    private static ForecastSettings finish(ForecastKind kind, Method method, DailyCurve curve, String zoneId, int weeks,
            int sampleSeconds, String storeFile, String karafData, List<String> errors) {
        ZoneId zone = ZoneId.systemDefault();
        if (zoneId != null && !zoneId.isBlank()) {
            try {
                zone = ZoneId.of(zoneId.trim());
            } catch (DateTimeException e) {
                errors.add("zone '" + zoneId + "' is not a time zone id");
            }
        }
        if (weeks < 1 || weeks > 52) {
            errors.add("memoryWeeks must be within 1..52, got " + weeks);
        }
        if (sampleSeconds < 1 || sampleSeconds > 900) {
            errors.add("sampleSeconds must be within 1..900, got " + sampleSeconds);
        }
        if (method == Method.CURVE && curve == null && errors.isEmpty()) {
            errors.add("method 'curve' needs a curve: set curveWatts" + (kind == ForecastKind.PV_PRODUCTION ? " or peakPowerWatts" : ""));
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        Path store = storeFile == null || storeFile.isBlank() ? defaultStore(kind, karafData) : Path.of(storeFile.trim());
        return new ForecastSettings(method, curve, zone, weeks, Duration.ofSeconds(sampleSeconds), store);
    }

    static Path defaultStore(ForecastKind kind, String karafData) {
        return karafData == null || karafData.isBlank() ? null
                : Path.of(karafData, "fusebox", "forecast", kind.name().toLowerCase(Locale.ROOT) + ".profile");
    }

    private static DailyCurve curve(double[] values, List<String> errors) {
        try {
            return DailyCurve.of(values);
        } catch (IllegalArgumentException e) {
            errors.add("curveWatts: " + e.getMessage());
            return null;
        }
    }

    /** Accepts both one value per entry and comma-separated values, as Config Admin files and the console give them. */
    private static double[] numbers(String[] entries, List<String> errors) {
        List<Double> out = new ArrayList<>();
        for (String entry : entries == null ? new String[0] : entries) {
            for (String s : entry.split(",")) {
                if (s.isBlank()) {
                    continue;
                }
                try {
                    out.add(Double.parseDouble(s.trim()));
                } catch (NumberFormatException e) {
                    errors.add("curveWatts entry '" + s.trim() + "' is not a number");
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static LocalTime time(String key, String value, List<String> errors) {
        try {
            return LocalTime.parse(value == null ? "" : value.trim());
        } catch (DateTimeParseException e) {
            errors.add(key + " must be a local time like 07:30, got '" + value + "'");
            return null;
        }
    }
}
