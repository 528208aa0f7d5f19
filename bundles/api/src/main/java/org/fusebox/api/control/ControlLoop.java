package org.fusebox.api.control;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The site's control loop, registered by the core. Read it to see what the site is doing; drivers call
 * {@link #requestCycle(String)} when they see something that cannot wait for the next period.
 */
@ProviderType
public interface ControlLoop {

    /**
     * Runs a cycle as soon as possible (the fast path for an overload). Never blocks; requests that
     * arrive while a cycle is pending are merged.
     */
    void requestCycle(String reason);

    /** The loop's current mode. */
    ControlState state();

    /** The last completed cycle, empty before the first. */
    Optional<CycleReport> lastCycle();
}
