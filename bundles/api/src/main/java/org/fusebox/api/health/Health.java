package org.fusebox.api.health;

import java.util.List;
import java.util.Objects;

/**
 * A component's health.
 *
 * @param status  the status
 * @param details what is wrong, one line each; empty when {@link HealthStatus#UP}
 */
public record Health(HealthStatus status, List<String> details) {

    public Health {
        Objects.requireNonNull(status, "status");
        details = List.copyOf(details);
    }

    public static Health up() {
        return new Health(HealthStatus.UP, List.of());
    }

    public static Health degraded(String... details) {
        return new Health(HealthStatus.DEGRADED, List.of(details));
    }

    public static Health down(String... details) {
        return new Health(HealthStatus.DOWN, List.of(details));
    }
}
