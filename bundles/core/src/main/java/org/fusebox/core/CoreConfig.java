package org.fusebox.core;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox control core",
        description = "The site's grid connection limits and the control cycle. PID fusebox.core (etc/fusebox.core.cfg).")
public @interface CoreConfig {

    @AttributeDefinition(name = "Fuse limit (A per phase)", min = "1", max = "4000",
            description = "Current allowed per phase at the grid connection. Never exceeded by any setpoint.")
    double fuseLimitAmps() default 40.0;

    @AttributeDefinition(name = "Safety margin (A)", min = "0",
            description = "Headroom kept below the fuse limit when planning; covers measurement error and load steps.")
    double safetyMarginAmps() default 2.0;

    @AttributeDefinition(name = "Phases", options = {
            @org.osgi.service.metatype.annotations.Option(label = "single phase", value = "1"),
            @org.osgi.service.metatype.annotations.Option(label = "three phase", value = "3") })
    int phases() default 3;

    @AttributeDefinition(name = "Nominal voltage (V, phase to neutral)", min = "100", max = "400")
    double nominalVoltage() default 230.0;

    @AttributeDefinition(name = "Battery minimum SoC (%)", min = "0", max = "100",
            description = "Batteries are never discharged below this.")
    double batteryMinSocPercent() default 20.0;

    @AttributeDefinition(name = "Battery maximum SoC (%)", min = "0", max = "100",
            description = "Batteries are never charged above this.")
    double batteryMaxSocPercent() default 100.0;

    @AttributeDefinition(name = "Cycle period (ms)", min = "50", max = "60000",
            description = "A control cycle runs this often, and at once when the grid meter reports an overload.")
    long cyclePeriodMillis() default 1000;

    @AttributeDefinition(name = "Reading timeout (ms)", min = "100",
            description = "A device whose reading has not changed for this long (real time) is treated as offline.")
    long readingTimeoutMillis() default 5000;

    @AttributeDefinition(name = "Setpoint refresh (ms)", min = "100",
            description = "Unchanged setpoints are sent again this often, so device watchdogs see a live controller.")
    long setpointRefreshMillis() default 5000;

    @AttributeDefinition(name = "Minimum gap between overload cycles (ms)", min = "0",
            description = "Bounds how often an overload may trigger an immediate cycle.")
    long breachCooldownMillis() default 50;
}
