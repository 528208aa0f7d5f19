package org.fusebox.optimiser.ffr;

/**
 * The droop curve: the share of the full response asked at a frequency, signed like the power asked of a
 * battery (negative discharges on under-frequency, positive charges on over-frequency).
 *
 * <pre>
 *   d = f - nominal
 *   r = 0                                                   when |d| &lt;= deadBand
 *   r = sign(d) * min(1, (|d| - deadBand) / (full - deadBand))  otherwise
 * </pre>
 *
 * Non-decreasing in {@code f}, within -1..1. The deviation is taken to the micro-hertz, so a frequency on the
 * edge of the band (49.80 with a 0.2 Hz band) is in it whatever the binary rounding of the subtraction.
 */
final class Droop {

    private Droop() {
    }

    /** The response at {@code hz}; 0 when the frequency is not known (NaN). */
    static double response(double hz, FfrSettings s) {
        if (Double.isNaN(hz)) {
            return 0;
        }
        double deviation = Math.round((hz - s.nominalHz()) * 1e6) / 1e6;
        double beyond = Math.abs(deviation) - s.deadBandHz();
        if (beyond <= 0) {
            return 0;
        }
        double r = Math.min(1, beyond / (s.fullDeviationHz() - s.deadBandHz()));
        return Math.copySign(r, deviation);
    }
}
