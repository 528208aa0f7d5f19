package org.fusebox.market.support;

import java.util.List;
import org.fusebox.api.market.PriceSlot;

/**
 * What one request brought: prices (possibly fewer than asked for, e.g. tomorrow not out yet), or none
 * because none are published for the interval (not an error: nothing known is dropped).
 *
 * @param slots the prices, none when nothing is published
 * @param note  what the source said, for health ("7 of 96 prices missing", "reason 999: no data")
 */
public record FetchResult(List<PriceSlot> slots, String note) {

    public FetchResult {
        slots = List.copyOf(slots);
        note = note == null ? "" : note;
    }

    public static FetchResult prices(List<PriceSlot> slots) {
        return new FetchResult(slots, "");
    }

    public static FetchResult prices(List<PriceSlot> slots, String note) {
        return new FetchResult(slots, note);
    }

    public static FetchResult noData(String reason) {
        return new FetchResult(List.of(), reason);
    }

    public boolean hasPrices() {
        return !slots.isEmpty();
    }
}
