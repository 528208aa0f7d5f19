package org.fusebox.market.entsoe;

import java.lang.annotation.Annotation;

/** An {@link EntsoeConfig} with the Metatype defaults, changed field by field. */
final class TestConfig implements EntsoeConfig {

    String zone = Documents.BE;
    String token = "test-token-0f3e";
    String baseUrl = "https://web-api.tp.entsoe.eu/api";
    String id = "entsoe";
    String marketTimeZone = "Europe/Brussels";
    String publicationTime = "13:00";
    int retryInitialSeconds = 60;
    int retryMaxSeconds = 3600;
    int maxRequestsPerMinute = 10;
    int connectTimeoutSeconds = 2;
    int requestTimeoutSeconds = 2;
    int healthHorizonHours = 6;

    @Override public String zone() { return zone; }
    @Override public String securityToken() { return token; }
    @Override public String baseUrl() { return baseUrl; }
    @Override public String id() { return id; }
    @Override public String marketTimeZone() { return marketTimeZone; }
    @Override public String publicationTime() { return publicationTime; }
    @Override public int retryInitialSeconds() { return retryInitialSeconds; }
    @Override public int retryMaxSeconds() { return retryMaxSeconds; }
    @Override public int maxRequestsPerMinute() { return maxRequestsPerMinute; }
    @Override public int connectTimeoutSeconds() { return connectTimeoutSeconds; }
    @Override public int requestTimeoutSeconds() { return requestTimeoutSeconds; }
    @Override public int healthHorizonHours() { return healthHorizonHours; }

    @Override
    public Class<? extends Annotation> annotationType() {
        return EntsoeConfig.class;
    }
}
