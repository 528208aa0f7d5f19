package org.fusebox.history;

/** The bounds of {@link HistoryConfig}'s values, in one place for the Metatype text and the checks. */
final class HistoryConfigBounds {

    static final int MAX_CHARGER_SERIES = 32;
    static final int MIN_POINTS = 10;
    static final int MAX_POINTS = 20_000;

    private HistoryConfigBounds() {
    }
}
