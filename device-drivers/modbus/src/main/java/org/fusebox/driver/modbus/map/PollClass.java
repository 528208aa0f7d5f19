package org.fusebox.driver.modbus.map;

/**
 * How often a point is polled. Fast points (powers, currents) are read every poll; slow points (energy
 * counters, ratings, scale factors of slow points) only every N-th poll, so a slow serial line spends its
 * time on what the control loop needs.
 */
public enum PollClass {
    FAST,
    SLOW
}
