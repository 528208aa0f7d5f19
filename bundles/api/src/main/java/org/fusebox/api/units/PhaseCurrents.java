package org.fusebox.api.units;

import java.util.Objects;

/**
 * One current per phase, as a meter or a fuse sees them.
 */
public record PhaseCurrents(Current l1, Current l2, Current l3) {

    public static final PhaseCurrents ZERO = new PhaseCurrents(Current.ZERO, Current.ZERO, Current.ZERO);

    public PhaseCurrents {
        Objects.requireNonNull(l1, "l1");
        Objects.requireNonNull(l2, "l2");
        Objects.requireNonNull(l3, "l3");
    }

    public static PhaseCurrents ofAmps(double l1, double l2, double l3) {
        return new PhaseCurrents(new Current(l1), new Current(l2), new Current(l3));
    }

    public static PhaseCurrents uniform(Current c) {
        return new PhaseCurrents(c, c, c);
    }

    public Current on(Phase phase) {
        return switch (phase) {
            case L1 -> l1;
            case L2 -> l2;
            case L3 -> l3;
        };
    }

    public PhaseCurrents with(Phase phase, Current value) {
        return switch (phase) {
            case L1 -> new PhaseCurrents(value, l2, l3);
            case L2 -> new PhaseCurrents(l1, value, l3);
            case L3 -> new PhaseCurrents(l1, l2, value);
        };
    }

    public PhaseCurrents plus(PhaseCurrents o) {
        return new PhaseCurrents(l1.plus(o.l1), l2.plus(o.l2), l3.plus(o.l3));
    }

    public PhaseCurrents minus(PhaseCurrents o) {
        return new PhaseCurrents(l1.minus(o.l1), l2.minus(o.l2), l3.minus(o.l3));
    }

    /** The highest of the three. */
    public Current max() {
        return l1.max(l2).max(l3);
    }

    @Override
    public String toString() {
        return "[" + l1 + ", " + l2 + ", " + l3 + "]";
    }
}
