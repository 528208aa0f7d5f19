package org.fusebox.market.nordpool;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox Nord Pool day-ahead prices",
        description = "Day-ahead prices of one delivery area from the Nord Pool data portal. PID fusebox.market.nordpool.")
public @interface NordpoolConfig {

    @AttributeDefinition(name = "Delivery area",
            description = "Nord Pool's name of the area: NO1-NO5, SE1-SE4, FI, DK1, DK2, EE, LV, LT, SYS (Nordic system "
                    + "price), AT, BE, FR, GER, NL, PL.")
    String deliveryArea();

    @AttributeDefinition(name = "Currency", description = "Currency of the prices: EUR, NOK, SEK, DKK, PLN, GBP, RON or BGN.")
    String currency() default "EUR";

    @AttributeDefinition(name = "Use preliminary prices",
            description = "false: a day marked Preliminary is treated as not published yet and asked for again (with the "
                    + "retry wait) until it is Final. true: it is served at once and asked for again at the next fetch, "
                    + "where Final prices replace it.")
    boolean usePreliminary() default false;

    @AttributeDefinition(name = "Base URL", description = "The day-ahead endpoint (https, or http for a local test server).")
    String baseUrl() default "https://dataportal-api.nordpoolgroup.com/api/DayAheadPrices";

    @AttributeDefinition(name = "Feed id", description = "The id this PriceFeed reports: letters, digits, '.', '_', '-'.")
    String id() default "nordpool";

    @AttributeDefinition(name = "Market time zone",
            description = "Zone of the delivery day (deliveryDateCET) and of the publication time.")
    String marketTimeZone() default "Europe/Brussels";

    @AttributeDefinition(name = "Publication time",
            description = "Local time (HH:mm, market time zone) after which tomorrow's prices are asked for; the "
                    + "auction publishes about 12:45-13:00.")
    String publicationTime() default "13:00";

    @AttributeDefinition(name = "First retry (seconds)", min = "10", max = "86400",
            description = "Wait before the first retry after a failed or incomplete fetch; doubled on each further one.")
    int retryInitialSeconds() default 300;

    @AttributeDefinition(name = "Longest retry wait (seconds)", min = "10", max = "86400",
            description = "Cap of the doubling retry wait.")
    int retryMaxSeconds() default 3600;

    @AttributeDefinition(name = "Requests per minute", min = "1", max = "10",
            description = "Most requests sent in any 60 s (a normal day needs two or three; the portal is a public "
                    + "website API and must not be loaded).")
    int maxRequestsPerMinute() default 4;

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
