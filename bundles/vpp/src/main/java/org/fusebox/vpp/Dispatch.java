package org.fusebox.vpp;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A shed dispatch from the VPP: from {@code start} until {@code end} (exclusive) the site's import must not exceed
 * {@code importTargetKw}.
 */
record Dispatch(String id, Instant start, Instant end, double importTargetKw) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    /** @throws IllegalArgumentException naming what is wrong */
    Dispatch {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id must be 1 to 64 letters, digits or . _ : - (starting with a letter or digit), got "
                    + (id == null ? "none" : "'" + id + "'"));
        }
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("dispatch " + id + " must end after it starts, got " + start + " .. " + end);
        }
        if (!Double.isFinite(importTargetKw) || importTargetKw < 0) {
            throw new IllegalArgumentException("dispatch " + id + ": importTargetKw must be finite and not negative, got " + importTargetKw);
        }
    }

    boolean overlaps(Dispatch o) {
        return start.isBefore(o.end) && o.start.isBefore(end);
    }
}
