package org.fusebox.history;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.rrd4j.ConsolFun;

/**
 * A checked history request: which series, over which range, at which resolution and consolidation. {@link #parse}
 * collects every problem of the query string at once, like the rest of the API does for bodies.
 *
 * @param series        the series asked for, in the order asked
 * @param from          start, inclusive (epoch seconds, aligned down to the resolution)
 * @param to            end, inclusive (aligned down to the resolution)
 * @param resolution    the archive
 * @param consolidation AVERAGE or MAX
 */
record HistoryQuery(List<Series> series, long from, long to, Resolution resolution, ConsolFun consolidation) {

    static final Set<String> PARAMETERS = Set.of("series", "from", "to", "resolution", "consolidation");
    /** What {@code from} is when only {@code to} (or nothing) is given. */
    static final Duration DEFAULT_RANGE = Duration.ofHours(1);

    /** The number of points each series of the answer has. */
    long points() {
        return (to - from) / resolution.seconds() + 1;
    }

    /** Either a query or every problem found; never both. */
    record Parsed(HistoryQuery query, List<String> problems) {
        boolean ok() {
            return query != null;
        }
    }

    static Parsed parse(Map<String, String[]> parameters, Instant now, SeriesCatalogue catalogue, int maxPoints) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String[]> e : parameters.entrySet()) {
            if (!PARAMETERS.contains(e.getKey())) {
                problems.add("unknown parameter \"" + e.getKey() + "\"; the parameters are " + String.join(", ", sorted(PARAMETERS)));
            } else if (e.getValue().length > 1) {
                problems.add("parameter \"" + e.getKey() + "\" is given " + e.getValue().length + " times; give it once");
            }
        }
        List<Series> series = series(one(parameters, "series"), catalogue, problems);
        Optional<Instant> to = instant(one(parameters, "to"), "to", problems);
        Optional<Instant> from = instant(one(parameters, "from"), "from", problems);
        Instant end = to.orElse(now);
        Instant start = from.orElse(end.minus(DEFAULT_RANGE));
        if (!start.isBefore(end)) {
            problems.add("from (" + start + ") must be before to (" + end + ")");
        }
        ConsolFun consolidation = consolidation(one(parameters, "consolidation"), problems);
        String resolutionText = one(parameters, "resolution");
        Resolution resolution = null;
        if (resolutionText == null || resolutionText.isBlank() || resolutionText.equalsIgnoreCase("auto")) {
            resolution = problems.isEmpty() ? automatic(start, end, now, maxPoints, problems) : null;
        } else {
            resolution = Resolution.ofLabel(resolutionText.trim()).orElse(null);
            if (resolution == null) {
                problems.add("resolution must be auto, 10s, 15m or 1h, got \"" + resolutionText + "\"");
            } else if (problems.isEmpty()) {
                long n = points(start, end, resolution);
                if (n > maxPoints) {
                    problems.add("from " + start + " to " + end + " at " + resolution.label + " is " + n + " points per series; at most "
                            + maxPoints + ": narrow the range or choose a coarser resolution");
                }
            }
        }
        if (!problems.isEmpty()) {
            return new Parsed(null, List.copyOf(problems));
        }
        long res = resolution.seconds();
        long a = Math.floorDiv(start.getEpochSecond(), res) * res;
        long b = Math.floorDiv(end.getEpochSecond(), res) * res;
        return new Parsed(new HistoryQuery(series, a, b, resolution, consolidation), List.of());
    }

    static long points(Instant start, Instant end, Resolution r) {
        long res = r.seconds();
        return Math.floorDiv(end.getEpochSecond(), res) - Math.floorDiv(start.getEpochSecond(), res) + 1;
    }

    /** The finest archive that still reaches back to {@code start} and answers in at most {@code maxPoints} points. */
    private static Resolution automatic(Instant start, Instant end, Instant now, int maxPoints, List<String> problems) {
        for (Resolution r : Resolution.values()) {
            boolean reaches = !start.isBefore(now.minus(r.span()));
            if ((reaches || r == Resolution.ONE_HOUR) && points(start, end, r) <= maxPoints) {
                return r;
            }
        }
        problems.add("from " + start + " to " + end + " is more than " + maxPoints + " points per series even at 1h: narrow the range");
        return null;
    }

    private static String one(Map<String, String[]> parameters, String name) {
        String[] v = parameters.get(name);
        return v == null || v.length == 0 ? null : v[0];
    }

    private static List<Series> series(String text, SeriesCatalogue catalogue, List<String> problems) {
        if (text == null || text.isBlank()) {
            problems.add("parameter \"series\" is missing: name one or more of " + String.join(", ", catalogue.names())
                    + ", separated by commas");
            return List.of();
        }
        Set<String> seen = new LinkedHashSet<>();
        List<Series> found = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String name = raw.trim();
            if (name.isEmpty()) {
                problems.add("series has an empty name in \"" + text + "\"");
            } else if (!seen.add(name)) {
                problems.add("series \"" + name + "\" is named twice");
            } else {
                Optional<Series> s = catalogue.byName(name);
                if (s.isEmpty()) {
                    problems.add("unknown series \"" + name + "\"; the series are " + String.join(", ", catalogue.names()));
                } else {
                    found.add(s.get());
                }
            }
        }
        return List.copyOf(found);
    }

    private static Optional<Instant> instant(String text, String name, List<String> problems) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.trim()).toInstant());
        } catch (DateTimeParseException e) {
            problems.add(name + " must be an ISO-8601 date and time with an offset, e.g. \"2026-11-24T06:00:00Z\", got \"" + text + "\"");
            return Optional.empty();
        }
    }

    private static ConsolFun consolidation(String text, List<String> problems) {
        if (text == null || text.isBlank()) {
            return ConsolFun.AVERAGE;
        }
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "average":
                return ConsolFun.AVERAGE;
            case "max":
                return ConsolFun.MAX;
            default:
                problems.add("consolidation must be average or max, got \"" + text + "\"");
                return ConsolFun.AVERAGE;
        }
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
