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
}
