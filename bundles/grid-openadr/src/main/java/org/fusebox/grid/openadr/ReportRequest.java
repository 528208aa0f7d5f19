package org.fusebox.grid.openadr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One reportDescriptor of an event, read and checked: what to measure, in which units, on which of the
 * event's intervals and how often. Fields left out take the 3.0.1 defaults (aggregate false, startInterval -1,
 * numIntervals -1, historical true, frequency -1, repeat 1). A descriptor the VEN cannot honour is refused
 * with the reason ({@link Unsupported}); nothing is sent for it.
 *
 * @param index        its place in the event's reportDescriptors
 * @param measure      what is measured
 * @param readingType  the reading type asked for, DIRECT_READ when none
 * @param units        the units the values are sent in (the asked ones, or the measure's default)
 * @param factor       what one unit is in the measure's base unit (W, Wh or percent)
 * @param startInterval the interval (its place in the event) after which the report is made, -1 the last
 * @param numIntervals how many intervals up to startInterval are reported, -1 all
 * @param frequency    how many intervals one report holds, -1 as many as numIntervals
 * @param repeat       how many reports at most, -1 no limit
 */
record ReportRequest(int index, Measure measure, String readingType, String units, double factor, int startInterval,
        int numIntervals, int frequency, int repeat) {

    /** A descriptor the VEN does not serve, with the reason. */
    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The payload types a report can carry from the site's measurements. */
    enum Measure {
        /** Power drawn from the grid (export counts as no demand), from the grid meter. */
        DEMAND(Quantity.POWER, Set.of("DIRECT_READ", "MEAN", "AVERAGE", "PEAK")),
        /** Energy imported in the interval, from the grid meter's import register. */
        USAGE(Quantity.ENERGY, Set.of("DIRECT_READ")),
        /** The batteries' state of charge, weighted by capacity. */
        STORAGE_CHARGE_LEVEL(Quantity.PERCENT, Set.of("DIRECT_READ", "MEAN", "AVERAGE", "PEAK")),
        /** The batteries' usable capacity (their ratings). */
        STORAGE_USABLE_CAPACITY(Quantity.ENERGY, Set.of("DIRECT_READ")),
        /** The batteries' highest charging power (their ratings). */
        STORAGE_MAX_CHARGE_POWER(Quantity.POWER, Set.of("DIRECT_READ")),
        /** The batteries' highest discharging power (their ratings). */
        STORAGE_MAX_DISCHARGE_POWER(Quantity.POWER, Set.of("DIRECT_READ"));

        final Quantity quantity;
        final Set<String> readingTypes;

        Measure(Quantity quantity, Set<String> readingTypes) {
            this.quantity = quantity;
            this.readingTypes = readingTypes;
        }

        static String supported() {
            List<String> names = new ArrayList<>();
            for (Measure m : values()) {
                names.add(m.name());
            }
            return String.join(", ", names);
        }
    }

    /** A measure's kind of value, its default units and the others it can be sent in. */
    enum Quantity {
        POWER("KW", new String[] { "W", "KW", "MW" }, new double[] { 1, 1_000, 1_000_000 }),
        ENERGY("KWH", new String[] { "WH", "KWH", "MWH" }, new double[] { 1, 1_000, 1_000_000 }),
        PERCENT("PERCENT", new String[] { "PERCENT" }, new double[] { 1 });

        final String defaultUnits;
        private final String[] units;
        private final double[] factors;

        Quantity(String defaultUnits, String[] units, double[] factors) {
            this.defaultUnits = defaultUnits;
            this.units = units;
            this.factors = factors;
        }

        /** What one of these units is in the base unit; NaN when the units are not of this quantity. */
        double factor(String unit) {
            for (int i = 0; i < units.length; i++) {
                if (units[i].equals(unit)) {
                    return factors[i];
                }
            }
            return Double.NaN;
        }

        String known() {
            return String.join(", ", units);
        }
    }

    /** Reads the descriptor at {@code index}; throws with the reason the VEN cannot serve it. */
    static ReportRequest of(int index, JsonNode d) throws Unsupported {
        if (!d.isObject()) {
            throw new Unsupported("not a JSON object");
        }
        String type = textOrNull(d, "payloadType");
        if (type == null || type.isEmpty()) {
            throw new Unsupported("no payloadType");
        }
        Measure measure;
        try {
            measure = Measure.valueOf(type);
        } catch (IllegalArgumentException e) {
            throw new Unsupported("payload type " + EventMapper.abbreviated(type) + " is not reported by this VEN (it reports "
                    + Measure.supported() + ")");
        }
        String reading = textOrNull(d, "readingType");
        reading = reading == null ? "DIRECT_READ" : reading;
        if (!measure.readingTypes.contains(reading)) {
            throw new Unsupported(type + " with readingType " + EventMapper.abbreviated(reading) + " is not reported (only "
                    + String.join(", ", measure.readingTypes.stream().sorted().toList()) + ")");
        }
        String units = textOrNull(d, "units");
        units = units == null ? measure.quantity.defaultUnits : units.toUpperCase(Locale.ROOT);
        double factor = measure.quantity.factor(units);
        if (Double.isNaN(factor)) {
            throw new Unsupported(type + " in units " + EventMapper.abbreviated(units) + " is not reported (only "
                    + measure.quantity.known() + ")");
        }
        if (!bool(d, "historical", true)) {
            throw new Unsupported(type + ": historical false asks for a forecast, and this VEN reports measurements only");
        }
        int start = integer(d, "startInterval", -1);
        int num = integer(d, "numIntervals", -1);
        int frequency = integer(d, "frequency", -1);
        int repeat = integer(d, "repeat", 1);
        if (start < -1 || num < -1 || num == 0 || frequency < -1 || frequency == 0 || repeat < -1 || repeat == 0) {
            throw new Unsupported(type + ": startInterval, numIntervals, frequency and repeat must be -1 or above"
                    + " (numIntervals, frequency and repeat above 0), got " + start + ", " + num + ", " + frequency + ", " + repeat);
        }
        bool(d, "aggregate", false); // checked; the site is reported as one resource either way
        return new ReportRequest(index, measure, reading, units, factor, start, num, frequency, repeat);
    }

    private static String textOrNull(JsonNode d, String field) throws Unsupported {
        JsonNode v = d.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new Unsupported(field + " must be text, got " + EventMapper.abbreviated(v.toString()));
        }
        return v.asText();
    }

    private static boolean bool(JsonNode d, String field, boolean otherwise) throws Unsupported {
        JsonNode v = d.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return otherwise;
        }
        if (!v.isBoolean()) {
            throw new Unsupported(field + " must be true or false, got " + EventMapper.abbreviated(v.toString()));
        }
        return v.asBoolean();
    }

    private static int integer(JsonNode d, String field, int otherwise) throws Unsupported {
        JsonNode v = d.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return otherwise;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new Unsupported(field + " must be an integer, got " + EventMapper.abbreviated(v.toString()));
        }
        return v.asInt();
    }

    /** The descriptor of the values sent (a reportPayloadDescriptor). */
    String about() {
        return measure + (readingType.equals("DIRECT_READ") ? "" : " " + readingType) + " in " + units;
    }
}
