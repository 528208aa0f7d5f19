package org.fusebox.market.nordpool;

import java.lang.annotation.Annotation;

/** A {@link NordpoolConfig} with the Metatype defaults, changed field by field. */
final class TestConfig implements NordpoolConfig {

    String deliveryArea = "SE3";
    String currency = "EUR";
    boolean usePreliminary = false;
    String baseUrl = "https://dataportal-api.nordpoolgroup.com/api/DayAheadPrices";
    String id = "nordpool";
    String marketTimeZone = "Europe/Brussels";
    String publicationTime = "13:00";
    int retryInitialSeconds = 300;
    int retryMaxSeconds = 3600;
    int maxRequestsPerMinute = 4;
    int minRequestSpacingSeconds = 60;
    int connectTimeoutSeconds = 2;
    int requestTimeoutSeconds = 2;
    int healthHorizonHours = 6;

    @Override public String deliveryArea() { return deliveryArea; }
    @Override public String currency() { return currency; }
    @Override public boolean usePreliminary() { return usePreliminary; }
    @Override public String baseUrl() { return baseUrl; }
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
        return NordpoolConfig.class;
    }
}
