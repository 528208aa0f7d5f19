package org.fusebox.market.csv;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.fusebox.api.market.PriceCurve;

/**
 * What a price file parsed into.
 *
 * @param curve      the slots, ordered, non-overlapping
 * @param slotLength the slot length used (configured or inferred)
 * @param skipped    rows deliberately left out (local times that do not exist), in file order
 */
public record ParsedPrices(PriceCurve curve, Duration slotLength, List<SkippedRow> skipped) {

    public ParsedPrices {
        Objects.requireNonNull(curve, "curve");
        Objects.requireNonNull(slotLength, "slotLength");
        skipped = List.copyOf(skipped);
    }

    /**
     * A row that was read but not turned into a slot.
     *
     * @param line   1-based line number
     * @param text   the row as written
     * @param reason why it was left out
     */
    public record SkippedRow(int line, String text, String reason) {
    }
}
