package org.fusebox.simulator.model;

import org.fusebox.api.units.Phase;

/**
 * The grid connection point: the meter's per-phase currents and energy registers, and the fuse. Keeps the
 * overload record tests and the health check need: how long any phase was above the fuse, and the highest
 * phase current seen.
 */
public final class GridConnection {

    private final double volts;
    private final double fuseLimitAmps;
    private final double[] amps = new double[3];
    private double watts;
    private double hz = GridFrequency.NOMINAL_HZ;
    private double importedWattHours;
    private double exportedWattHours;
    private double overloadSeconds;
    private double maxPhaseAmps;

    GridConnection(double volts, double fuseLimitAmps) {
        this.volts = volts;
        this.fuseLimitAmps = fuseLimitAmps;
    }

    /** Records what flowed over the last {@code seconds}, currents signed (import positive), and the frequency now. */
    void record(double l1, double l2, double l3, double seconds, double hz) {
        frequency(hz);
        amps[0] = l1;
        amps[1] = l2;
        amps[2] = l3;
        watts = (l1 + l2 + l3) * volts;
        double energy = watts * seconds / 3600.0;
        if (energy >= 0) {
            importedWattHours += energy;
        } else {
            exportedWattHours -= energy;
        }
        // the fuse heats the same whichever way the current flows
        double highest = Math.max(Math.abs(l1), Math.max(Math.abs(l2), Math.abs(l3)));
        maxPhaseAmps = Math.max(maxPhaseAmps, highest);
        if (highest > fuseLimitAmps) {
            overloadSeconds += seconds;
        }
    }

    /** Signed current on {@code phase}, import positive. */
    public double amps(Phase phase) {
        return amps[phase.ordinal()];
    }

    /** Active power, import positive. */
    public double watts() {
        return watts;
    }

    void frequency(double hz) {
        this.hz = hz;
    }

    /** The grid frequency the meter measures now, Hz. */
    public double hz() {
        return hz;
    }

    public double volts() {
        return volts;
    }

    public double fuseLimitAmps() {
        return fuseLimitAmps;
    }

    public double importedWattHours() {
        return importedWattHours;
    }

    public double exportedWattHours() {
        return exportedWattHours;
    }

    /** Simulated seconds during which at least one phase carried more than the fuse allows. */
    public double overloadSeconds() {
        return overloadSeconds;
    }

    /** The highest current magnitude any phase carried since start. */
    public double maxPhaseAmps() {
        return maxPhaseAmps;
    }

    /** The phase carrying the most current now. */
    public Phase busiestPhase() {
        Phase busiest = Phase.L1;
        for (Phase p : Phase.values()) {
            if (Math.abs(amps(p)) > Math.abs(amps(busiest))) {
                busiest = p;
            }
        }
        return busiest;
    }

    /** Whether a phase is above the fuse now. */
    public boolean isOverloaded() {
        return Math.abs(amps(busiestPhase())) > fuseLimitAmps;
    }
}
