package org.fusebox.market.entsoe;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.SortedMap;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;

/**
 * Turns one {@code Period} (interval, resolution, points by position) into contiguous slots.
 * The slot count is always interval / resolution, never the number of points: under curve type A03
 * a position without a point repeats the price before it, trailing ones included.
 */
final class PeriodExpander {

    /** A01: every position has its own point. A03: a missing position repeats the previous price. */
    enum CurveType { A01, A03 }

    private PeriodExpander() {
    }

    static List<PriceSlot> expand(Instant start, Instant end, Duration resolution, CurveType curve,
            SortedMap<Integer, BigDecimal> points, Currency currency) throws DocumentRefused {
        if (resolution.isZero() || resolution.isNegative()) {
            throw new DocumentRefused("resolution " + resolution + " is not positive");
        }
        Duration interval = Duration.between(start, end);
        if (interval.isZero() || interval.isNegative()) {
            throw new DocumentRefused("period " + start + "/" + end + " is empty or reversed");
        }
        if (interval.toNanos() % resolution.toNanos() != 0) {
            throw new DocumentRefused("period " + start + "/" + end + " is not a whole number of " + resolution);
        }
        long count = interval.toNanos() / resolution.toNanos();
        if (points.isEmpty()) {
            throw new DocumentRefused("period " + start + "/" + end + " has no points");
        }
        if (points.firstKey() < 1 || points.lastKey() > count) {
            throw new DocumentRefused("period " + start + "/" + end + " at " + resolution + " has positions 1.." + count
                    + ", got a point at " + (points.firstKey() < 1 ? points.firstKey() : points.lastKey()));
        }
        if (points.firstKey() != 1) {
            throw new DocumentRefused("period " + start + "/" + end + " has no point at position 1");
        }
        if (curve == CurveType.A01 && points.size() != count) {
            throw new DocumentRefused("period " + start + "/" + end + " (curve type A01) has " + points.size()
                    + " points for " + count + " positions");
        }
        List<PriceSlot> slots = new ArrayList<>((int) count);
        BigDecimal price = null;
        for (int position = 1; position <= count; position++) {
            BigDecimal p = points.get(position);
            if (p != null) {
                price = p;
            }
            slots.add(new PriceSlot(start.plus(resolution.multipliedBy(position - 1L)), resolution,
                    new EnergyPrice(new Money(price, currency))));
        }
        return slots;
    }
}
