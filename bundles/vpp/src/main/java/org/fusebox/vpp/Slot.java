package org.fusebox.vpp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** One slot of the flexibility horizon, {@code start} inclusive, {@code end} exclusive. */
record Slot(Instant start, Instant end) {

    Slot {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a slot must end after it starts, got " + start + " .. " + end);
        }
    }

    double hours() {
        return Duration.between(start, end).toNanos() / 3.6e12;
    }

    /**
     * Slots of {@code length} aligned to the clock (to the epoch, so :00, :15, ... for 15 minutes), the first from
     * {@code now} to the next boundary, until the last boundary at or before {@code now + horizon} (at least one slot).
     */
    static List<Slot> aligned(Instant now, Duration length, Duration horizon) {
        if (length.isZero() || length.isNegative() || horizon.isZero() || horizon.isNegative()) {
            throw new IllegalArgumentException("slot length and horizon must be positive, got " + length + " and " + horizon);
        }
        long lenMs = length.toMillis();
        long endMs = Math.floorDiv(now.plus(horizon).toEpochMilli(), lenMs) * lenMs;
        Instant end = Instant.ofEpochMilli(endMs).isAfter(now) ? Instant.ofEpochMilli(endMs)
                : Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), lenMs) * lenMs + lenMs);
        List<Slot> slots = new ArrayList<>();
        Instant t = now;
        while (t.isBefore(end)) {
            long next = Math.floorDiv(t.toEpochMilli(), lenMs) * lenMs + lenMs;
            Instant e = Instant.ofEpochMilli(next);
            if (e.isAfter(end)) {
                e = end;
            }
            slots.add(new Slot(t, e));
            t = e;
        }
        return List.copyOf(slots);
    }
}
