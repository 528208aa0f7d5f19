package org.fusebox.optimiser.evdeadline;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox deadline EV charging",
        description = "Charges every EV by its departure at least cost over the known prices. PID fusebox.optimiser.evdeadline.")
public @interface EvDeadlineConfig {

    @AttributeDefinition(name = "Slot length (minutes)", min = "5", max = "60",
            description = "Planning resolution; must divide 60. Hourly prices are split into slots of this length.")
    int slotMinutes() default 15;

    @AttributeDefinition(name = "Default departure (hours after plug-in)", min = "0.25", max = "168",
            description = "Used when the session does not say when the EV leaves.")
    double defaultDepartureHours() default 10.0;

    @AttributeDefinition(name = "Default energy (kWh)", min = "0", max = "500",
            description = "Energy an EV is assumed to want in its session when neither the EV nor the driver says.")
    double defaultEnergyKwh() default 30.0;

    @AttributeDefinition(name = "Keep room for expected arrivals",
            description = "Learn when EVs arrive and what they need (per weekday, from past sessions) and keep room for them in the plan.")
    boolean arrivalReserve() default true;

    @AttributeDefinition(name = "Arrival learning window (weeks)", min = "1", max = "52",
            description = "Sessions older than this are forgotten.")
    int arrivalLearningWeeks() default 4;

    @AttributeDefinition(name = "Sessions before keeping room", min = "1", max = "10000",
            description = "Sessions a weekday needs in the window before room is kept for its expected arrivals.")
    int arrivalMinObservations() default 8;

    @AttributeDefinition(name = "Arrival safety margin", min = "0", max = "2",
            description = "Fraction added to the expected energy and power of arrivals (0.1 keeps 10% more room).")
    double arrivalSafetyMargin() default 0.1;

    @AttributeDefinition(name = "Site time zone",
            description = "Zone in which arrivals are learned per weekday and time of day, e.g. Europe/Brussels; empty for the site's zone.")
    String siteZone() default "";
}
