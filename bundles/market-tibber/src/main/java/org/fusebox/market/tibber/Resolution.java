package org.fusebox.market.tibber;

import java.time.Duration;

/** The slot lengths Tibber's {@code priceInfo(resolution:)} offers, by their GraphQL enum names. */
enum Resolution {
    QUARTER_HOURLY(Duration.ofMinutes(15)),
    HOURLY(Duration.ofHours(1));

    private final Duration slot;

    Resolution(Duration slot) {
        this.slot = slot;
    }

    Duration slot() {
        return slot;
    }
}
