package org.fusebox.optimiser.peakshaving;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Where billing intervals start: on the wall clock of the site's zone (:00, :15, :30, :45 for 15 minutes).
 * The interval length divides an hour, so an offset change of whole hours (summer time) keeps the grid;
 * zones with half- or quarter-hour offsets still start hourly intervals on their own clock.
 */
record BillingIntervals(Duration length, ZoneId zone) {

    /** Start of the interval holding {@code t}. */
    Instant startOf(Instant t) {
        long offset = zone.getRules().getOffset(t).getTotalSeconds();
        long len = length.toSeconds();
        long local = t.getEpochSecond() + offset;
        return Instant.ofEpochSecond(Math.floorDiv(local, len) * len - offset);
    }

    Instant endOf(Instant start) {
        return start.plus(length);
    }
}
