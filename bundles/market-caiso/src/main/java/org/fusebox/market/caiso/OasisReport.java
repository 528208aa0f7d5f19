package org.fusebox.market.caiso;

import java.util.List;
import org.fusebox.api.market.PriceSlot;

/** What one OASIS answer said: hourly LMPs of whole trade days, or that nothing is published for the range. */
sealed interface OasisReport {

    record Prices(List<PriceSlot> slots, String note) implements OasisReport {
        public Prices {
            slots = List.copyOf(slots);
        }
    }

    /** ERR_CODE 1000, "No data returned for the specified selection": not published yet, not a failure. */
    record NoData(String code, String description) implements OasisReport {
    }
}
