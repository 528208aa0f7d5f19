package org.fusebox.api.market;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.time.Instant;

/**
 * Prices over time, slots ordered by start and not overlapping.
 *
 * @param slots the slots
 */
public record PriceCurve(List<PriceSlot> slots) {

    public static final PriceCurve EMPTY = new PriceCurve(List.of());

    public PriceCurve {
        slots = slots.stream().sorted(Comparator.comparing(PriceSlot::start)).toList();
        for (int i = 1; i < slots.size(); i++) {
            if (slots.get(i).start().isBefore(slots.get(i - 1).end())) {
                throw new IllegalArgumentException("price slots overlap at " + slots.get(i).start());
            }
        }
    }

    public Optional<PriceSlot> at(Instant t) {
        return slots.stream().filter(s -> s.contains(t)).findFirst();
    }

    public boolean isEmpty() {
        return slots.isEmpty();
    }
}
