package org.fusebox.optimiser.peakshaving;

import java.time.Duration;
import java.time.Instant;

/**
 * The energy imported so far in the current billing interval, from one grid reading per cycle.
 *
 * <p>Two counts run side by side and the larger is used:
 * <ul>
 * <li>the meter's import register, when it has one (a register that reads zero is taken as absent): it is
 * the quantity the grid operator bills, and it counts what happens between two readings, through missed
 * cycles and short spikes. A step where it goes backwards (meter replaced, driver restarted) is counted
 * from power instead;</li>
 * <li>the import power integrated over the cycles, each reading standing for the time since the one
 * before (the devices were set right after that one, so the newer reading describes the step better).</li>
 * </ul>
 * Taking the larger guards against a register that is coarse (it lags by up to one step of its
 * resolution) or stuck, and against power samples that miss what happens between them. On a healthy meter
 * the two agree within sampling noise.
 *
 * <p>Time is the snapshot's. A step that crosses an interval boundary is split in proportion to time. A
 * step longer than {@code maxGap} that crosses a boundary, and a clock that runs backwards into another
 * interval, start the new interval afresh: the part of it not seen is estimated at the import measured
 * now, and the interval is marked incomplete. A clock that runs backwards within the interval skips that
 * step. Not thread-safe: the control cycle is its only caller.
 */
final class IntervalMeter {

    /** Where the figure came from. */
    enum Source {
        REGISTER, POWER
    }

    /**
     * One interval's count.
     *
     * @param start    interval start
     * @param end      interval end
     * @param wattHours energy imported in it so far (or in all of it, once closed)
     * @param complete whether every moment of it was measured (false when it was joined late, or across a gap)
     * @param source   which count gave the figure
     */
    record Interval(Instant start, Instant end, double wattHours, boolean complete, Source source) {

        double averageWatts() {
            return wattHours * 3600.0 / Duration.between(start, end).toMillis() * 1000.0;
        }
    }

    /**
     * @param current the interval now running
     * @param closed  the interval that ended with this reading, or {@code null}
     */
    record Update(Interval current, Interval closed) {
    }

    private final BillingIntervals intervals;
    private final Duration maxGap;

    private Instant start;
    private Instant end;
    private double registerCountWh;
    private double powerCountWh;
    private boolean registerUsed;
    private boolean complete;
    private Instant lastTime;
    private double lastRegisterWh = Double.NaN;

    IntervalMeter(BillingIntervals intervals, Duration maxGap) {
        this.intervals = intervals;
        this.maxGap = maxGap;
    }

    /**
     * @param now         the snapshot time
     * @param powerW      grid power, import positive
     * @param registerWh  the import register, {@code NaN} or zero when the meter has none
     */
    Update update(Instant now, double powerW, double registerWh) {
        double importW = Math.max(0, powerW);
        double register = registerWh > 0 ? registerWh : Double.NaN;
        if (start == null) {
            join(now, importW);
            return remember(now, register, null);
        }
        Duration dt = Duration.between(lastTime, now);
        if (dt.isNegative()) {
            if (now.isBefore(start) || !now.isBefore(end)) {
                Interval closed = snapshot(false);
                join(now, importW);
                return remember(now, register, closed);
            }
            return remember(now, register, null); // back within the interval: skip the step, keep the count
        }
        double seconds = dt.toNanos() / 1e9;
        double powerWh = importW * seconds / 3600;
        boolean fromRegister = !Double.isNaN(register) && !Double.isNaN(lastRegisterWh) && register >= lastRegisterWh;
        double registerWhStep = fromRegister ? register - lastRegisterWh : powerWh;
        registerUsed |= fromRegister;
        if (now.isBefore(end)) {
            registerCountWh += registerWhStep;
            powerCountWh += powerWh;
            if (dt.compareTo(maxGap) > 0 && !fromRegister) {
                complete = false; // a long step counted from one power sample is a guess
            }
            return remember(now, register, null);
        }
        if (dt.compareTo(maxGap) > 0 || seconds == 0) {
            Interval closed = snapshot(false);
            join(now, importW);
            return remember(now, register, closed);
        }
        // A normal step over the boundary: split it in proportion to time.
        double before = Duration.between(lastTime, end).toNanos() / 1e9 / seconds;
        registerCountWh += registerWhStep * before;
        powerCountWh += powerWh * before;
        Interval closed = snapshot(complete);
        Instant next = intervals.startOf(now);
        boolean adjacent = next.equals(end);
        double after = Duration.between(next, now).toNanos() / 1e9 / seconds;
        start = next;
        end = intervals.endOf(next);
        registerCountWh = registerWhStep * after;
        powerCountWh = powerWh * after;
        // The step reaches back over the boundary, so the new interval is measured from its start.
        complete = adjacent;
        registerUsed = fromRegister;
        return remember(now, register, closed);
    }

    /** The current interval's count; {@code null} before the first reading. */
    Interval current() {
        return start == null ? null : snapshot(complete);
    }

    /** Forgets everything, e.g. when the interval length changes. */
    void reset() {
        start = null;
        lastTime = null;
        lastRegisterWh = Double.NaN;
    }

    /** Starts the interval holding {@code now}, its unseen part estimated at the import measured now. */
    private void join(Instant now, double importW) {
        start = intervals.startOf(now);
        end = intervals.endOf(start);
        double unseenWh = importW * Duration.between(start, now).toNanos() / 1e9 / 3600;
        registerCountWh = unseenWh;
        powerCountWh = unseenWh;
        registerUsed = false;
        complete = !now.isAfter(start);
    }

    private Update remember(Instant now, double register, Interval closed) {
        lastTime = now;
        lastRegisterWh = register;
        return new Update(snapshot(complete), closed);
    }

    private Interval snapshot(boolean isComplete) {
        boolean byRegister = registerUsed && registerCountWh >= powerCountWh;
        return new Interval(start, end, Math.max(registerCountWh, powerCountWh), isComplete,
                byRegister ? Source.REGISTER : Source.POWER);
    }
}
