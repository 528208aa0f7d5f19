package org.fusebox.market.nordpool;

import java.time.LocalDate;
import java.util.List;
import org.fusebox.api.market.PriceSlot;

/**
 * One accepted delivery day of one area.
 *
 * @param date        the delivery day (CET)
 * @param preliminary true while Nord Pool marks the area's prices Preliminary, false once Final
 * @param updatedAt   when Nord Pool last changed them, as it says (for health), may be empty
 * @param slots       the whole day, in order, gapless
 */
record NordpoolDay(LocalDate date, boolean preliminary, String updatedAt, List<PriceSlot> slots) {

    NordpoolDay {
        slots = List.copyOf(slots);
    }
}
