package org.fusebox.market.pjm;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** PJM's trade days in Eastern Prevailing Time: 23, 24 or 25 hours long around the clock changes. */
final class TradeDays {

    static final ZoneId EASTERN = ZoneId.of("America/New_York");

    private TradeDays() {
    }

    static Instant start(LocalDate day) {
        return day.atStartOfDay(EASTERN).toInstant();
    }

    static int hours(LocalDate day) {
        return (int) Duration.between(start(day), start(day.plusDays(1))).toHours();
    }
}
