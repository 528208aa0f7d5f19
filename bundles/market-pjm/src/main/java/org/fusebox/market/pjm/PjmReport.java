package org.fusebox.market.pjm;

import java.util.List;
import org.fusebox.api.market.PriceSlot;

/** What one paged query said: hourly LMPs of whole Eastern trade days, or none published for the range. */
sealed interface PjmReport {

    record Prices(List<PriceSlot> slots, String note) implements PjmReport {
        public Prices {
            slots = List.copyOf(slots);
        }
    }

    /** totalRows 0: nothing published for the range yet, not a failure. */
    record NoData(String range) implements PjmReport {
    }
}
