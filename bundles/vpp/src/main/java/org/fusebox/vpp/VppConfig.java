package org.fusebox.vpp;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox VPP participant",
        description = "Offers the site's flexibility to a virtual power plant, takes its shed dispatches as grid import limits "
                + "and reports what each delivered. PID fusebox.vpp.")
public @interface VppConfig {

    @AttributeDefinition(name = "Slot (minutes)", min = "5", max = "60",
            description = "Resolution of the flexibility offered; must divide 60. Slots follow the clock (:00, :15, ...).")
    int slotMinutes() default 15;

    @AttributeDefinition(name = "Horizon (hours)", min = "1", max = "48", description = "How far ahead flexibility is offered.")
    int horizonHours() default 4;

    @AttributeDefinition(name = "Baseline (minutes)", min = "5", max = "240",
            description = "The baseline of a dispatch is the mean grid import over this many minutes before its start.")
    int baselineMinutes() default 30;

    @AttributeDefinition(name = "Sample period (seconds)", min = "1", max = "60",
            description = "How often the latest control cycle is read for the baseline and the delivery.")
    int samplePeriodSeconds() default 5;

    @AttributeDefinition(name = "Flexibility publish period (seconds)", min = "0", max = "86400",
            description = "How often the flexibility is published on vpp/flexibility; 0 publishes none (GET flexibility still answers).")
    int flexibilityPublishSeconds() default 300;

    @AttributeDefinition(name = "Reports kept", min = "1", max = "1000", description = "How many event reports GET reports returns.")
    int reportsKept() default 50;

    @AttributeDefinition(name = "Accept beyond offer",
            description = "Accept a dispatch that asks more than the flexibility offered (the core still enforces it like the fuse).")
    boolean acceptBeyondOffer() default false;
}
