package org.fusebox.api.health;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Registered as a service by any component that can tell whether it works: an invalid configuration it
 * refused, a device it cannot reach, an optimiser that fails. Must answer without blocking.
 */
@ConsumerType
public interface HealthIndicator {

    /** Names the component, e.g. {@code core}, {@code simulator}, {@code optimiser.fuse}. */
    String name();

    Health health();
}
