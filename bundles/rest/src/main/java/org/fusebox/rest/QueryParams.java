package org.fusebox.rest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request's query parameters, read strictly: an unknown, repeated or malformed parameter is a problem the
 * client hears about, never silently ignored.
 */
final class QueryParams {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private QueryParams() {
    }

    /** @param query the raw query string (without '?'), or null */
    static QueryParams parse(String query, Set<String> allowed) {
        QueryParams p = new QueryParams();
        if (query == null || query.isEmpty()) {
            return p;
        }
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                p.problems.add("the query is not URL-encoded properly: " + pair);
                continue;
            }
            if (!allowed.contains(name)) {
                p.problems.add("unknown parameter '" + name + "'; this resource takes " + String.join(", ", new TreeSet<>(allowed)));
            } else if (p.values.containsKey(name)) {
                p.problems.add("parameter '" + name + "' is given more than once");
            } else {
                p.values.put(name, value);
            }
        }
        return p;
    }

    List<String> problems() {
        return problems;
    }

    /** The value, null when absent; a blank value is a problem. */
    String text(String name) {
        String v = values.get(name);
        if (v != null && v.isBlank()) {
            problems.add("parameter '" + name + "' is empty");
            return null;
        }
        return v;
    }

    /** The value, a problem when absent. */
    String required(String name) {
        String v = text(name);
        if (v == null && !values.containsKey(name)) {
            problems.add("parameter '" + name + "' is required");
        }
        return v;
    }

    /**
     * An instant: an ISO-8601 instant or offset date-time, a local date-time (read in {@code zone}), or a date
     * (its start in {@code zone}; for an end bound, with {@code endOfDay}, the start of the next day, so that
     * {@code to=2026-03-31} includes that day). Null when the value is null or a problem.
     */
    Instant instant(String name, String value, ZoneId zone, boolean endOfDay) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            // not with an offset: the other forms
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            // not an instant
        }
        try {
            return LocalDateTime.parse(v).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            // not a local date-time
        }
        try {
            LocalDate d = LocalDate.parse(v);
            return (endOfDay ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
        } catch (DateTimeException e) {
            problems.add("parameter '" + name + "' is not a date (2026-03-01) or a date-time (2026-03-01T08:00, "
                    + "2026-03-01T08:00:00Z, 2026-03-01T08:00:00+01:00): " + value);
            return null;
        }
    }
}
