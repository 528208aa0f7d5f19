package org.fusebox.api.site;

import java.util.Objects;
import java.util.Optional;
import org.fusebox.api.units.Power;

/**
 * Capacity limits at the grid connection that the grid side asks for now (a DSO's or aggregator's
 * {@link org.fusebox.api.grid.GridSignal}), on top of the fuse. The SafetyGuard applies them like the fuse.
 *
 * @param importLimit the most the site may import, summed over its phases; {@code null} when none is asked
 * @param exportLimit the most the site may export, summed over its phases; {@code null} when none is asked
 * @param reason      who asked, for people (the sources and signals in force); empty when there is no limit
 * @since 1.4
 */
public record GridLimits(Power importLimit, Power exportLimit, String reason) {

    /** No limit from the grid side: only the fuse bounds the site. */
    public static final GridLimits NONE = new GridLimits(null, null, "");

    public GridLimits {
        check(importLimit, "importLimit");
        check(exportLimit, "exportLimit");
        reason = Objects.requireNonNullElse(reason, "");
    }

    private static void check(Power limit, String name) {
        if (limit != null && (!Double.isFinite(limit.watts()) || limit.watts() < 0)) {
            throw new IllegalArgumentException(name + " must be finite and not negative, got " + limit);
        }
    }

    /** The import limit, empty when none is asked. */
    public Optional<Power> importCap() {
        return Optional.ofNullable(importLimit);
    }

    /** The export limit, empty when none is asked. */
    public Optional<Power> exportCap() {
        return Optional.ofNullable(exportLimit);
    }

    /** Whether neither limit is asked. */
    public boolean isNone() {
        return importLimit == null && exportLimit == null;
    }
}
