package org.fusebox.vpp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A validated {@link VppConfig}. */
record VppSettings(Duration slot, Duration horizon, Duration baseline, Duration samplePeriod, Duration publishPeriod,
        int reportsKept, boolean acceptBeyondOffer) {

    static final VppSettings DEFAULTS = new VppSettings(Duration.ofMinutes(15), Duration.ofHours(4), Duration.ofMinutes(30),
            Duration.ofSeconds(5), Duration.ofSeconds(300), 50, false);

    /** @throws IllegalArgumentException naming every bad value */
    static VppSettings from(VppConfig c) {
        List<String> errors = new ArrayList<>();
        int slot = c.slotMinutes();
        if (slot < 5 || slot > 60 || 60 % slot != 0) {
            errors.add("slotMinutes must divide 60 and be within 5..60, got " + slot);
        }
        range(errors, "horizonHours", c.horizonHours(), 1, 48);
        range(errors, "baselineMinutes", c.baselineMinutes(), 5, 240);
        range(errors, "samplePeriodSeconds", c.samplePeriodSeconds(), 1, 60);
        range(errors, "flexibilityPublishSeconds", c.flexibilityPublishSeconds(), 0, 86_400);
        range(errors, "reportsKept", c.reportsKept(), 1, 1000);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new VppSettings(Duration.ofMinutes(slot), Duration.ofHours(c.horizonHours()), Duration.ofMinutes(c.baselineMinutes()),
                Duration.ofSeconds(c.samplePeriodSeconds()), Duration.ofSeconds(c.flexibilityPublishSeconds()), c.reportsKept(),
                c.acceptBeyondOffer());
    }

    private static void range(List<String> errors, String key, int v, int min, int max) {
        if (v < min || v > max) {
            errors.add(key + " must be within " + min + ".." + max + ", got " + v);
        }
    }
}
