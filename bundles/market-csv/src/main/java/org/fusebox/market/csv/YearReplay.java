package org.fusebox.market.csv;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;

/**
 * Replays a year of prices onto other years, matching weekday and local time of day, so a demo has
 * prices "now" from a historical file.
 *
 * <p>The rule, for each target year T (the current one and the next) and the source year Y (the
 * local year of the first slot): let k be the whole number of weeks nearest to the days from 1 January
 * Y to 1 January T. Every slot of T, contiguous in UTC from local midnight 1 January T to local
 * midnight 1 January T+1, takes the price of the source slot at the same local time k weeks earlier
 * (so the same weekday and hour). Where that local time is not in the source, it tries k−52 and k+52
 * weeks (the edges of the year). A source local time that does not exist (the target hour falls on the
 * source's spring-forward gap) takes the source hour before it. A local time the source has twice (its fall-back hour) uses the first
 * occurrence; a target fall-back hour gets the same price for both occurrences. Slots nothing matches
 * (a source shorter than a year) are left out.
 */
final class YearReplay {

    private YearReplay() {
    }

    static PriceCurve replay(PriceCurve source, Duration slotLength, ZoneId zone, Instant now) {
        if (source.isEmpty()) {
            return source;
        }
        Map<LocalDateTime, EnergyPrice> byLocal = new HashMap<>();
        for (PriceSlot s : source.slots()) {
            byLocal.putIfAbsent(LocalDateTime.ofInstant(s.start(), zone), s.price());
        }
        int sourceYear = LocalDateTime.ofInstant(source.slots().get(0).start(), zone).getYear();
        int currentYear = now.atZone(zone).getYear();
        List<PriceSlot> out = new ArrayList<>();
        for (int year = currentYear; year <= currentYear + 1; year++) {
            long days = ChronoUnit.DAYS.between(LocalDate.of(sourceYear, 1, 1), LocalDate.of(year, 1, 1));
            long k = Math.round(days / 7.0);
            Instant t = ZonedDateTime.of(LocalDate.of(year, 1, 1).atStartOfDay(), zone).toInstant();
            Instant end = ZonedDateTime.of(LocalDate.of(year + 1, 1, 1).atStartOfDay(), zone).toInstant();
            for (; t.isBefore(end); t = t.plus(slotLength)) {
                LocalDateTime local = LocalDateTime.ofInstant(t, zone);
                EnergyPrice p = lookup(byLocal, local, k, zone);
                if (p != null) {
                    out.add(new PriceSlot(t, slotLength, p));
                }
            }
        }
        return new PriceCurve(out);
    }

    private static EnergyPrice lookup(Map<LocalDateTime, EnergyPrice> byLocal, LocalDateTime target, long k, ZoneId zone) {
        for (long weeks : new long[] { k, k - 52, k + 52 }) {
            LocalDateTime src = target.minusWeeks(weeks);
            if (zone.getRules().getValidOffsets(src).isEmpty()) {
                src = src.minusHours(1);
            }
            EnergyPrice p = byLocal.get(src);
            if (p != null) {
                return p;
            }
        }
        return null;
    }
}
