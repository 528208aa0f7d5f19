package org.fusebox.api.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One series and its value now: a counter (only ever grows, e.g. requests sent since start) or a gauge (goes up
 * and down, e.g. messages queued). Checked when made, so a source cannot hand out a value an exporter would
 * have to refuse.
 *
 * @param name   {@code [a-z_][a-z0-9_]*}; a counter's ends in {@code _total}, a gauge's does not; none ends in
 *               {@code _created}, {@code _bucket} or {@code _info}, which Prometheus reserves; the exporter adds
 *               {@code fusebox_<component>_} in front
 * @param help   one line saying what is measured, in the unit of the name ({@code _seconds}, {@code _bytes})
 * @param kind   counter or gauge
 * @param labels what tells this series from the others of its name, e.g. {@code device=grid}; names as the
 *               metric name but not starting with {@code __}; values any text; at most {@value #MAX_LABELS}
 * @param value  finite; a counter's is not negative
 * @since 1.0
 */
public record Measurement(String name, String help, Kind kind, Map<String, String> labels, double value) {

    /** Labels per series, at most: series are told apart by a few labels, not described by many. */
    public static final int MAX_LABELS = 8;

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    /** How a value behaves over time. */
    public enum Kind {
        /** Only grows (restarts from 0 when its component restarts). */
        COUNTER,
        /** Goes up and down. */
        GAUGE
    }

    public Measurement {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(labels, "labels");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("measurement name '" + name + "' must match [a-z_][a-z0-9_]*");
        }
        if (kind == Kind.COUNTER && !name.endsWith("_total")) {
            throw new IllegalArgumentException("counter '" + name + "' must end in _total");
        }
        if (kind == Kind.GAUGE && name.endsWith("_total")) {
            throw new IllegalArgumentException("gauge '" + name + "' must not end in _total, which marks counters");
        }
        for (String reserved : new String[] {"_created", "_bucket", "_info"}) {
            if (name.endsWith(reserved)) {
                throw new IllegalArgumentException("measurement name '" + name + "' must not end in " + reserved);
            }
        }
        if (help.indexOf('\n') >= 0 || help.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("help of '" + name + "' must be one line");
        }
        if (labels.size() > MAX_LABELS) {
            throw new IllegalArgumentException(name + " has " + labels.size() + " labels, at most " + MAX_LABELS);
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            String key = label.getKey();
            if (key == null || !NAME.matcher(key).matches() || key.startsWith("__")) {
                throw new IllegalArgumentException(name + ": label name '" + key
                        + "' must match [a-z_][a-z0-9_]* and not start with __");
            }
            sorted.put(key, Objects.requireNonNull(label.getValue(), () -> name + ": label " + key + " has no value"));
        }
        labels = Collections.unmodifiableMap(sorted);
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " is " + value + "; a measurement is a finite number");
        }
        if (kind == Kind.COUNTER && value < 0) {
            throw new IllegalArgumentException("counter " + name + " is " + value + "; counters are not negative");
        }
    }

    /** A counter without labels. */
    public static Measurement counter(String name, String help, double value) {
        return new Measurement(name, help, Kind.COUNTER, Map.of(), value);
    }

    /** A counter with labels. */
    public static Measurement counter(String name, String help, Map<String, String> labels, double value) {
        return new Measurement(name, help, Kind.COUNTER, labels, value);
    }

    /** A gauge without labels. */
    public static Measurement gauge(String name, String help, double value) {
        return new Measurement(name, help, Kind.GAUGE, Map.of(), value);
    }

    /** A gauge with labels. */
    public static Measurement gauge(String name, String help, Map<String, String> labels, double value) {
        return new Measurement(name, help, Kind.GAUGE, labels, value);
    }
}
