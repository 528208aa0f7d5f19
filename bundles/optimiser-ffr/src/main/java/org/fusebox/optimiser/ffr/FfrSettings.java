package org.fusebox.optimiser.ffr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A validated frequency response configuration, read from the raw properties (so a value that is not a
 * number is refused rather than turned into a default on the way).
 *
 * @param nominalHz        the grid's nominal frequency
 * @param deadBandHz       no response within this much of the nominal
 * @param fullDeviationHz  the deviation from the nominal at which the response is full, above the dead band
 * @param maxPowerWatts    the site's battery power at full response; 0: the batteries' ratings
 * @param allChargers      every charger responds
 * @param chargers         the chargers that respond (when not {@code allChargers})
 * @param cycleStep        the change of response (0..1 of the full response) that asks for a cycle at once
 * @param maxReadingAge    an older frequency is not responded to
 */
record FfrSettings(double nominalHz, double deadBandHz, double fullDeviationHz, double maxPowerWatts, boolean allChargers,
        Set<String> chargers, double cycleStep, Duration maxReadingAge) {

    static final FfrSettings DEFAULTS = new FfrSettings(50.0, 0.2, 0.5, 0, false, Set.of(), 0.05, Duration.ofMillis(3000));

    static final Set<String> KEYS = Set.of("nominalHz", "deadBandHz", "fullResponseDeviationHz", "maxPowerKw",
            "evChargers", "cycleStepPercent", "maxReadingAgeMillis");

    FfrSettings {
        chargers = Set.copyOf(chargers);
    }

    boolean chargerResponds(String chargerId) {
        return allChargers || chargers.contains(chargerId);
    }

    /**
     * @throws IllegalArgumentException naming every bad value
     */
    static FfrSettings from(Map<String, ?> properties) {
        List<String> errors = new ArrayList<>();
        for (String key : properties.keySet()) {
            // keys with a dot are the framework's (service.pid, felix.fileinstall.filename, component.name)
            if (!key.contains(".") && !KEYS.contains(key)) {
                errors.add("unknown key '" + key + "' (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        double nominal = number(properties, "nominalHz", DEFAULTS.nominalHz(), errors);
        double deadBand = number(properties, "deadBandHz", DEFAULTS.deadBandHz(), errors);
        double full = number(properties, "fullResponseDeviationHz", DEFAULTS.fullDeviationHz(), errors);
        double maxKw = number(properties, "maxPowerKw", 0, errors);
        double stepPercent = number(properties, "cycleStepPercent", DEFAULTS.cycleStep() * 100, errors);
        double ageMillis = number(properties, "maxReadingAgeMillis", DEFAULTS.maxReadingAge().toMillis(), errors);
        if (!(nominal >= 45 && nominal <= 65)) {
            errors.add("nominalHz must be within 45..65, got " + fmt(nominal));
        }
        if (!(deadBand >= 0 && deadBand <= 2)) {
            errors.add("deadBandHz must be within 0..2, got " + fmt(deadBand));
        }
        if (!(full > deadBand && full <= 5)) {
            errors.add("fullResponseDeviationHz must be above deadBandHz (" + fmt(deadBand) + ") and at most 5, got " + fmt(full));
        }
        if (!(maxKw >= 0 && maxKw <= 100_000)) {
            errors.add("maxPowerKw must be within 0..100000 (0: the batteries' ratings), got " + fmt(maxKw));
        }
        if (!(stepPercent >= 0.1 && stepPercent <= 50)) {
            errors.add("cycleStepPercent must be within 0.1..50, got " + fmt(stepPercent));
        }
        if (!(ageMillis >= 100 && ageMillis <= 60_000) || ageMillis != Math.rint(ageMillis)) {
            errors.add("maxReadingAgeMillis must be a whole number within 100..60000, got " + fmt(ageMillis));
        }
        Object ev = properties.get("evChargers");
        Set<String> chargers = new LinkedHashSet<>();
        boolean all = false;
        for (String id : ids(ev)) {
            if (id.equals("*")) {
                all = true;
            } else {
                chargers.add(id);
            }
        }
        if (all && !chargers.isEmpty()) {
            errors.add("evChargers is either * or a list of charger ids, got " + chargersText(ev));
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new FfrSettings(nominal, deadBand, full, maxKw * 1000, all, chargers, stepPercent / 100,
                Duration.ofMillis((long) ageMillis));
    }

    private static double number(Map<String, ?> properties, String key, double absent, List<String> errors) {
        Object v = properties.get(key);
        if (v == null || v.toString().isBlank()) {
            return absent;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            errors.add(key + " must be a number, got '" + v + "'");
            return absent;
        }
    }

    private static List<String> ids(Object v) {
        if (v == null) {
            return List.of();
        }
        List<String> raw = v instanceof String[] a ? Arrays.asList(a)
                : v instanceof Iterable<?> it ? toStrings(it) : Arrays.asList(v.toString().split(","));
        List<String> out = new ArrayList<>();
        for (String s : raw) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static List<String> toStrings(Iterable<?> it) {
        List<String> out = new ArrayList<>();
        it.forEach(o -> out.add(String.valueOf(o)));
        return out;
    }

    private static String chargersText(Object v) {
        return v instanceof String[] a ? String.join(",", a) : String.valueOf(v);
    }

    static String fmt(double d) {
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d).replaceAll("\\.?0+$", "") : String.valueOf(d);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "nominal %s Hz, dead band ±%s Hz, full response at ±%s Hz with %s, EV chargers %s",
                fmt(nominalHz), fmt(deadBandHz), fmt(fullDeviationHz),
                maxPowerWatts > 0 ? fmt(maxPowerWatts / 1000) + " kW" : "the batteries' ratings",
                allChargers ? "all" : chargers.isEmpty() ? "none" : String.join(", ", chargers));
    }
}
