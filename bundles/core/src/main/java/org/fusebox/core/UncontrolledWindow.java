package org.fusebox.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;

/**
 * Keeps the guard from trusting a dip in the uncontrolled load that may only be a measuring artefact.
 *
 * <p>The uncontrolled load is the grid meter's reading less what chargers and batteries report. Those
 * readings come from different devices at different moments (a meter polled every 250 ms, a charger's
 * MeterValues every few seconds): when an EV stops drawing before its charger says so, or ramps up before
 * the meter sees it, the difference dips below the truth for a moment, and a guard believing it would hand
 * out current the fuse does not have. So the guard plans against the highest estimate of the last
 * {@code window}; a real drop in load is used once it has lasted that long.
 *
 * <p>A dip held at the high is not enough when the load rises while a stale charger reading masks it (ADR 25):
 * an EV that stopped while its charger still shows 16 A makes the estimate drop by 16 A, and a later real rise of
 * 2 A only takes it back up to 14 A below the truth, still under the old high. So the reserve is the deepest
 * fall within the window (from any estimate to the lowest one after it), not only the distance to the high:
 * whatever the window saw rise after a dip counts on top of the dip.
 *
 * <p>"Lasted" is measured on the grid meter's readings: the window's time runs only across cycles that see a
 * new meter reading, by at most {@code maxStep} per cycle. While the meter hands out its last reading (one
 * failed poll, a stale mark) nothing in the window expires, so a high is never forgotten for want of news.
 */
final class UncontrolledWindow {

    /**
     * The estimates of one moment of the window's time: their high, their low, and the deepest fall among them
     * in the order they came (several when the meter's reading stood still).
     */
    private record Sample(long nanos, PhaseCurrents high, PhaseCurrents low, PhaseCurrents fall) {
        Sample(long nanos, PhaseCurrents amps) {
            this(nanos, amps, amps, PhaseCurrents.ZERO);
        }
    }

    private final Deque<Sample> samples = new ArrayDeque<>();
    private final long windowNanos;
    private final long maxStepNanos;
    private long lastCallNanos;
    private boolean called;
    /** The window's own time: real time, but only while new meter readings arrive. */
    private long windowTime;

    /** A window whose time runs with every call, however far apart. */
    UncontrolledWindow(Duration window) {
        this(window, Duration.ofNanos(Long.MAX_VALUE / 4));
    }

    /** @param maxStep how far the window's time may run in one call (one cycle period) */
    UncontrolledWindow(Duration window, Duration maxStep) {
        this.windowNanos = window.toNanos();
        this.maxStepNanos = maxStep.toNanos();
    }

    /** As {@link #reserve(long, boolean, PhaseCurrents)} with a new reading. */
    synchronized PhaseCurrents reserve(long nowNanos, PhaseCurrents estimate) {
        return reserve(nowNanos, true, estimate);
    }

    /**
     * Records this cycle's estimate and returns the reserve to keep on top of it: per phase, how far the
     * highest estimate within the window lies above this one (zero when this one is the highest).
     *
     * @param newReading whether the grid meter's reading is new since the previous call; if not, the window's
     *                   time stands still
     */
    synchronized PhaseCurrents reserve(long nowNanos, boolean newReading, PhaseCurrents estimate) {
        if (called && newReading) {
            windowTime += Math.max(0, Math.min(nowNanos - lastCallNanos, maxStepNanos));
        }
        called = true;
        lastCallNanos = nowNanos;
        while (!samples.isEmpty() && windowTime - samples.peekFirst().nanos() > windowNanos) {
            samples.removeFirst();
        }
        samples.addLast(new Sample(windowTime, estimate));
        if (samples.size() > 1) {
            compactSameTime();
        }
        PhaseCurrents reserve = PhaseCurrents.ZERO;
        for (Phase p : Phase.values()) {
            // newest to oldest: the deepest fall from an estimate to the lowest one after it; the latest estimate
            // is the newest low, so this is never less than the distance from the high to the latest estimate
            double lowestAfter = Double.POSITIVE_INFINITY;
            double deepest = 0;
            for (var it = samples.descendingIterator(); it.hasNext();) {
                Sample s = it.next();
                deepest = Math.max(deepest, Math.max(s.fall().on(p).amps(), s.high().on(p).amps() - lowestAfter));
                lowestAfter = Math.min(lowestAfter, s.low().on(p).amps());
            }
            reserve = reserve.with(p, Current.ofAmps(deepest));
        }
        return reserve;
    }

    /**
     * Samples taken while the time stood still are merged (their high, low and the deepest fall in their order),
     * so the deque stays small.
     */
    private void compactSameTime() {
        Sample last = samples.removeLast();
        Sample before = samples.peekLast();
        if (before != null && before.nanos() == last.nanos()) {
            samples.removeLast();
            PhaseCurrents high = PhaseCurrents.ZERO;
            PhaseCurrents low = PhaseCurrents.ZERO;
            PhaseCurrents fall = PhaseCurrents.ZERO;
            for (Phase p : Phase.values()) {
                double b = before.high().on(p).amps();
                double l = last.high().on(p).amps();
                high = high.with(p, Current.ofAmps(Math.max(b, l)));
                low = low.with(p, Current.ofAmps(Math.min(before.low().on(p).amps(), l)));
                fall = fall.with(p, Current.ofAmps(Math.max(before.fall().on(p).amps(), b - l)));
            }
            samples.addLast(new Sample(last.nanos(), high, low, fall));
        } else {
            samples.addLast(last);
        }
    }

    /** A window of another length that keeps what this one holds: a reconfiguration forgets no high. */
    synchronized UncontrolledWindow resized(Duration window, Duration maxStep) {
        UncontrolledWindow w = new UncontrolledWindow(window, maxStep);
        w.samples.addAll(samples);
        w.windowTime = windowTime;
        w.lastCallNanos = lastCallNanos;
        w.called = called;
        return w;
    }

    /** Whether this window has that length and step. */
    boolean hasShape(Duration window, Duration maxStep) {
        return windowNanos == window.toNanos() && maxStepNanos == maxStep.toNanos();
    }

    /** Forgets every estimate (the grid meter left). */
    synchronized void clear() {
        samples.clear();
        called = false;
    }
}
