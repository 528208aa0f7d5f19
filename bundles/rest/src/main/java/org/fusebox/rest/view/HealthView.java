package org.fusebox.rest.view;

import java.util.List;
import java.util.Optional;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.health.HealthStatus;

/**
 * The answer of {@code GET /health}.
 *
 * @param status     the worst of the control loop's status and every component's
 * @param control    the control loop's state, or null when there is no control loop
 * @param components every health indicator, worst first
 */
public record HealthView(HealthStatus status, ControlView control, List<ComponentHealthView> components) {

    public static HealthView of(Optional<ControlState> control, List<ComponentHealthView> components) {
        HealthStatus status = control.map(HealthView::statusOf).orElse(HealthStatus.DOWN);
        for (ComponentHealthView component : components) {
            status = status.worst(component.status());
        }
        List<ComponentHealthView> sorted = components.stream().sorted(ComponentHealthView.WORST_FIRST).toList();
        return new HealthView(status, control.map(ControlView::of).orElse(null), sorted);
    }

    /**
     * A running loop is UP; in failsafe the site is safe but not optimised, so DEGRADED; a stopped loop
     * controls nothing, so DOWN.
     */
    static HealthStatus statusOf(ControlState state) {
        return switch (state.mode()) {
            case RUNNING -> HealthStatus.UP;
            case FAILSAFE -> HealthStatus.DEGRADED;
            case STOPPED -> HealthStatus.DOWN;
        };
    }
}
