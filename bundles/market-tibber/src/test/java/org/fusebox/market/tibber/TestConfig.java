package org.fusebox.market.tibber;

import java.lang.annotation.Annotation;

/** A {@link TibberConfig} with the Metatype defaults, changed field by field. */
final class TestConfig implements TibberConfig {

    String token = "tibber-test-token-5K2a";
    String homeId = "";
    String resolution = "QUARTER_HOURLY";
    String currency = "";
    String apiUrl = "https://api.tibber.com/v1-beta/gql";
    String id = "tibber";
    String marketTimeZone = "Europe/Oslo";
    String publicationTime = "13:15";
    int retryInitialSeconds = 300;
    int retryMaxSeconds = 3600;
    int maxRequestsPerMinute = 2;
    int minRequestSpacingSeconds = 60;
    int connectTimeoutSeconds = 2;
    int requestTimeoutSeconds = 2;
    int healthHorizonHours = 6;

    @Override public String token() { return token; }
    @Override public String homeId() { return homeId; }
    @Override public String resolution() { return resolution; }
    @Override public String currency() { return currency; }
    @Override public String apiUrl() { return apiUrl; }
    @Override public String id() { return id; }
    @Override public String marketTimeZone() { return marketTimeZone; }
    @Override public String publicationTime() { return publicationTime; }
    @Override public int retryInitialSeconds() { return retryInitialSeconds; }
    @Override public int retryMaxSeconds() { return retryMaxSeconds; }
    @Override public int maxRequestsPerMinute() { return maxRequestsPerMinute; }
    @Override public int minRequestSpacingSeconds() { return minRequestSpacingSeconds; }
    @Override public int connectTimeoutSeconds() { return connectTimeoutSeconds; }
    @Override public int requestTimeoutSeconds() { return requestTimeoutSeconds; }
    @Override public int healthHorizonHours() { return healthHorizonHours; }

    @Override
    public Class<? extends Annotation> annotationType() {
        return TibberConfig.class;
    }
}
