package org.fusebox.market.entsoe;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox ENTSO-E day-ahead prices",
        description = "Day-ahead prices (document type A44) of one bidding zone from the ENTSO-E Transparency "
                + "Platform. PID fusebox.market.entsoe.")
public @interface EntsoeConfig {

    @AttributeDefinition(name = "Bidding zone (EIC)",
            description = "EIC code of the bidding zone, 16 characters, e.g. 10YBE----------2 (BE), 10Y1001A1001A82H (DE-LU).")
    String zone();

    @AttributeDefinition(name = "Security token", type = AttributeType.PASSWORD,
            description = "The Transparency Platform API token. Reference a secret: $[secret:entsoe.token] "
                    + "(file etc/secrets/entsoe.token). Never logged.")
    String securityToken();

    @AttributeDefinition(name = "Base URL", description = "The API endpoint (https, or http for a local test server).")
    String baseUrl() default "https://web-api.tp.entsoe.eu/api";

    @AttributeDefinition(name = "Feed id", description = "The id this PriceFeed reports: letters, digits, '.', '_', '-'.")
    String id() default "entsoe";

    @AttributeDefinition(name = "Market time zone",
            description = "Zone of the delivery day and of the publication time (SDAC runs on CET/CEST).")
    String marketTimeZone() default "Europe/Brussels";

    @AttributeDefinition(name = "Publication time",
            description = "Local time (HH:mm, market time zone) after which the next day's prices are fetched; "
                    + "SDAC publishes about 12:45-13:00.")
    String publicationTime() default "13:00";

    @AttributeDefinition(name = "First retry (seconds)", min = "1",
            description = "Wait before the first retry after a failed or incomplete fetch; doubled on each further one.")
    int retryInitialSeconds() default 60;

    @AttributeDefinition(name = "Longest retry wait (seconds)", min = "1",
            description = "Cap of the doubling retry wait.")
    int retryMaxSeconds() default 3600;

    @AttributeDefinition(name = "Requests per minute", min = "1", max = "400",
            description = "Most requests sent in any 60 s (the platform allows 400 per token; a day needs a few).")
    int maxRequestsPerMinute() default 10;

    @AttributeDefinition(name = "Connect timeout (seconds)", min = "1")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(name = "Request timeout (seconds)", min = "1",
            description = "Longest wait for the whole response.")
    int requestTimeoutSeconds() default 30;

    @AttributeDefinition(name = "Health horizon (hours)", min = "0",
            description = "Health is DEGRADED when prices are not known at least this far ahead.")
    int healthHorizonHours() default 6;
}
