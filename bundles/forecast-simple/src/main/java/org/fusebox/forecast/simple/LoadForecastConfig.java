package org.fusebox.forecast.simple;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox simple load forecast",
        description = "Site load forecast (consumption without PV, batteries and EV chargers) from a configured day and "
                + "the load learned per weekday and quarter-hour. PID fusebox.forecast.load.")
public @interface LoadForecastConfig {

    @AttributeDefinition(name = "Method", options = {
            @org.osgi.service.metatype.annotations.Option(label = "Configured curve only", value = "curve"),
            @org.osgi.service.metatype.annotations.Option(label = "Learned weekday profile, curve where nothing is learned", value = "weekday-profile") })
    String method() default "weekday-profile";

    @AttributeDefinition(name = "Curve (W)", required = false,
            description = "1 (constant), 24 (hourly) or 96 (quarter-hourly) values in watts, local time from 00:00.")
    String[] curveWatts() default {};

    @AttributeDefinition(name = "Time zone", required = false,
            description = "Zone of the curve and of the weekdays, e.g. Europe/Brussels; empty = the system's.")
    String zone() default "";

    @AttributeDefinition(name = "Memory (weeks)", min = "1", max = "52",
            description = "A learned quarter-hour averages over about this many weeks.")
    int memoryWeeks() default 4;

    @AttributeDefinition(name = "Sample period (s)", min = "1", max = "900",
            description = "How often the last control cycle's measurement is taken.")
    int sampleSeconds() default 10;

    @AttributeDefinition(name = "Store file", required = false,
            description = "Where the learned profile is kept; empty = ${karaf.data}/fusebox/forecast/site_load.profile.")
    String storeFile() default "";
}
