package org.fusebox.optimiser.peakshaving;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox peak shaving",
        description = "Keeps the average grid import over each billing interval under a contracted peak by discharging "
                + "batteries and capping EV chargers. PID fusebox.optimiser.peakshaving.")
public @interface PeakShavingConfig {

    @AttributeDefinition(name = "Peak (kW)", min = "0",
            description = "The highest average import allowed over one billing interval.")
    double peakKw();

    @AttributeDefinition(name = "Billing interval (minutes)", min = "1", max = "60",
            description = "Length of the averaging interval; must divide 60. Intervals start on the clock (:00, :15, ...).")
    int intervalMinutes() default 15;

    @AttributeDefinition(name = "Headroom (%)", min = "0", max = "50",
            description = "Share of the peak kept free, for load that changes between two cycles and for metering error.")
    double headroomPercent() default 3.0;

    @AttributeDefinition(name = "Time zone",
            description = "Zone the intervals follow the clock in, e.g. Europe/Brussels; empty for the gateway's own.")
    String timeZone() default "";

    @AttributeDefinition(name = "Look ahead",
            description = "Use the load and PV forecasts of the snapshot to keep battery energy for the intervals they show above "
                    + "the peak, and to charge for them beforehand. Without forecasts it changes nothing.")
    boolean lookAhead() default true;

    @AttributeDefinition(name = "Look-ahead horizon (hours)", min = "1", max = "48",
            description = "How far ahead forecast peaks are looked for.")
    int lookAheadHours() default 24;

    @AttributeDefinition(name = "Forecast safety factor", min = "1", max = "3",
            description = "The load forecast is multiplied by it and the PV forecast divided by it, so a forecast a little low "
                    + "still leaves enough energy kept; 1 trusts the forecast as it is.")
    double forecastSafetyFactor() default 1.1;
}
