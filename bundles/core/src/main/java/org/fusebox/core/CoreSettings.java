package org.fusebox.core;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Voltage;

/**
 * A validated core configuration. Built only from a configuration that passes every check, so the loop
 * never runs on a half-valid one.
 *
 * <p>It is read from the raw configuration properties, not from the Metatype's defaults: a file installed
 * by fileinstall or written by any other tool bypasses the Metatype's checks, and a missing fuse limit must
 * not turn into a default one. The core checks every range itself; {@code fuseLimitAmps} has no default.
 *
 * @param zone       the site's time zone, or {@code null} when not configured (the JVM's default is used)
 * @param priceFeeds ids of the price feeds in priority order, first is preferred; may be empty
 * @param values every core key with the value in force, as the canonical strings that are persisted and
 *               compared (the defaults included)
 */
record CoreSettings(SiteLimits limits, Duration readingTimeout, Duration setpointRefresh, Duration breachCooldown,
        Duration missingDeviceReport, ZoneId zone, List<String> priceFeeds, Map<String, String> values) {

    static final String FUSE = "fuseLimitAmps";
    static final String MARGIN = "safetyMarginAmps";
    static final String PHASES = "phases";
    static final String VOLTAGE = "nominalVoltage";
    static final String MIN_SOC = "batteryMinSocPercent";
    static final String MAX_SOC = "batteryMaxSocPercent";
    static final String CYCLE = "cyclePeriodMillis";
    static final String READING_TIMEOUT = "readingTimeoutMillis";
    static final String REFRESH = "setpointRefreshMillis";
    static final String COOLDOWN = "breachCooldownMillis";
    static final String CONNECTOR_AGE = "connectorReadingMaxAgeMillis";
    static final String MISSING_REPORT = "missingDeviceReportMillis";
    static final String SITE_ZONE = "siteTimeZone";
    static final String PRICE_FEEDS = "priceFeeds";

    static final double MAX_FUSE_AMPS = 4000;

    /** The limits the SafetyGuard enforces: a change of any of them is logged and announced. */
    static final List<String> SAFETY_KEYS = List.of(FUSE, MARGIN, PHASES, VOLTAGE, MIN_SOC, MAX_SOC, CONNECTOR_AGE);

    /** Defaults of every key but the fuse, which has none. */
    private static final Map<String, Object> DEFAULTS = defaults();

    private static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(MARGIN, 2.0);
        d.put(PHASES, 3L);
        d.put(VOLTAGE, 230.0);
        d.put(MIN_SOC, 20.0);
        d.put(MAX_SOC, 100.0);
        d.put(CYCLE, 1000L);
        d.put(READING_TIMEOUT, 5000L);
        d.put(REFRESH, 5000L);
        d.put(COOLDOWN, 50L);
        d.put(CONNECTOR_AGE, SiteLimits.DEFAULT_CONNECTOR_READING_MAX_AGE.toMillis());
        d.put(MISSING_REPORT, 600_000L);
        return Map.copyOf(d);
    }

    static final Set<String> KEYS = keys();

    private static Set<String> keys() {
        java.util.Set<String> k = new java.util.LinkedHashSet<>();
        k.add(FUSE);
        k.addAll(List.of(MARGIN, PHASES, VOLTAGE, MIN_SOC, MAX_SOC, CYCLE, READING_TIMEOUT, REFRESH, COOLDOWN, CONNECTOR_AGE,
                MISSING_REPORT, SITE_ZONE, PRICE_FEEDS));
        return java.util.Collections.unmodifiableSet(k);
    }

    /**
     * Checks every value and names each one that is wrong; throws with all of them at once. Keys with a dot
     * (service.pid, felix.fileinstall.filename, component.name...) belong to the framework and are skipped;
     * other unknown keys are refused with a hint, so a typo is never silently ignored.
     */
    static CoreSettings from(Map<String, ?> properties) {
        Map<String, ?> props = properties == null ? Map.of() : properties;
        List<String> errors = new ArrayList<>();
        for (String key : new TreeMap<>(props).keySet()) {
            if (!key.contains(".") && !KEYS.contains(key)) {
                errors.add("unknown key " + key + hint(key) + ": not used");
            }
        }
        boolean fuseMissing = props.get(FUSE) == null;
        Values v = new Values(props, errors);
        int before = errors.size();
        double fuse = fuseMissing ? Double.NaN : v.number(FUSE);
        if (fuseMissing) {
            errors.add(0, FUSE + " is not configured: there is no default for the fuse; set it in etc/fusebox.core.cfg");
        } else if (!Double.isNaN(fuse)) {
            if (fuse <= 0) {
                errors.add(FUSE + " must be a positive number of amps, got " + fuse);
            } else if (fuse < 1 || fuse > MAX_FUSE_AMPS) {
                errors.add(FUSE + " must be within 1..4000 A, got " + fuse);
            }
        }
        // The margin is judged against a fuse that is valid itself; a wrong fuse is one reason, not two.
        boolean fuseOk = errors.size() == before && !fuseMissing;
        double margin = v.number(MARGIN);
        if (!Double.isNaN(margin) && (margin < 0 || fuseOk && !(margin < fuse))) {
            errors.add(MARGIN + " must be at least 0 and below " + FUSE + " (" + fuse + "), got " + margin);
        }
        long phases = v.whole(PHASES);
        if (phases != Long.MIN_VALUE && phases != 1 && phases != 3) {
            errors.add(PHASES + " must be 1 or 3, got " + phases);
        }
        double voltage = v.number(VOLTAGE);
        v.range(VOLTAGE, voltage, 100, 400, " V");
        double minSoc = v.number(MIN_SOC);
        double maxSoc = v.number(MAX_SOC);
        v.range(MIN_SOC, minSoc, 0, 100, "");
        v.range(MAX_SOC, maxSoc, 0, 100, "");
        if (!Double.isNaN(minSoc) && !Double.isNaN(maxSoc) && !(minSoc < maxSoc)) {
            errors.add(MIN_SOC + " (" + minSoc + ") must be below " + MAX_SOC + " (" + maxSoc + ")");
        }
        long cycle = v.whole(CYCLE);
        v.range(CYCLE, cycle, 50, 60_000);
        long timeout = v.whole(READING_TIMEOUT);
        v.range(READING_TIMEOUT, timeout, 100, 3_600_000);
        long refresh = v.whole(REFRESH);
        v.range(REFRESH, refresh, 100, 3_600_000);
        long cooldown = v.whole(COOLDOWN);
        v.range(COOLDOWN, cooldown, 0, 60_000);
        long connectorAge = v.whole(CONNECTOR_AGE);
        v.range(CONNECTOR_AGE, connectorAge, 0, 600_000);
        long missing = v.whole(MISSING_REPORT);
        v.range(MISSING_REPORT, missing, 1000, 30L * 24 * 3_600_000);
        ZoneId zone = zone(props.get(SITE_ZONE), errors);
        List<String> feeds = feedIds(props.get(PRICE_FEEDS), errors);
        if (!errors.isEmpty()) {
            throw new InvalidConfigurationException(errors, fuseMissing);
        }
        SiteLimits limits = new SiteLimits(Current.ofAmps(fuse), Current.ofAmps(margin), (int) phases, Voltage.ofVolts(voltage),
                Percent.of(minSoc), Percent.of(maxSoc), Duration.ofMillis(cycle), Duration.ofMillis(connectorAge));
        Map<String, String> values = new LinkedHashMap<>();
        values.put(FUSE, canonical(fuse));
        values.put(MARGIN, canonical(margin));
        values.put(PHASES, Long.toString(phases));
        values.put(VOLTAGE, canonical(voltage));
        values.put(MIN_SOC, canonical(minSoc));
        values.put(MAX_SOC, canonical(maxSoc));
        values.put(CYCLE, Long.toString(cycle));
        values.put(READING_TIMEOUT, Long.toString(timeout));
        values.put(REFRESH, Long.toString(refresh));
        values.put(COOLDOWN, Long.toString(cooldown));
        values.put(CONNECTOR_AGE, Long.toString(connectorAge));
        values.put(MISSING_REPORT, Long.toString(missing));
        if (zone != null) {
            values.put(SITE_ZONE, zone.getId());
        }
        if (!feeds.isEmpty()) {
            values.put(PRICE_FEEDS, String.join(",", feeds));
        }
        return new CoreSettings(limits, Duration.ofMillis(timeout), Duration.ofMillis(refresh), Duration.ofMillis(cooldown),
                Duration.ofMillis(missing), zone, feeds, Map.copyOf(values));
    }

    /** The site's zone as configured, or null when it is not; a name Java does not know is refused. */
    private static ZoneId zone(Object raw, List<String> errors) {
        if (raw == null || raw instanceof String s && s.isBlank()) {
            return null;
        }
        if (!(raw instanceof String s)) {
            errors.add(SITE_ZONE + " must be a time zone id such as Europe/Brussels, got " + raw.getClass().getSimpleName() + " " + raw);
            return null;
        }
        try {
            return ZoneId.of(s.trim());
        } catch (DateTimeException e) {
            errors.add(SITE_ZONE + " must be a time zone id such as Europe/Brussels, got '" + s + "' (" + e.getMessage() + ")");
            return null;
        }
    }

    /** Feed ids from a comma-separated string (a .cfg file) or a list or array (Config Admin); duplicates refused. */
    private static List<String> feedIds(Object raw, List<String> errors) {
        List<String> items = new ArrayList<>();
        if (raw == null) {
            return List.of();
        } else if (raw instanceof String s) {
            items.addAll(List.of(s.split(",", -1)));
        } else if (raw instanceof String[] a) {
            items.addAll(List.of(a));
        } else if (raw instanceof Collection<?> c && c.stream().allMatch(String.class::isInstance)) {
            c.forEach(o -> items.add((String) o));
        } else {
            errors.add(PRICE_FEEDS + " must be feed ids separated by commas, got " + raw.getClass().getSimpleName() + " " + raw);
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (String item : items) {
            String id = item.trim();
            if (id.isEmpty()) {
                if (items.size() > 1) {
                    errors.add(PRICE_FEEDS + " has an empty feed id in '" + String.join(",", items) + "'");
                }
            } else if (ids.contains(id)) {
                errors.add(PRICE_FEEDS + " names " + id + " twice");
            } else {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    /** A safety limit's value in force, for the change log; "not configured" when there are no settings. */
    static String safetyValue(CoreSettings s, String key) {
        return s == null ? "not configured" : s.values().get(key);
    }

    private static String canonical(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String hint(String key) {
        for (String k : KEYS) {
            if (k.equalsIgnoreCase(key) || distance(k.toLowerCase(Locale.ROOT), key.toLowerCase(Locale.ROOT)) <= 2) {
                return " (did you mean " + k + "?)";
            }
        }
        return "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Reads typed values from raw properties: numbers or strings (a .cfg file gives strings), nothing else. */
    private record Values(Map<String, ?> props, List<String> errors) {

        /** The value as a finite number, or NaN after recording why it is not one. */
        double number(String key) {
            Object raw = props.get(key);
            if (raw == null) {
                raw = DEFAULTS.get(key);
            }
            double d;
            if (raw instanceof Number n) {
                d = n.doubleValue();
            } else if (raw instanceof String s) {
                try {
                    d = Double.parseDouble(s.trim());
                } catch (NumberFormatException e) {
                    errors.add(key + " must be a number, got '" + s + "'");
                    return Double.NaN;
                }
            } else {
                errors.add(key + " must be a number, got " + (raw == null ? "nothing" : raw.getClass().getSimpleName() + " " + raw));
                return Double.NaN;
            }
            if (!Double.isFinite(d)) {
                errors.add(key + " must be a finite number, got " + d);
                return Double.NaN;
            }
            return d;
        }

        /** The value as a whole number, or Long.MIN_VALUE after recording why it is not one. */
        long whole(String key) {
            double d = number(key);
            if (Double.isNaN(d)) {
                return Long.MIN_VALUE;
            }
            if (d != Math.rint(d) || Math.abs(d) > 1e15) {
                errors.add(key + " must be a whole number, got " + d);
                return Long.MIN_VALUE;
            }
            return (long) d;
        }

        void range(String key, double d, double min, double max, String unit) {
            if (!Double.isNaN(d) && (d < min || d > max)) {
                errors.add(key + " must be within " + canonical(min) + ".." + canonical(max) + unit + ", got " + d);
            }
        }

        void range(String key, long l, long min, long max) {
            if (l != Long.MIN_VALUE && (l < min || l > max)) {
                errors.add(key + " must be within " + min + ".." + max + ", got " + l);
            }
        }
    }

    /** A refused configuration, with every reason. */
    static final class InvalidConfigurationException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final List<String> reasons;
        private final boolean fuseMissing;

        InvalidConfigurationException(List<String> reasons, boolean fuseMissing) {
            super(String.join("; ", reasons));
            this.reasons = List.copyOf(reasons);
            this.fuseMissing = fuseMissing;
        }

        List<String> reasons() {
            return reasons;
        }

        /** The fuse limit is absent: the site is not configured, which no earlier configuration may stand in for. */
        boolean fuseMissing() {
            return fuseMissing;
        }
    }
}
