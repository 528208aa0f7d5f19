package org.fusebox.api.control;

import java.util.Optional;
import org.fusebox.api.site.SiteSnapshot;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides setpoints from a snapshot. Registered as an OSGi service; the core calls every registered
 * optimiser each cycle, by {@link Tier} and, within a tier, by service ranking (highest first).
 *
 * <p>Implementations must be pure functions of their arguments and their configuration, return quickly
 * (well under the cycle period), and never throw for a valid snapshot: the core treats a throw as "no
 * change" and reports the optimiser as failing.
 */
@ConsumerType
public interface Optimiser {

    /** A short name for logs and the site API. */
    String name();

    Tier tier();

    /**
     * @param site     the site now
     * @param proposal what the lower tiers decided so far (the core starts from "every connector at its
     *                 rating, every battery idle")
     * @return the setpoints this optimiser wants; entries it does not mention are kept from the proposal
     */
    Setpoints optimise(SiteSnapshot site, Setpoints proposal);

    /**
     * The plan behind the latest {@link #optimise} call, for optimisers that plan over a horizon; the core
     * reads it right after {@code optimise} and shows it in the cycle report.
     *
     * @since 1.1
     */
    default Optional<Plan> plan() {
        return Optional.empty();
    }
}
