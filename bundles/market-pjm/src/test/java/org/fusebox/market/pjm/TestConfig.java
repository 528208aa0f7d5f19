package org.fusebox.market.pjm;

import java.lang.annotation.Annotation;

/** A {@link PjmConfig} with the Metatype defaults, changed field by field. */
final class TestConfig implements PjmConfig {

    long pnodeId = DataMinerJson.PNODE;
    String key = "pjm-key-5c1e77";
    String baseUrl = "https://api.pjm.com/api/v1/da_hrl_lmps";
    String id = "pjm";
    String publicationTime = "13:45";
    int retryInitialSeconds = 300;
    int retryMaxSeconds = 3600;
    int maxRequestsPerMinute = 3;
    int rowCount = 100;
    int maxPages = 5;
    int connectTimeoutSeconds = 2;
    int requestTimeoutSeconds = 2;
    int healthHorizonHours = 6;

    @Override public long pnodeId() { return pnodeId; }
    @Override public String subscriptionKey() { return key; }
    @Override public String baseUrl() { return baseUrl; }
    @Override public String id() { return id; }
    @Override public String publicationTime() { return publicationTime; }
    @Override public int retryInitialSeconds() { return retryInitialSeconds; }
    @Override public int retryMaxSeconds() { return retryMaxSeconds; }
    @Override public int maxRequestsPerMinute() { return maxRequestsPerMinute; }
    @Override public int rowCount() { return rowCount; }
    @Override public int maxPages() { return maxPages; }
    @Override public int connectTimeoutSeconds() { return connectTimeoutSeconds; }
    @Override public int requestTimeoutSeconds() { return requestTimeoutSeconds; }
    @Override public int healthHorizonHours() { return healthHorizonHours; }

    @Override
    public Class<? extends Annotation> annotationType() {
        return PjmConfig.class;
    }
}
