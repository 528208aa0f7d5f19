package org.fusebox.market.caiso;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox CAISO day-ahead LMP",
        description = "Hourly day-ahead locational marginal prices (PRC_LMP, market DAM) of one pricing node from "
                + "CAISO OASIS, in USD/MWh. PID fusebox.market.caiso.")
public @interface CaisoConfig {

    @AttributeDefinition(name = "Pricing node",
            description = "The OASIS node id, e.g. TH_NP15_GEN-APND, TH_SP15_GEN-APND, DLAP_PGAE-APND: letters, digits, '_', '-', '.', at most 64.")
    String node();

    @AttributeDefinition(name = "Base URL", description = "The SingleZip endpoint (https, or http for a local test server).")
    String baseUrl() default "https://oasis.caiso.com/oasisapi/SingleZip";

    @AttributeDefinition(name = "Feed id", description = "The id this PriceFeed reports: letters, digits, '.', '_', '-'.")
    String id() default "caiso";

    @AttributeDefinition(name = "Publication time",
            description = "Pacific time (HH:mm) after which the next trade day's prices are fetched; the DAM publishes about 13:00.")
    String publicationTime() default "13:15";

    @AttributeDefinition(name = "First retry (seconds)", min = "5", max = "86400",
            description = "Wait before the first retry after a failed or incomplete fetch; doubled on each further one.")
    int retryInitialSeconds() default 300;

    @AttributeDefinition(name = "Longest retry wait (seconds)", min = "5", max = "86400",
            description = "Cap of the doubling retry wait.")
    int retryMaxSeconds() default 3600;

    @AttributeDefinition(name = "Minimum spacing (seconds)", min = "5", max = "3600",
            description = "Shortest time between two requests. OASIS refuses requests less than 5 s apart (HTTP 429).")
    int minRequestSpacingSeconds() default 10;

    @AttributeDefinition(name = "Connect timeout (seconds)", min = "1", max = "300")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(name = "Request timeout (seconds)", min = "1", max = "600",
            description = "Longest wait for the whole answer (OASIS can be slow to build a ZIP).")
    int requestTimeoutSeconds() default 60;

    @AttributeDefinition(name = "Health horizon (hours)", min = "0", max = "48",
            description = "Health is DEGRADED when prices are not known at least this far ahead.")
    int healthHorizonHours() default 6;
}
