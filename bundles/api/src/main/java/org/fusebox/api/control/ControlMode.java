package org.fusebox.api.control;

/** What the control loop is doing. */
public enum ControlMode {
    /** Not started yet, or stopped. */
    STOPPED,
    /** Every cycle runs the optimisers and applies their guarded setpoints. */
    RUNNING,
    /**
     * Something the loop needs is missing or broken (grid meter gone, configuration invalid): every
     * controllable device is held in its safe state until it is back.
     */
    FAILSAFE
}
