package org.fusebox.market.pjm;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox PJM day-ahead LMP",
        description = "Hourly day-ahead locational marginal prices (Data Miner 2 feed da_hrl_lmps, total_lmp_da) of one "
                + "pnode, in USD/MWh. PID fusebox.market.pjm.")
public @interface PjmConfig {

    @AttributeDefinition(name = "Pnode id", min = "1",
            description = "The numeric pnode_id, e.g. 51288 (Western Hub), 1 (PJM-RTO).")
    long pnodeId();

    @AttributeDefinition(name = "Subscription key", type = AttributeType.PASSWORD,
            description = "The Data Miner API key (header Ocp-Apim-Subscription-Key). Reference a secret: "
                    + "$[secret:pjm.key] (file etc/secrets/pjm.key). Never logged.")
    String subscriptionKey();

    @AttributeDefinition(name = "Base URL", description = "The feed's endpoint (https, or http for a local test server).")
    String baseUrl() default "https://api.pjm.com/api/v1/da_hrl_lmps";

    @AttributeDefinition(name = "Feed id", description = "The id this PriceFeed reports: letters, digits, '.', '_', '-'.")
    String id() default "pjm";

    @AttributeDefinition(name = "Publication time",
            description = "Eastern time (HH:mm) after which the next trade day's prices are fetched; PJM posts the day-ahead results about 13:30.")
    String publicationTime() default "13:45";

    @AttributeDefinition(name = "First retry (seconds)", min = "10", max = "86400",
            description = "Wait before the first retry after a failed or incomplete fetch; doubled on each further one.")
    int retryInitialSeconds() default 300;

    @AttributeDefinition(name = "Longest retry wait (seconds)", min = "10", max = "86400",
            description = "Cap of the doubling retry wait.")
    int retryMaxSeconds() default 3600;

    @AttributeDefinition(name = "Requests per minute", min = "1", max = "600",
            description = "Most requests (pages included) in any 60 s. Data Miner allows non-members 6 a minute, members 600.")
    int maxRequestsPerMinute() default 3;

    @AttributeDefinition(name = "Rows per page", min = "25", max = "50000",
            description = "rowCount of each page; two trade days of one pnode are at most 49 rows.")
    int rowCount() default 100;

    @AttributeDefinition(name = "Most pages", min = "1", max = "50",
            description = "An answer needing more pages than this is refused (a filter that did not apply).")
    int maxPages() default 5;

    @AttributeDefinition(name = "Connect timeout (seconds)", min = "1", max = "300")
    int connectTimeoutSeconds() default 10;

    @AttributeDefinition(name = "Request timeout (seconds)", min = "1", max = "600",
            description = "Longest wait for the whole answer of one page.")
    int requestTimeoutSeconds() default 60;

    @AttributeDefinition(name = "Health horizon (hours)", min = "0", max = "48",
            description = "Health is DEGRADED when prices are not known at least this far ahead.")
    int healthHorizonHours() default 6;
}
