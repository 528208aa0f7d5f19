package org.fusebox.market.pjm;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;

/**
 * Collects the pages of one query into whole trade days, or refuses them all. A row repeated on a
 * later page with the same price is dropped (pages can shift while PJM writes); the same hour with
 * another price, a count that changes between pages, paging that ends before {@code totalRows}, and a
 * trade day with missing hours are refused: nothing of such an answer is used.
 */
final class PjmPages {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final java.util.Currency USD = java.util.Currency.getInstance("USD");

    private final TreeMap<Instant, PjmPage.Row> byStart = new TreeMap<>();
    private long totalRows = -1;
    private long rowsSeen;
    private int duplicates;
    private int pages;

    void add(PjmPage page) throws ReportRefused {
        pages++;
        if (totalRows < 0) {
            totalRows = page.totalRows();
        } else if (totalRows != page.totalRows()) {
            throw new ReportRefused("totalRows changed from " + totalRows + " to " + page.totalRows() + " on page " + pages
                    + ": the data changed while paging");
        }
        for (PjmPage.Row r : page.rows()) {
            rowsSeen++;
            PjmPage.Row before = byStart.putIfAbsent(r.start(), r);
            if (before != null) {
                if (before.totalLmp().compareTo(r.totalLmp()) != 0) {
                    throw new ReportRefused("the hour starting " + r.start() + " has two prices, " + before.totalLmp().toPlainString()
                            + " and " + r.totalLmp().toPlainString() + " (page " + pages + ")");
                }
                duplicates++;
            }
        }
    }

    /** Whether every row counted in totalRows has arrived. */
    boolean complete() {
        return totalRows >= 0 && rowsSeen >= totalRows;
    }

    long rowsSeen() {
        return rowsSeen;
    }

    PjmReport result(String range) throws ReportRefused {
        if (!complete()) {
            throw new ReportRefused("paging ended after " + rowsSeen + " of " + totalRows + " rows (" + pages + " pages)");
        }
        if (byStart.isEmpty()) {
            return new PjmReport.NoData(range);
        }
        Map<LocalDate, Integer> hoursPerDay = new TreeMap<>();
        List<PriceSlot> slots = new ArrayList<>(byStart.size());
        for (PjmPage.Row r : byStart.values()) {
            hoursPerDay.merge(r.startEastern().toLocalDate(), 1, Integer::sum);
            slots.add(new PriceSlot(r.start(), HOUR, new EnergyPrice(new Money(r.totalLmp(), USD))));
        }
        for (Map.Entry<LocalDate, Integer> d : hoursPerDay.entrySet()) {
            int expected = TradeDays.hours(d.getKey());
            if (d.getValue() != expected) {
                throw new ReportRefused("trade day " + d.getKey() + " has " + d.getValue() + " of its " + expected
                        + " hours; a partial day is not used");
            }
        }
        return new PjmReport.Prices(slots, slots.size() + " hourly LMPs for trade days " + hoursPerDay.keySet() + " in "
                + pages + (pages == 1 ? " page" : " pages") + (duplicates == 0 ? "" : ", " + duplicates + " repeated rows dropped"));
    }
}
