package org.fusebox.optimiser.ffr;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fast path: tells, for each new meter reading, whether the control loop should run a cycle now
 * rather than at its next period. It should when the response leaves or re-enters the dead band, changes
 * sides, or has moved by more than the configured step since the last cycle it asked for; not for readings
 * that change nothing (inside the band, or wobbling within a step). Per meter, thread-safe: meters call it on
 * their own poll threads.
 */
final class FrequencyWatch {

    /** The response each meter last asked a cycle for (0 until it first leaves the band). */
    private final Map<String, Double> signalled = new ConcurrentHashMap<>();

    /**
     * @param hz the reading's frequency, NaN when the meter does not measure it (no response)
     * @return the reason for a cycle, empty when none is needed
     */
    Optional<String> onReading(String meterId, double hz, FfrSettings s) {
        double r = Droop.response(hz, s);
        String[] reason = new String[1];
        signalled.compute(meterId, (id, last) -> {
            double before = last == null ? 0 : last;
            boolean crossed = (r == 0) != (before == 0) || Math.signum(r) != Math.signum(before);
            if (crossed || Math.abs(r - before) > s.cycleStep()) {
                reason[0] = Double.isNaN(hz) ? "frequency no longer measured by " + meterId
                        : String.format(Locale.ROOT, "frequency %.2f Hz", hz);
                return r;
            }
            return before;
        });
        return Optional.ofNullable(reason[0]);
    }

    void forget(String meterId) {
        signalled.remove(meterId);
    }
}
