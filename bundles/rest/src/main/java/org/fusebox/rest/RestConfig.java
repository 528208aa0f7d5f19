package org.fusebox.rest;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox REST API",
        description = "Bounds of drivers' charging requests, and of the site stream's clients. PID fusebox.rest; every key is optional.")
public @interface RestConfig {

    @AttributeDefinition(name = "Least energy (kWh)", min = "0.001", max = "10",
            description = "A charging request for less is refused: it would round to nothing and leave the EV uncharged until departure.")
    double minEnergyKwh() default RequestLimits.DEFAULT_MIN_KWH;

    @AttributeDefinition(name = "Most energy (kWh)", min = "1", max = "10000",
            description = "A charging request for more is refused as a typo: no EV battery holds it.")
    double maxEnergyKwh() default RequestLimits.DEFAULT_MAX_KWH;

    @AttributeDefinition(name = "Departure horizon (h)", min = "1", max = "8760",
            description = "A departure further ahead than this (site time) is refused.")
    int maxDepartureHours() default RequestLimits.DEFAULT_HORIZON_HOURS;

    @AttributeDefinition(name = "Site stream clients", min = "1", max = "1000",
            description = "Browsers that may follow GET /fusebox/api/v1/stream at once; more get 503 and retry.")
    int maxStreamClients() default 32;
}
