package org.fusebox.simulator.model;

import org.fusebox.api.units.Phase;

/**
 * A load behind the grid meter that the simulation does not model itself: per-phase currents set from
 * outside (signed, import positive), e.g. an EV charging at a charge point the site does not simulate.
 * The grid meter sees it like any other load. Thread-safe: set from any thread, read by the stepping one;
 * the three phases are replaced together.
 */
public final class ExternalLoad {

    private volatile double[] amps = new double[3];

    /** Sets what the load draws from now on, per phase (A, import positive). */
    public void set(double l1, double l2, double l3) {
        amps = new double[] {l1, l2, l3};
    }

    /** What it draws on {@code phase} now. */
    public double amps(Phase phase) {
        return amps[phase.ordinal()];
    }
}
