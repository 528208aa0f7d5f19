package org.fusebox.api.forecast;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fusebox.api.units.PowerSlot;

/**
 * A forecast: expected power per slot, slots ordered by start and not overlapping.
 *
 * @param kind   what it predicts
 * @param source the forecaster's id, for the site API and logs
 * @param slots  the slots
 */
public record PowerForecast(ForecastKind kind, String source, List<PowerSlot> slots) {

    public PowerForecast {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        slots = slots.stream().sorted(Comparator.comparing(PowerSlot::start)).toList();
        for (int i = 1; i < slots.size(); i++) {
            if (slots.get(i).start().isBefore(slots.get(i - 1).end())) {
                throw new IllegalArgumentException("forecast slots overlap at " + slots.get(i).start());
            }
        }
    }

    public static PowerForecast empty(ForecastKind kind) {
        return new PowerForecast(kind, "none", List.of());
    }

    public Optional<PowerSlot> at(Instant t) {
        return slots.stream().filter(s -> s.contains(t)).findFirst();
    }

    public boolean isEmpty() {
        return slots.isEmpty();
    }
}
