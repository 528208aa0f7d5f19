package org.fusebox.api.control;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The control loop's mode and why.
 *
 * @param mode    the mode
 * @param reasons why it is not simply running (empty when it is)
 * @param since   when it entered this mode
 */
public record ControlState(ControlMode mode, List<String> reasons, Instant since) {
    public ControlState {
        Objects.requireNonNull(mode, "mode");
        reasons = List.copyOf(reasons);
        Objects.requireNonNull(since, "since");
    }
}
