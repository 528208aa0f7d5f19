package org.fusebox.grid.openadr;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ISO 8601 times and durations of OpenADR 3: a {@code dateTime} with its offset, and a {@code duration}
 * by the pattern of the 3.0.1 OpenAPI document (years, months, days or weeks, hours, minutes, seconds).
 */
final class IsoTime {

    /** OpenADR's "beginning of time", 0001-01-01: a 'do it now' start or 'right after the previous interval'. */
    static final Instant BEGINNING = Instant.parse("0001-01-01T00:00:00Z");

    /** A span at least this long means "until further notice" (the User Guide's P9999Y and the like). */
    static final Duration VERY_LONG = Duration.ofDays(100L * 365);

    // the 3.0.1 schema's duration pattern; "P0S" (used in the User Guide for a zero randomizeStart) is accepted too
    private static final Pattern DURATION = Pattern.compile(
            "^(-?)P(?=\\d|T\\d)(?:(\\d+)Y)?(?:(\\d+)M)?(?:(\\d+)([DW]))?(?:T(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+(?:\\.\\d+)?)S)?)?$");

    private IsoTime() {
    }

    /** An ISO 8601 duration as a calendar part and a time part; throws with the reason when malformed or negative. */
    static Span duration(String text) {
        if (text == null) {
            throw new IllegalArgumentException("duration is missing");
        }
        if (text.equals("P0S")) {
            return new Span(Period.ZERO, Duration.ZERO, text);
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("duration '" + text + "' is not an ISO 8601 duration");
        }
        if (!m.group(1).isEmpty()) {
            throw new IllegalArgumentException("duration '" + text + "' is negative");
        }
        try {
            int years = intOf(m.group(2));
            int months = intOf(m.group(3));
            int days = intOf(m.group(4));
            if ("W".equals(m.group(5))) {
                days = Math.multiplyExact(days, 7);
            }
            Duration time = Duration.ofHours(intOf(m.group(6))).plusMinutes(intOf(m.group(7)));
            if (m.group(8) != null) {
                time = time.plus(Duration.ofNanos(new java.math.BigDecimal(m.group(8)).movePointRight(9).longValueExact()));
            }
            return new Span(Period.of(years, months, days), time, text);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("duration '" + text + "' is out of range");
        }
    }

    private static int intOf(String digits) {
        return digits == null ? 0 : Integer.parseInt(digits);
    }

    /**
     * A {@code dateTime} with an offset ({@code Z} or {@code ±hh:mm}). OpenADR's "beginning of time" may be
     * written without one ({@code 0001-01-01} or {@code 0001-01-01T00:00:00}); any other time without an
     * offset is refused, as nothing says in which zone it is.
     */
    static Instant start(String text) {
        if (text == null) {
            throw new IllegalArgumentException("start is missing");
        }
        if (text.equals("0001-01-01") || text.equals("0001-01-01T00:00:00")) {
            return BEGINNING;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("start '" + text + "' is not an ISO 8601 date-time with an offset");
        }
    }

    /** A duration's calendar part (applied in UTC) and time part. */
    record Span(Period period, Duration time, String text) {

        boolean isZero() {
            return period.isZero() && time.isZero();
        }

        /** The end of a span from {@code start}; null when the span is {@link #VERY_LONG} or beyond any calendar. */
        Instant endFrom(Instant start) {
            try {
                Instant end = OffsetDateTime.ofInstant(start, ZoneOffset.UTC).plus(period).plus(time).toInstant();
                return Duration.between(start, end).compareTo(VERY_LONG) >= 0 ? null : end;
            } catch (java.time.DateTimeException | ArithmeticException e) {
                return null;
            }
        }
    }
}
