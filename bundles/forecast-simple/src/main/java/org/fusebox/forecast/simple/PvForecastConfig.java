package org.fusebox.forecast.simple;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox simple PV forecast",
        description = "PV production forecast from a configured day (a curve or a clear-sky bell) and the production "
                + "learned per weekday and quarter-hour. PID fusebox.forecast.pv.")
public @interface PvForecastConfig {

    @AttributeDefinition(name = "Method", options = {
            @org.osgi.service.metatype.annotations.Option(label = "Configured curve only", value = "curve"),
            @org.osgi.service.metatype.annotations.Option(label = "Learned weekday profile, curve where nothing is learned", value = "weekday-profile") })
    String method() default "weekday-profile";

    @AttributeDefinition(name = "Curve (W)", required = false,
            description = "1 (constant), 24 (hourly) or 96 (quarter-hourly) values in watts, local time from 00:00. "
                    + "Leave empty to use the clear-sky bell.")
    String[] curveWatts() default {};

    @AttributeDefinition(name = "Peak power (W)", min = "0",
            description = "Clear-sky bell: the output at solar noon. 0 = no bell.")
    double peakPowerWatts() default 0;

    @AttributeDefinition(name = "Sunrise", description = "Clear-sky bell: local time the output starts, e.g. 07:00.")
    String sunrise() default "07:00";

    @AttributeDefinition(name = "Sunset", description = "Clear-sky bell: local time the output ends, e.g. 19:00.")
    String sunset() default "19:00";

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
            description = "Where the learned profile is kept; empty = ${karaf.data}/fusebox/forecast/pv_production.profile.")
    String storeFile() default "";
}
