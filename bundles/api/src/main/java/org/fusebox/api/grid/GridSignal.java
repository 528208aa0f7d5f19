package org.fusebox.api.grid;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One signal from the grid side, in force from {@code start} until {@code end}.
 *
 * @param id       stable identity within its source (for example the event id and interval), so a signal
 *                 sent again replaces itself rather than adding a second one
 * @param source   who sent it (the {@link GridSignalSource#id()} and, where useful, the program)
 * @param kind     what the value means
 * @param start    when it comes into force
 * @param end      when it stops, exclusive; {@code null} for "until further notice"
 * @param value    the value in the unit of its {@link GridSignalKind#unit() kind}; finite, and not negative
 *                 for capacity limits
 * @param currency the currency of a price (ISO 4217), empty for other kinds
 * @param detail   free text for people: the program, an alert's description; never {@code null}
 */
public record GridSignal(String id, String source, GridSignalKind kind, Instant start, Instant end, double value,
        String currency, String detail) {

    public GridSignal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(start, "start");
        if (end != null && !end.isAfter(start)) {
            throw new IllegalArgumentException("signal " + id + " ends at " + end + ", not after its start " + start);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("signal " + id + " has no finite value: " + value);
        }
        if (kind.isCapacityLimit() && value < 0) {
            throw new IllegalArgumentException("signal " + id + ": a capacity limit cannot be negative, got " + value + " W");
        }
        currency = currency == null ? "" : currency;
        detail = detail == null ? "" : detail;
    }

    /** When it stops, empty for "until further notice". */
    public Optional<Instant> endTime() {
        return Optional.ofNullable(end);
    }

    /** Whether it is in force at {@code t}. */
    public boolean isActiveAt(Instant t) {
        return !t.isBefore(start) && (end == null || t.isBefore(end));
    }
}
