package org.fusebox.history;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The store's archives, finest first: each keeps its points for a fixed span. */
enum Resolution {
    /** 10 s points for a day. */
    TEN_SECONDS("10s", 1, 8_640),
    /** 15 min points for 31 days. */
    FIFTEEN_MINUTES("15m", 90, 2_976),
    /** 1 h points for 366 days. */
    ONE_HOUR("1h", 360, 8_784);

    /** The store's base step: every archive is a whole number of these. */
    static final long STEP_SECONDS = 10;

    final String label;
    /** Base steps per point. */
    final int steps;
    /** Points kept. */
    final int rows;

    Resolution(String label, int steps, int rows) {
        this.label = label;
        this.steps = steps;
        this.rows = rows;
    }

    long seconds() {
        return STEP_SECONDS * steps;
    }

    /** How far back this archive reaches. */
    Duration span() {
        return Duration.ofSeconds(seconds() * rows);
    }

    static Optional<Resolution> ofLabel(String label) {
        String l = label.toLowerCase(Locale.ROOT);
        for (Resolution r : values()) {
            if (r.label.equals(l)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
