package org.fusebox.grid.openadr;

import java.lang.annotation.Annotation;

/** An {@link OpenAdrConfig} with the Metatype defaults and test credentials, changed field by field. */
final class TestConfig implements OpenAdrConfig {

    static final String SECRET = "s3cr3t-Vx9-&=+";

    String vtnUrl = "http://127.0.0.1:1/openadr3/3.0.1";
    String tokenUrl = "";
    String clientId = "ven-client-1";
    String clientSecret = SECRET;
    String scope = "";
    String clientAuthentication = "BODY";
    String venName = "fusebox-site-1";
    String[] resourceNames = {};
    String[] programIds = {};
    int pollIntervalSeconds = 60;
    int failuresBeforeDown = 3;
    int connectTimeoutSeconds = 2;
    int requestTimeoutSeconds = 2;
    boolean allowPlainHttp = false;

    @Override public String vtnUrl() { return vtnUrl; }
    @Override public String tokenUrl() { return tokenUrl; }
    @Override public String clientId() { return clientId; }
    @Override public String clientSecret() { return clientSecret; }
    @Override public String scope() { return scope; }
    @Override public String clientAuthentication() { return clientAuthentication; }
    @Override public String venName() { return venName; }
    @Override public String[] resourceNames() { return resourceNames; }
    @Override public String[] programIds() { return programIds; }
    @Override public int pollIntervalSeconds() { return pollIntervalSeconds; }
    @Override public int failuresBeforeDown() { return failuresBeforeDown; }
    @Override public int connectTimeoutSeconds() { return connectTimeoutSeconds; }
    @Override public int requestTimeoutSeconds() { return requestTimeoutSeconds; }
    @Override public boolean allowPlainHttp() { return allowPlainHttp; }

    @Override
    public Class<? extends Annotation> annotationType() {
        return OpenAdrConfig.class;
    }
}
