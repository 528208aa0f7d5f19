package org.fusebox.optimiser.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated audit configuration.
 *
 * @param threshold  variance reported above this share (0.15 for 15 %)
 * @param efficiency share of dispensed energy the EV's battery is expected to receive
 * @param minSessionWh sessions that dispensed less are not judged
 * @param baseline   how long the site's other load is watched before a session
 */
record AuditSettings(double threshold, double efficiency, double minSessionWh, Duration baseline) {

    static final AuditSettings DEFAULTS = new AuditSettings(0.15, 0.90, 5_000, Duration.ofMinutes(15));

    /** @throws IllegalArgumentException naming every bad value */
    static AuditSettings from(AuditConfig c) {
        List<String> errors = new ArrayList<>();
        if (!(c.varianceThresholdPercent() >= 1 && c.varianceThresholdPercent() <= 100)) {
            errors.add("varianceThresholdPercent must be within 1..100, got " + c.varianceThresholdPercent());
        }
        if (!(c.evChargingEfficiencyPercent() >= 50 && c.evChargingEfficiencyPercent() <= 100)) {
            errors.add("evChargingEfficiencyPercent must be within 50..100, got " + c.evChargingEfficiencyPercent());
        }
        if (!(c.minSessionKwh() >= 0.1 && c.minSessionKwh() <= 1000)) {
            errors.add("minSessionKwh must be within 0.1..1000, got " + c.minSessionKwh());
        }
        if (c.baselineMinutes() < 1 || c.baselineMinutes() > 240) {
            errors.add("baselineMinutes must be within 1..240, got " + c.baselineMinutes());
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new AuditSettings(c.varianceThresholdPercent() / 100, c.evChargingEfficiencyPercent() / 100,
                c.minSessionKwh() * 1000, Duration.ofMinutes(c.baselineMinutes()));
    }
}
