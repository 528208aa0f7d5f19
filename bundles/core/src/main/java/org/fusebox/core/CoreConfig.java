package org.fusebox.core;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Metatype of PID fusebox.core, for tools and the configuration service. The core itself reads the raw
 * properties and checks every range here again ({@link CoreSettings}): a value from a file or from any other
 * path is checked the same way, and the fuse limit has no default.
 */
@ObjectClassDefinition(name = "Fusebox control core",
        description = "The site's grid connection limits and the control cycle. PID fusebox.core (etc/fusebox.core.cfg).")
public @interface CoreConfig {

    @AttributeDefinition(name = "Fuse limit (A per phase)", min = "1", max = "4000", required = true,
            description = "Current allowed per phase at the grid connection. Never exceeded by any setpoint. No default: "
                    + "without it the site is not configured and the core holds every EV paused and batteries idle.")
    double fuseLimitAmps();

    @AttributeDefinition(name = "Safety margin (A)", min = "0",
            description = "Headroom kept below the fuse limit when planning; covers measurement error and load steps. Below the fuse limit.")
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

    @AttributeDefinition(name = "Reading timeout (ms)", min = "100", max = "3600000",
            description = "A device whose reading has not changed for this long (real time) is treated as offline.")
    long readingTimeoutMillis() default 5000;

    @AttributeDefinition(name = "Setpoint refresh (ms)", min = "100", max = "3600000",
            description = "Unchanged setpoints are sent again this often, so device watchdogs see a live controller.")
    long setpointRefreshMillis() default 5000;

    @AttributeDefinition(name = "Minimum gap between overload cycles (ms)", min = "0", max = "60000",
            description = "Bounds how often an overload may trigger an immediate cycle.")
    long breachCooldownMillis() default 50;

    @AttributeDefinition(name = "Maximum age of a connector's measured currents (ms)", min = "0", max = "600000",
            description = "Currents a charger measured longer ago than this (or on a connector that is not charging) are not "
                    + "taken as what it draws now: the grid meter's reading is not reduced by them. Keep it above the chargers' "
                    + "MeterValueSampleInterval (the OCPP driver asks for 10 s); the guard also holds the uncontrolled load's high for "
                    + "at least this long, so a larger value is safe but frees current later after a load drops.")
    long connectorReadingMaxAgeMillis() default 15000;

    @AttributeDefinition(name = "Missing device reported for (ms)", min = "1000", max = "2592000000",
            description = "A device that left and has not come back is reported missing this long, then no longer.")
    long missingDeviceReportMillis() default 600000;

    @AttributeDefinition(name = "Site time zone", required = false,
            description = "The zone of the site's wall clock, e.g. Europe/Brussels: tariff time bands, billing intervals and the "
                    + "times shown to people follow it. Empty: the gateway JVM's default zone. An unknown id is refused.")
    String siteTimeZone() default "";

    @AttributeDefinition(name = "Price feeds in priority order", required = false,
            description = "Ids of the price feeds, the preferred first, e.g. entsoe-BE, energycharts-BE. Per slot the planners see "
                    + "the price of the first feed that knows it; feeds not listed come after, by service ranking.")
    String[] priceFeeds() default {};
}
