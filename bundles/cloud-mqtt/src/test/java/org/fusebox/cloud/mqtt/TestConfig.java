package org.fusebox.cloud.mqtt;

import java.lang.annotation.Annotation;

/** A configuration as DS would hand it over, built in tests. */
@SuppressWarnings("all")
record TestConfig(String brokerUrl, String clientId, String account, String namespace, String username, String password,
        String trustStorePath, String trustStorePassword, String keyStorePath, String keyStorePassword,
        int keepAliveSeconds, int reconnectMinSeconds, int reconnectMaxSeconds, int telemetryPeriodSeconds,
        String[] eventTopicsExcluded, String storePath, int storeMaxMessages, long storeMaxBytes, int storeMaxAgeHours,
        int maxInflight) implements CloudMqttConfig {

    static TestConfig of(String brokerUrl, String clientId, String storePath) {
        return new TestConfig(brokerUrl, clientId, "", "fusebox/{clientId}", "", "", "", "", "", "", 30, 1, 1, 0,
                new String[] { "fusebox/control/CYCLE_COMPLETED" }, storePath, 100000, 64L << 20, 168, 20);
    }

    TestConfig withNamespace(String ns, String acc) {
        return new TestConfig(brokerUrl, clientId, acc, ns, username, password, trustStorePath, trustStorePassword,
                keyStorePath, keyStorePassword, keepAliveSeconds, reconnectMinSeconds, reconnectMaxSeconds,
                telemetryPeriodSeconds, eventTopicsExcluded, storePath, storeMaxMessages, storeMaxBytes, storeMaxAgeHours,
                maxInflight);
    }

    TestConfig withTelemetry(int seconds) {
        return new TestConfig(brokerUrl, clientId, account, namespace, username, password, trustStorePath,
                trustStorePassword, keyStorePath, keyStorePassword, keepAliveSeconds, reconnectMinSeconds,
                reconnectMaxSeconds, seconds, eventTopicsExcluded, storePath, storeMaxMessages, storeMaxBytes,
                storeMaxAgeHours, maxInflight);
    }

    TestConfig withCapacity(int messages) {
        return new TestConfig(brokerUrl, clientId, account, namespace, username, password, trustStorePath,
                trustStorePassword, keyStorePath, keyStorePassword, keepAliveSeconds, reconnectMinSeconds,
                reconnectMaxSeconds, telemetryPeriodSeconds, eventTopicsExcluded, storePath, messages, storeMaxBytes,
                storeMaxAgeHours, maxInflight);
    }

    TestConfig withTls(String trust, String trustPw, String key, String keyPw) {
        return new TestConfig(brokerUrl, clientId, account, namespace, username, password, trust, trustPw, key, keyPw,
                keepAliveSeconds, reconnectMinSeconds, reconnectMaxSeconds, telemetryPeriodSeconds, eventTopicsExcluded,
                storePath, storeMaxMessages, storeMaxBytes, storeMaxAgeHours, maxInflight);
    }

    TestConfig withBad() {
        return new TestConfig("http://nowhere", "bad/id", "", "x/{nope}", "", "secret", "", "", "", "", 0, 5, 2, -1,
                new String[0], storePath, 0, 10, -1, 0);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return CloudMqttConfig.class;
    }
}
