package org.fusebox.metrics;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox metrics",
        description = "Prometheus metrics at /fusebox/metrics. PID fusebox.metrics; every key is optional.")
public @interface MetricsConfig {

    @AttributeDefinition(name = "Devices", min = "1", max = "1000",
            description = "The most devices (and charger connectors) that get series of their own; beyond, they are "
                    + "left out so that a misbehaving driver cannot flood the scraper.")
    int maxDevices() default 100;

    @AttributeDefinition(name = "Event topics", min = "1", max = "1000",
            description = "The most distinct fusebox/* topics counted in fusebox_events_total; later topics count under "
                    + "topic=\"other\".")
    int maxEventTopics() default 100;

    @AttributeDefinition(name = "Series per source", min = "1", max = "10000",
            description = "The most series one MetricsSource (a driver, the cloud link, a plugin) may give in a scrape; "
                    + "beyond, the rest of its answer is left out and counted in fusebox_metrics_source_errors_total.")
    int maxSeriesPerSource() default 500;
}
