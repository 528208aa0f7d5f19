package org.fusebox.api.grid;

/** What a {@link GridSignal}'s value means, and in which unit. */
public enum GridSignalKind {
    /** The most the site may import, in watts (summed over its phases). */
    IMPORT_CAPACITY_LIMIT("W"),
    /** The most the site may export, in watts (summed over its phases). */
    EXPORT_CAPACITY_LIMIT("W"),
    /** What imported energy costs, per MWh in the signal's currency. */
    PRICE("per MWh"),
    /** What exported energy earns, per MWh in the signal's currency. */
    EXPORT_PRICE("per MWh"),
    /** A load-shed level: 0 normal, higher sheds more, as the program defines. */
    LOAD_SHED_LEVEL("level"),
    /** A notice for people (grid emergency, outage ahead, ...): the detail says what. */
    ALERT("");

    private final String unit;

    GridSignalKind(String unit) {
        this.unit = unit;
    }

    /** The unit of {@link GridSignal#value()} for this kind, empty when the value means nothing. */
    public String unit() {
        return unit;
    }

    /** Whether this kind bounds the site's power at the grid connection, so the safety tier applies it. */
    public boolean isCapacityLimit() {
        return this == IMPORT_CAPACITY_LIMIT || this == EXPORT_CAPACITY_LIMIT;
    }
}
