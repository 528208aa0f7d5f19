package org.fusebox.market.caiso;

import java.lang.annotation.Annotation;

/** A {@link CaisoConfig} with the Metatype defaults, changed field by field. */
final class TestConfig implements CaisoConfig {

    String node = OasisFiles.NODE;
    String baseUrl = "https://oasis.caiso.com/oasisapi/SingleZip";
    String id = "caiso";
    String publicationTime = "13:15";
    int retryInitialSeconds = 300;
    int retryMaxSeconds = 3600;
    int minRequestSpacingSeconds = 10;
    int connectTimeoutSeconds = 2;
    int requestTimeoutSeconds = 2;
    int healthHorizonHours = 6;

    @Override public String node() { return node; }
    @Override public String baseUrl() { return baseUrl; }
    @Override public String id() { return id; }
    @Override public String publicationTime() { return publicationTime; }
    @Override public int retryInitialSeconds() { return retryInitialSeconds; }
    @Override public int retryMaxSeconds() { return retryMaxSeconds; }
    @Override public int minRequestSpacingSeconds() { return minRequestSpacingSeconds; }
    @Override public int connectTimeoutSeconds() { return connectTimeoutSeconds; }
    @Override public int requestTimeoutSeconds() { return requestTimeoutSeconds; }
    @Override public int healthHorizonHours() { return healthHorizonHours; }

    @Override
    public Class<? extends Annotation> annotationType() {
        return CaisoConfig.class;
    }
}
