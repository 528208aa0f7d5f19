package org.fusebox.market.support;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * When to ask and for what, for a source that publishes the next day's prices once a day. Each request
 * covers today and tomorrow (market time zone); prices are complete when they reach the end of today
 * before the publication time and the end of tomorrow after it. Complete: the next request is at the next
 * publication time. Otherwise (a failure, or tomorrow not published yet) the wait doubles from the first
 * retry to the cap; a wait the source asked for (Retry-After) is honoured up to {@link #LONGEST_HONOURED_WAIT}.
 * Whatever the case, two requests are at least {@code minSpacing} apart.
 *
 * @param zone         the market time zone (delivery days and the publication time)
 * @param publication  local time after which tomorrow's prices are expected
 * @param retryInitial the first retry wait
 * @param retryMax     the cap of the doubling wait
 * @param minSpacing   the shortest time between two requests (zero: no minimum)
 */
public record DailySchedule(ZoneId zone, LocalTime publication, Duration retryInitial, Duration retryMax,
        Duration minSpacing) {

    /** A longer Retry-After is taken as this: a source's typo must not silence a feed for weeks. */
    public static final Duration LONGEST_HONOURED_WAIT = Duration.ofDays(1);

    public DailySchedule {
        if (retryInitial.isNegative() || retryInitial.isZero() || retryMax.compareTo(retryInitial) < 0
                || minSpacing.isNegative()) {
            throw new IllegalArgumentException("retry waits must be positive with the cap at least the first wait, "
                    + "and the spacing not negative: " + retryInitial + ".." + retryMax + ", " + minSpacing);
        }
    }

    public DailySchedule(ZoneId zone, LocalTime publication, Duration retryInitial, Duration retryMax) {
        this(zone, publication, retryInitial, retryMax, Duration.ZERO);
    }

    /** The start of today in the market zone: where a request's interval starts. */
    public Instant windowStart(Instant now) {
        return today(now).atStartOfDay(zone).toInstant();
    }

    /** The end of tomorrow in the market zone: where a request's interval ends. */
    public Instant windowEnd(Instant now) {
        return today(now).plusDays(2).atStartOfDay(zone).toInstant();
    }

    /** The delivery day (market zone) of {@code now}. */
    public LocalDate today(Instant now) {
        return now.atZone(zone).toLocalDate();
    }

    /** How far prices should be known at {@code now}. */
    public Instant wantedUntil(Instant now) {
        LocalDate today = today(now);
        boolean published = !now.isBefore(publicationOn(today));
        return today.plusDays(published ? 2 : 1).atStartOfDay(zone).toInstant();
    }

    public Instant nextPublication(Instant now) {
        Instant p = publicationOn(today(now));
        return now.isBefore(p) ? p : publicationOn(today(now).plusDays(1));
    }

    /** The wait before retry number {@code attempt} (1 = the first), doubled each time and capped. */
    public Duration backoff(int attempt) {
        Duration d = retryInitial;
        for (int i = 1; i < attempt && d.compareTo(retryMax) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(retryMax) > 0 ? retryMax : d;
    }

    /** The next request after one at {@code now} whose outcome left prices known until {@code knownUntil}. */
    public Instant next(Instant now, Instant knownUntil, int unsuccessfulInARow) {
        return next(now, knownUntil, unsuccessfulInARow, Duration.ZERO);
    }

    /**
     * As {@link #next(Instant, Instant, int)}, and not before the wait the source asked for.
     *
     * @param askedWait the source's Retry-After, zero when it gave none
     */
    public Instant next(Instant now, Instant knownUntil, int unsuccessfulInARow, Duration askedWait) {
        Instant next;
        if (unsuccessfulInARow == 0 && !knownUntil.isBefore(wantedUntil(now))) {
            next = nextPublication(now);
        } else {
            next = now.plus(backoff(Math.max(1, unsuccessfulInARow)));
        }
        Duration asked = askedWait.compareTo(LONGEST_HONOURED_WAIT) > 0 ? LONGEST_HONOURED_WAIT : askedWait;
        next = latest(next, now.plus(asked));
        return latest(next, now.plus(minSpacing));
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private Instant publicationOn(LocalDate day) {
        return ZonedDateTime.of(day, publication, zone).toInstant();
    }
}
