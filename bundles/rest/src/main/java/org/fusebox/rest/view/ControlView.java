package org.fusebox.rest.view;

import java.time.Instant;
import java.util.List;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;

/**
 * The control loop's mode.
 *
 * @param mode    RUNNING, FAILSAFE or STOPPED
 * @param reasons why it is not simply running; empty when it is
 * @param since   when it entered this mode
 */
public record ControlView(ControlMode mode, List<String> reasons, Instant since) {

    public static ControlView of(ControlState state) {
        return new ControlView(state.mode(), state.reasons(), state.since());
    }
}
