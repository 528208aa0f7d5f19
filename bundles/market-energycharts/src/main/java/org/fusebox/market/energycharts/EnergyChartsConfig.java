package org.fusebox.market.energycharts;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox Energy-Charts day-ahead prices",
        description = "Day-ahead spot prices of one bidding zone from the Fraunhofer ISE Energy-Charts API (no account "
                + "needed). PID fusebox.market.energycharts.")
public @interface EnergyChartsConfig {

    @AttributeDefinition(name = "Bidding zone",
            description = "The API's bzn code: DE-LU, AT, BE, CH, CZ, DK1, DK2, FR, HU, IT-North, NL, NO2, PL, SE4, SI, ...")
    String biddingZone() default "DE-LU";

    @AttributeDefinition(name = "Base URL", description = "The price endpoint (https, or http for a local test server).")
    String baseUrl() default "https://api.energy-charts.info/price";

    @AttributeDefinition(name = "Feed id", description = "The id this PriceFeed reports: letters, digits, '.', '_', '-'.")
    String id() default "energycharts";

    @AttributeDefinition(name = "Market time zone",
            description = "Zone of the delivery day and of the publication time (the European day-ahead market runs on CET/CEST).")
    String marketTimeZone() default "Europe/Berlin";

    @AttributeDefinition(name = "Publication time",
            description = "Local time (HH:mm, market time zone) after which tomorrow's prices are fetched.")
    String publicationTime() default "13:30";

    @AttributeDefinition(name = "First retry (seconds)", min = "60", max = "86400",
            description = "Wait before the first retry after a failed or incomplete fetch; doubled on each further one.")
    int retryInitialSeconds() default 600;

    @AttributeDefinition(name = "Longest retry wait (seconds)", min = "60", max = "86400", description = "Cap of the doubling wait.")
    int retryMaxSeconds() default 3600;

    @AttributeDefinition(name = "Shortest time between requests (seconds)", min = "60", max = "86400",
            description = "No two requests closer than this, whatever happens.")
    int minSpacingSeconds() default 300;

    @AttributeDefinition(name = "Requests per hour", min = "1", max = "60",
            description = "Most requests in any 60 minutes (a public service without a published limit: stay polite).")
    int maxRequestsPerHour() default 6;

    @AttributeDefinition(name = "Connect timeout (seconds)", min = "1", max = "300")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(name = "Request timeout (seconds)", min = "1", max = "300", description = "Longest wait for the whole response.")
    int requestTimeoutSeconds() default 30;

    @AttributeDefinition(name = "Health horizon (hours)", min = "0", max = "48",
            description = "Health is DEGRADED when prices are not known at least this far ahead.")
    int healthHorizonHours() default 6;
}
