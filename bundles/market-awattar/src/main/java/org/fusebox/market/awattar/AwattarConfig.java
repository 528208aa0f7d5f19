package org.fusebox.market.awattar;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Fusebox aWATTar day-ahead prices",
        description = "EPEX day-ahead spot prices for Germany or Austria from the aWATTar API (no account needed). "
                + "PID fusebox.market.awattar.")
public @interface AwattarConfig {

    @AttributeDefinition(name = "Country", description = "DE (api.awattar.de) or AT (api.awattar.at).",
            options = { @Option(value = "DE", label = "Germany"), @Option(value = "AT", label = "Austria") })
    String country() default "DE";

    @AttributeDefinition(name = "Base URL",
            description = "The marketdata endpoint; empty for the country's own (https://api.awattar.<country>/v1/marketdata).")
    String baseUrl() default "";

    @AttributeDefinition(name = "Feed id", description = "The id this PriceFeed reports: letters, digits, '.', '_', '-'.")
    String id() default "awattar";

    @AttributeDefinition(name = "Publication time",
            description = "Local time (HH:mm, Europe/Berlin or Europe/Vienna) after which tomorrow's prices are fetched.")
    String publicationTime() default "14:00";

    @AttributeDefinition(name = "First retry (seconds)", min = "60", max = "86400",
            description = "Wait before the first retry after a failed or incomplete fetch; doubled on each further one.")
    int retryInitialSeconds() default 600;

    @AttributeDefinition(name = "Longest retry wait (seconds)", min = "60", max = "86400", description = "Cap of the doubling wait.")
    int retryMaxSeconds() default 3600;

    @AttributeDefinition(name = "Shortest time between requests (seconds)", min = "60", max = "86400",
            description = "No two requests closer than this, whatever happens.")
    int minSpacingSeconds() default 300;

    @AttributeDefinition(name = "Requests per day", min = "1", max = "100",
            description = "Most requests in any 24 h (aWATTar's fair use allows 100 a day; a normal day needs 2-3).")
    int maxRequestsPerDay() default 24;

    @AttributeDefinition(name = "Connect timeout (seconds)", min = "1", max = "300")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(name = "Request timeout (seconds)", min = "1", max = "300", description = "Longest wait for the whole response.")
    int requestTimeoutSeconds() default 30;

    @AttributeDefinition(name = "Health horizon (hours)", min = "0", max = "48",
            description = "Health is DEGRADED when prices are not known at least this far ahead.")
    int healthHorizonHours() default 6;
}
