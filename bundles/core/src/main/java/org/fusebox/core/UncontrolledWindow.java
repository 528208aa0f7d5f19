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
 */
final class UncontrolledWindow {

    private record Sample(long nanos, PhaseCurrents amps) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();
    private final long windowNanos;

    UncontrolledWindow(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /**
     * Records this cycle's estimate and returns the reserve to keep on top of it: per phase, how far the
     * highest estimate within the window lies above this one (zero when this one is the highest).
     */
    synchronized PhaseCurrents reserve(long nowNanos, PhaseCurrents estimate) {
        while (!samples.isEmpty() && nowNanos - samples.peekFirst().nanos() > windowNanos) {
            samples.removeFirst();
        }
        samples.addLast(new Sample(nowNanos, estimate));
        PhaseCurrents reserve = PhaseCurrents.ZERO;
        for (Phase p : Phase.values()) {
            double highest = estimate.on(p).amps();
            for (Sample s : samples) {
                highest = Math.max(highest, s.amps().on(p).amps());
            }
            reserve = reserve.with(p, Current.ofAmps(highest - estimate.on(p).amps()));
        }
        return reserve;
    }

    /** Forgets every estimate (the grid meter left, or the site was reconfigured). */
    synchronized void clear() {
        samples.clear();
    }
}
