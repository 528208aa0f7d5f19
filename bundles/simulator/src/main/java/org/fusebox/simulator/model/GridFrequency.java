package org.fusebox.simulator.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The frequency of the grid behind the simulated connection point, set from outside: a steady value
 * (50.00 Hz by default) and, optionally, a recurring event (a dip or a rise to another frequency for a
 * while, every so often, on the simulated clock). The site does not change it: the grid is far larger than
 * any site. Thread-safe: set from any thread, read by the stepping one; a setting is replaced whole.
 */
public final class GridFrequency {

    public static final double NOMINAL_HZ = 50.0;

    /**
     * A recurring event: {@code hz} for {@code length} at the start of every {@code every}, counted on the
     * simulated clock from the epoch (so every 10 minutes means from :00, :10, :20 ...).
     */
    public record Event(double hz, Duration length, Duration every) {
        public Event {
            Objects.requireNonNull(length, "length");
            Objects.requireNonNull(every, "every");
            if (length.isNegative() || length.isZero() || length.compareTo(every) >= 0) {
                throw new IllegalArgumentException("an event lasts more than 0 and less than its period, got "
                        + length + " every " + every);
            }
        }

        boolean activeAt(Instant t) {
            long intoPeriod = Math.floorMod(t.toEpochMilli(), every.toMillis());
            return intoPeriod < length.toMillis();
        }
    }

    private record Setting(double hz, Event event) {
    }

    private volatile Setting setting = new Setting(NOMINAL_HZ, null);

    /** The steady frequency from now on, without an event. */
    public void set(double hz) {
        set(hz, null);
    }

    /** The steady frequency and the recurring event (null: none) from now on. */
    public void set(double hz, Event event) {
        if (!(hz > 0 && hz < 100)) {
            throw new IllegalArgumentException("a grid frequency is within 0 and 100 Hz, got " + hz);
        }
        if (event != null && !(event.hz() > 0 && event.hz() < 100)) {
            throw new IllegalArgumentException("a grid frequency is within 0 and 100 Hz, got " + event.hz());
        }
        setting = new Setting(hz, event);
    }

    /** The frequency at simulated time {@code t}. */
    public double hz(Instant t) {
        Setting s = setting;
        return s.event() != null && s.event().activeAt(t) ? s.event().hz() : s.hz();
    }
}
