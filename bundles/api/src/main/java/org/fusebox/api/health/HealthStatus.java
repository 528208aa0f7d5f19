package org.fusebox.api.health;

/** Ordered from best to worst. */
public enum HealthStatus {
    UP,
    DEGRADED,
    DOWN;

    public HealthStatus worst(HealthStatus other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
