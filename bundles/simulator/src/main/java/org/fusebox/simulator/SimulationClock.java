package org.fusebox.simulator;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The site's simulated time, as a {@link Clock} the whole gateway can use. Between two steps it runs on at
 * the simulation speed, but never past the next step's time, so it moves smoothly at any speed and
 * never goes backwards.
 */
final class SimulationClock extends Clock {

    private final TimeBase base;
    private final ZoneId zone;

    SimulationClock(TimeBase base, ZoneId zone) {
        this.base = Objects.requireNonNull(base, "base");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return newZone.equals(zone) ? this : new SimulationClock(base, newZone);
    }

    @Override
    public Instant instant() {
        return base.now();
    }

    @Override
    public String toString() {
        return "SimulationClock[" + zone + "]";
    }

    /** Shared by a clock and its zone variants; the simulation thread re-anchors it after each step. */
    static final class TimeBase {

        private record Anchor(long simulatedNanos, long realNanos, double speed, long maxAheadNanos) {
        }

        private final LongSupplier realNanos;
        private final AtomicLong latestGiven = new AtomicLong(Long.MIN_VALUE);
        private volatile Anchor anchor;

        TimeBase(LongSupplier realNanos, Instant start) {
            this.realNanos = realNanos;
            this.anchor = new Anchor(epochNanos(start), realNanos.getAsLong(), 0, 0);
        }

        /**
         * @param simulated simulated time just reached
         * @param speed     simulated seconds per real second from now on
         * @param maxAheadNanos how far the clock may run ahead before the next step (one step)
         */
        void anchor(Instant simulated, double speed, long maxAheadNanos) {
            anchor = new Anchor(epochNanos(simulated), realNanos.getAsLong(), speed, maxAheadNanos);
        }

        Instant now() {
            Anchor a = anchor;
            long ahead = (long) Math.min((double) a.maxAheadNanos, (realNanos.getAsLong() - a.realNanos) * a.speed);
            long nanos = a.simulatedNanos + Math.max(0, ahead);
            long monotonic = latestGiven.accumulateAndGet(nanos, Math::max);
            return Instant.ofEpochSecond(0, monotonic);
        }

        private static long epochNanos(Instant t) {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        }
    }
}
