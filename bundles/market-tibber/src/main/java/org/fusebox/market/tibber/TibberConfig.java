package org.fusebox.market.tibber;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Fusebox Tibber prices",
        description = "The retail price per slot (energy, tax and VAT included) of one Tibber home, from the Tibber "
                + "GraphQL API. PID fusebox.market.tibber.")
public @interface TibberConfig {

    @AttributeDefinition(name = "Access token", type = AttributeType.PASSWORD,
            description = "The personal access token from developer.tibber.com. Reference a secret: "
                    + "$[secret:tibber.token] (file etc/secrets/tibber.token). Never logged.")
    String token();

    @AttributeDefinition(name = "Home id", required = false,
            description = "The id of the home whose prices are used. Empty: the account's only home (refused when "
                    + "the account has several).")
    String homeId() default "";

    @AttributeDefinition(name = "Resolution", options = {
            @Option(label = "15 minutes", value = "QUARTER_HOURLY"), @Option(label = "1 hour", value = "HOURLY") },
            description = "Slot length asked for.")
    String resolution() default "QUARTER_HOURLY";

    @AttributeDefinition(name = "Currency", required = false,
            description = "ISO 4217 code the prices must be in (EUR, NOK, SEK); an answer in another is refused. "
                    + "Empty: the one currency Tibber states for all slots of an answer.")
    String currency() default "";

    @AttributeDefinition(name = "API URL", description = "The GraphQL endpoint (https, or http for a local test server).")
    String apiUrl() default "https://api.tibber.com/v1-beta/gql";

    @AttributeDefinition(name = "Feed id", description = "The id this PriceFeed reports: letters, digits, '.', '_', '-'.")
    String id() default "tibber";

    @AttributeDefinition(name = "Market time zone",
            description = "Zone of the publication time (the day-ahead auction runs on CET/CEST).")
    String marketTimeZone() default "Europe/Oslo";

    @AttributeDefinition(name = "Publication time",
            description = "Local time (HH:mm, market time zone) after which tomorrow's prices are asked for; the "
                    + "auction publishes about 12:45-13:00 and Tibber serves them shortly after.")
    String publicationTime() default "13:15";

    @AttributeDefinition(name = "First retry (seconds)", min = "10", max = "86400",
            description = "Wait before the first retry after a failed or incomplete fetch; doubled on each further one.")
    int retryInitialSeconds() default 300;

    @AttributeDefinition(name = "Longest retry wait (seconds)", min = "10", max = "86400",
            description = "Cap of the doubling retry wait.")
    int retryMaxSeconds() default 3600;

    @AttributeDefinition(name = "Requests per minute", min = "1", max = "10",
            description = "Most requests sent in any 60 s (a normal day needs a few; Tibber rate-limits clients).")
    int maxRequestsPerMinute() default 2;

    @AttributeDefinition(name = "Minimum spacing (seconds)", min = "0", max = "3600",
            description = "Shortest time between two fetches, whatever the schedule or a retry asks.")
    int minRequestSpacingSeconds() default 60;

    @AttributeDefinition(name = "Connect timeout (seconds)", min = "1", max = "120")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(name = "Request timeout (seconds)", min = "1", max = "300",
            description = "Longest wait for the whole response.")
    int requestTimeoutSeconds() default 30;

    @AttributeDefinition(name = "Health horizon (hours)", min = "0", max = "48",
            description = "Health is DEGRADED when prices are not known at least this far ahead.")
    int healthHorizonHours() default 6;
}
