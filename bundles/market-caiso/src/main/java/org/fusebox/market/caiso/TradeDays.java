package org.fusebox.market.caiso;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** Trade days of the market's local calendar: 23, 24 or 25 hours long around the clock changes. */
final class TradeDays {

    static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");

    private TradeDays() {
    }

    static Instant start(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toInstant();
    }

    static int hours(LocalDate day, ZoneId zone) {
        return (int) Duration.between(start(day, zone), start(day.plusDays(1), zone)).toHours();
    }

    /** The hour ending number (1 = the first hour of the day) of the hour starting at {@code start}. */
    static int hourEnding(Instant start, LocalDate day, ZoneId zone) {
        return (int) Duration.between(start(day, zone), start).toHours() + 1;
    }
}
