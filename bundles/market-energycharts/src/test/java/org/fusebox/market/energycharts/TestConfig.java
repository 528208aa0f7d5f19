package org.fusebox.market.energycharts;

import java.lang.annotation.Annotation;

/** An {@link EnergyChartsConfig} with the Metatype defaults, changed field by field. */
final class TestConfig implements EnergyChartsConfig {

    String biddingZone = "DE-LU";
    String baseUrl = "https://api.energy-charts.info/price";
    String id = "energycharts";
    String marketTimeZone = "Europe/Berlin";
    String publicationTime = "13:30";
    int retryInitialSeconds = 600;
    int retryMaxSeconds = 3600;
    int minSpacingSeconds = 300;
    int maxRequestsPerHour = 6;
    int connectTimeoutSeconds = 2;
    int requestTimeoutSeconds = 2;
    int healthHorizonHours = 6;

    @Override public String biddingZone() { return biddingZone; }
    @Override public String baseUrl() { return baseUrl; }
    @Override public String id() { return id; }
    @Override public String marketTimeZone() { return marketTimeZone; }
    @Override public String publicationTime() { return publicationTime; }
    @Override public int retryInitialSeconds() { return retryInitialSeconds; }
    @Override public int retryMaxSeconds() { return retryMaxSeconds; }
    @Override public int minSpacingSeconds() { return minSpacingSeconds; }
    @Override public int maxRequestsPerHour() { return maxRequestsPerHour; }
    @Override public int connectTimeoutSeconds() { return connectTimeoutSeconds; }
    @Override public int requestTimeoutSeconds() { return requestTimeoutSeconds; }
    @Override public int healthHorizonHours() { return healthHorizonHours; }

    @Override
    public Class<? extends Annotation> annotationType() {
        return EnergyChartsConfig.class;
    }
}
