package org.fusebox.market.awattar;

import java.lang.annotation.Annotation;

/** An {@link AwattarConfig} with the Metatype defaults, changed field by field. */
final class TestConfig implements AwattarConfig {

    String country = "DE";
    String baseUrl = "";
    String id = "awattar";
    String publicationTime = "14:00";
    int retryInitialSeconds = 600;
    int retryMaxSeconds = 3600;
    int minSpacingSeconds = 300;
    int maxRequestsPerDay = 24;
    int connectTimeoutSeconds = 2;
    int requestTimeoutSeconds = 2;
    int healthHorizonHours = 6;

    @Override public String country() { return country; }
    @Override public String baseUrl() { return baseUrl; }
    @Override public String id() { return id; }
    @Override public String publicationTime() { return publicationTime; }
    @Override public int retryInitialSeconds() { return retryInitialSeconds; }
    @Override public int retryMaxSeconds() { return retryMaxSeconds; }
    @Override public int minSpacingSeconds() { return minSpacingSeconds; }
    @Override public int maxRequestsPerDay() { return maxRequestsPerDay; }
    @Override public int connectTimeoutSeconds() { return connectTimeoutSeconds; }
    @Override public int requestTimeoutSeconds() { return requestTimeoutSeconds; }
    @Override public int healthHorizonHours() { return healthHorizonHours; }

    @Override
    public Class<? extends Annotation> annotationType() {
        return AwattarConfig.class;
    }
}
