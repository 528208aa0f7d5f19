package org.fusebox.optimiser.audit;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox physics audit",
        description = "Checks each charging session's dispensed energy against what the EV received and what the site "
                + "meter saw; changes no setpoint. PID fusebox.optimiser.audit.")
public @interface AuditConfig {

    @AttributeDefinition(name = "Variance threshold (%)", min = "1", max = "100",
            description = "A session whose dispensed energy differs from a reference by more than this is reported.")
    double varianceThresholdPercent() default 15.0;

    @AttributeDefinition(name = "EV charging efficiency (%)", min = "50", max = "100",
            description = "Share of the energy dispensed at the connector that ends up in the EV's battery (AC charging losses).")
    double evChargingEfficiencyPercent() default 90.0;

    @AttributeDefinition(name = "Minimum session energy (kWh)", min = "0.1", max = "1000",
            description = "Sessions that dispensed less are not judged: SoC steps and load changes weigh too much.")
    double minSessionKwh() default 5.0;

    @AttributeDefinition(name = "Baseline window (minutes)", min = "1", max = "240",
            description = "How long the site's other load is watched before a session starts, to subtract it from the grid meter.")
    int baselineMinutes() default 15;
}
