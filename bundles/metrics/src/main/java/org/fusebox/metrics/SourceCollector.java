package org.fusebox.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.fusebox.api.metrics.Measurement;
import org.fusebox.api.metrics.MetricsSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every {@link MetricsSource} at scrape time and turns its measurements into {@code fusebox_<component>_<name>}
 * families. A source is taken whole or not at all: one that throws, answers no list, a null, a series twice, a
 * name that another source or the site metrics already use with another kind, is left out of that scrape, logged
 * once and counted in {@code fusebox_metrics_source_errors_total}. A source over the series bound gives its first
 * series only (and counts as an error). Nothing a source does fails the scrape.
 */
final class SourceCollector implements MultiCollector {

    static final String PREFIX = "fusebox_";
    static final String UNKNOWN_COMPONENT = "unknown";
    static final String ERRORS = "fusebox_metrics_source_errors";
    /** Distinct components counted in the error counter, at most; later ones count as "other". */
    static final int MAX_ERROR_COMPONENTS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(SourceCollector.class);

    private final Supplier<Collection<MetricsSource>> sources;
    private final int maxSeriesPerSource;
    private final Set<String> taken;
    /** Errors by component, exported by this collector itself so that a scrape counts its own errors. */
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    /** Sources already logged, so a broken one does not fill the log at every scrape. */
    private final Set<MetricsSource> logged = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /**
     * @param taken names (as the model has them: counters without {@code _total}) that the rest of the registry
     *              exports; a source's measurement of such a name is refused
     */
    SourceCollector(Supplier<Collection<MetricsSource>> sources, int maxSeriesPerSource, Set<String> taken) {
        this.sources = sources;
        this.maxSeriesPerSource = maxSeriesPerSource;
        this.taken = new HashSet<>(taken);
        this.taken.add(ERRORS);
    }

    /** A family being built: its kind, its help, and its series by label set. */
    private static final class Family {
        final Measurement.Kind kind;
        final String help;
        final Map<Map<String, String>, Double> series = new LinkedHashMap<>();

        Family(Measurement.Kind kind, String help) {
            this.kind = kind;
            this.help = help;
        }
    }

    /** Why a source's answer is left out of a scrape. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Family> families = new LinkedHashMap<>();
        Set<String> reserved = taken;
        for (MetricsSource source : List.copyOf(sources.get())) {
            String component = UNKNOWN_COMPONENT;
            try {
                component = componentOf(source);
                Map<String, Family> own = read(source, component, families, reserved);
                merge(own, families);
            } catch (Refused e) {
                fail(source, component, e.getMessage());
            } catch (RuntimeException | LinkageError e) {
                fail(source, component, "failed: " + e);
            }
        }
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        for (Map.Entry<String, Family> e : families.entrySet()) {
            Family f = e.getValue();
            if (f.kind == Measurement.Kind.COUNTER) {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(e.getKey()).help(f.help);
                f.series.forEach((labels, value) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(labels(labels)).value(value).build()));
                out.metricSnapshot(b.build());
            } else {
                GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(e.getKey()).help(f.help);
                f.series.forEach((labels, value) -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(labels(labels)).value(value).build()));
                out.metricSnapshot(b.build());
            }
        }
        CounterSnapshot.Builder failures = CounterSnapshot.builder().name(ERRORS)
                .help("Scrapes in which a metrics source was left out (it threw or answered something unusable) or cut "
                        + "to the series bound");
        errors.forEach((component, count) -> failures.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of("component", component)).value(count.sum()).build()));
        out.metricSnapshot(failures.build());
        return out.build();
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(ERRORS);
    }

    private static String componentOf(MetricsSource source) throws Refused {
        String raw = source.component();
        String sanitised = raw == null ? "" : sanitise(raw);
        if (sanitised.isEmpty()) {
            throw new Refused("has no usable component name: " + (raw == null ? "null" : "'" + raw + "'"));
        }
        return sanitised;
    }

    /** Lower case; anything but letters, digits and {@code _} becomes {@code _}; runs of {@code _} become one. */
    static String sanitise(String component) {
        String s = component.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_").replaceAll("_{2,}", "_");
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '_') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '_') {
            to--;
        }
        return s.substring(from, to);
    }

    /** The name as the model holds it: a counter's {@code _total} is added back by the text format. */
    static String exportedName(String component, Measurement m) {
        String name = m.kind() == Measurement.Kind.COUNTER ? m.name().substring(0, m.name().length() - "_total".length())
                : m.name();
        return PREFIX + component + "_" + name;
    }

    private Map<String, Family> read(MetricsSource source, String component, Map<String, Family> others,
            Set<String> reserved) throws Refused {
        List<Measurement> answer = source.measurements();
        if (answer == null) {
            throw new Refused("answered no list");
        }
        Map<String, Family> own = new LinkedHashMap<>();
        int count = 0;
        for (Measurement m : answer) {
            if (m == null) {
                throw new Refused("answered a null measurement");
            }
            if (count == maxSeriesPerSource) {
                failOver(source, component, answer.size());
                break;
            }
            String name = exportedName(component, m);
            if (reserved.contains(name)) {
                throw new Refused(m.name() + " would be " + name + ", which the metrics bundle exports itself");
            }
            Family f = own.get(name);
            if (f == null) {
                Family other = others.get(name);
                if (other != null && other.kind != m.kind()) {
                    throw new Refused(m.name() + " is a " + m.kind() + " but another source of " + component
                            + " gives it as a " + other.kind);
                }
                f = new Family(m.kind(), other != null ? other.help : m.help());
                own.put(name, f);
            } else if (f.kind != m.kind()) {
                throw new Refused(m.name() + " is given both as a COUNTER and as a GAUGE");
            }
            Family other = others.get(name);
            if (f.series.containsKey(m.labels()) || other != null && other.series.containsKey(m.labels())) {
                throw new Refused(m.name() + m.labels() + " is given twice");
            }
            f.series.put(m.labels(), m.value());
            count++;
        }
        return own;
    }

    private static void merge(Map<String, Family> own, Map<String, Family> families) {
        for (Map.Entry<String, Family> e : own.entrySet()) {
            Family into = families.get(e.getKey());
            if (into == null) {
                families.put(e.getKey(), e.getValue());
            } else {
                into.series.putAll(e.getValue().series);
            }
        }
    }

    private static Labels labels(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return Labels.EMPTY;
        }
        return Labels.of(new ArrayList<>(labels.keySet()), new ArrayList<>(labels.values()));
    }

    private void failOver(MetricsSource source, String component, int size) {
        count(component);
        if (logged.add(source)) {
            LOG.warn("metrics source {} gives {} series, more than maxSeriesPerSource ({}); only the first are exported",
                    component, size, maxSeriesPerSource);
        }
    }

    private void fail(MetricsSource source, String component, String why) {
        count(component);
        if (logged.add(source)) {
            LOG.warn("metrics source {} ({}) left out of the scrape: {} (logged once)", component,
                    source.getClass().getName(), why);
        }
    }

    private void count(String component) {
        LongAdder count = errors.get(component);
        if (count == null) {
            count = errors.size() < MAX_ERROR_COMPONENTS ? errors.computeIfAbsent(component, c -> new LongAdder())
                    : errors.computeIfAbsent("other", c -> new LongAdder());
        }
        count.increment();
    }
}
