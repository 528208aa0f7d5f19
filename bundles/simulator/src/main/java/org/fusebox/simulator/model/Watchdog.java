package org.fusebox.simulator.model;

/**
 * A controller-loss watchdog as real chargers and battery inverters have one: it expires when it has not
 * been fed for its timeout. Measured in real (wall-clock) nanoseconds, not simulated time, because it
 * guards against the controller process going quiet, whatever the simulation speed.
 */
final class Watchdog {

    private final long timeoutNanos;
    private long lastFedNanos;
    private boolean fed;

    Watchdog(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    void feed(long realNanos) {
        lastFedNanos = realNanos;
        fed = true;
    }

    /** Never fed counts as expired: a device that boots without a controller runs on its failsafe. */
    boolean expired(long realNanos) {
        return !fed || realNanos - lastFedNanos > timeoutNanos;
    }
}
