package org.fusebox.api.control;

import java.util.Objects;

/**
 * One change the SafetyGuard made to the optimisers' setpoints, or one safe-state command the core
 * issued, with the numbers behind it.
 *
 * @param device the device id (and connector, for chargers)
 * @param rule   the rule applied, e.g. {@code fuse}, {@code min-soc}, {@code rating}, {@code failsafe}
 * @param detail what was asked and what was allowed
 */
public record Intervention(String device, String rule, String detail) {
    public Intervention {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(detail, "detail");
    }
}
