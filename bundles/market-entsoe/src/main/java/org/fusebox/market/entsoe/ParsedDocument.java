package org.fusebox.market.entsoe;

import java.util.List;
import org.fusebox.api.market.PriceSlot;

/** What a response said: prices, or that none are published for the interval (not an error). */
sealed interface ParsedDocument {

    record Prices(List<PriceSlot> slots, String note) implements ParsedDocument {
        public Prices {
            slots = List.copyOf(slots);
        }
    }

    /** An acknowledgement with reason 999: nothing published yet for the interval asked. */
    record NoData(String reason) implements ParsedDocument {
    }
}
