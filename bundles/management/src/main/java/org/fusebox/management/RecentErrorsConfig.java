package org.fusebox.management;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox recent errors",
        description = "Which EventAdmin events STATUS-V1 reports as errors, and how many it keeps. PID fusebox.management.errors.")
public @interface RecentErrorsConfig {

    @AttributeDefinition(name = "Event topics", description = "EventAdmin topics kept as errors (a trailing * matches below).")
    String[] event_topics() default { RecentErrors.FAILSAFE_ENTERED, RecentErrors.LIMIT_BREACH, RecentErrors.CONFIG_REJECTED,
        "fusebox/management/*" };

    @AttributeDefinition(name = "Kept", min = "1", max = "1000", description = "How many of the latest errors are kept.")
    int size() default 50;
}
