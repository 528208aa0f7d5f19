package org.fusebox.api.units;

import java.util.Locale;

/** Shared checks for the quantity types; package-private on purpose. */
final class Quantities {

    private Quantities() {
    }

    static void requireFinite(double v, String what) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be a finite number, got " + v);
        }
    }

    static String format(double v, String unit) {
        return String.format(Locale.ROOT, "%.3f %s", v, unit).replaceFirst("\\.?0+ ", " ");
    }
}
