package org.fusebox.market.tibber;

import java.util.Currency;
import java.util.List;
import org.fusebox.api.market.PriceSlot;

/**
 * One accepted answer: the home's retail prices for today and, once published, tomorrow.
 *
 * @param homeId        the home the prices are for
 * @param currency      their currency
 * @param todaySlots    how many of {@code slots} are today's
 * @param tomorrowSlots how many are tomorrow's (0 before publication)
 * @param slots         every slot, in order, gapless
 */
record TibberPrices(String homeId, Currency currency, int todaySlots, int tomorrowSlots, List<PriceSlot> slots) {

    TibberPrices {
        slots = List.copyOf(slots);
    }
}
