package org.fusebox.shell;

import java.util.Comparator;
import java.util.List;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;

/**
 * What one health indicator said, asked safely: an indicator that throws is reported DOWN rather than
 * breaking the command.
 */
record ComponentHealth(String name, HealthStatus status, List<String> details) {

    /** Worst first, then by name. */
    static final Comparator<ComponentHealth> WORST_FIRST = Comparator
            .comparing(ComponentHealth::status, Comparator.reverseOrder())
            .thenComparing(ComponentHealth::name);

    static List<ComponentHealth> checkAll(List<HealthIndicator> indicators) {
        return indicators.stream().map(ComponentHealth::check).sorted(WORST_FIRST).toList();
    }

    static ComponentHealth check(HealthIndicator indicator) {
        String name;
        try {
            name = indicator.name();
        } catch (RuntimeException e) {
            name = null;
        }
        if (name == null || name.isBlank()) {
            name = indicator.getClass().getName();
        }
        try {
            Health health = indicator.health();
            if (health == null) {
                return new ComponentHealth(name, HealthStatus.DOWN, List.of("health check returned nothing"));
            }
            return new ComponentHealth(name, health.status(), health.details());
        } catch (RuntimeException e) {
            return new ComponentHealth(name, HealthStatus.DOWN, List.of("health check failed: " + e));
        }
    }
}
