package org.fusebox.optimiser.ffr;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of PID fusebox.optimiser.ffr; the values are checked from the raw properties by {@link FfrSettings}. */
@ObjectClassDefinition(name = "Fusebox fast frequency response",
        description = "Droop control: outside a dead band around the nominal frequency, batteries discharge on "
                + "under-frequency and charge on over-frequency in proportion to the deviation, and allowed EV chargers "
                + "are turned down on under-frequency. PID fusebox.optimiser.ffr.")
public @interface FfrConfig {

    @AttributeDefinition(name = "Nominal frequency (Hz)", min = "45", max = "65",
            description = "The grid's nominal frequency: 50 in Europe, 60 in the Americas.")
    double nominalHz() default 50.0;

    @AttributeDefinition(name = "Dead band (Hz)", min = "0", max = "2",
            description = "No response while the frequency is within this much of the nominal.")
    double deadBandHz() default 0.2;

    @AttributeDefinition(name = "Full response at (Hz)", min = "0", max = "5",
            description = "Deviation from the nominal at which the response is full; above the dead band.")
    double fullResponseDeviationHz() default 0.5;

    @AttributeDefinition(name = "Full response power (kW)", min = "0",
            description = "The site's battery power at full response, shared among the batteries by their ratings "
                    + "and never above a rating; 0 for the batteries' ratings.")
    double maxPowerKw() default 0;

    @AttributeDefinition(name = "EV chargers that respond",
            description = "Charger ids, comma separated, turned down on under-frequency; * for every charger; empty for none.")
    String evChargers() default "";

    @AttributeDefinition(name = "Step that asks for a cycle (%)", min = "0.1", max = "50",
            description = "A change of the response by more than this share of the full response, or leaving or "
                    + "re-entering the dead band, asks the control loop for a cycle at once.")
    double cycleStepPercent() default 5.0;

    @AttributeDefinition(name = "Oldest frequency used (ms)", min = "100", max = "60000",
            description = "An older grid meter reading is no reason to respond: the batteries return to the plan.")
    long maxReadingAgeMillis() default 3000;
}
