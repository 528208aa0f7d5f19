package org.fusebox.cloud.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.fusebox.api.health.HealthStatus;
import org.junit.jupiter.api.Test;

class CloudLinkSetupHealthTest {

    @Test
    void anUnconfiguredLinkSaysWhatToSet() {
        CloudLinkSetupHealth.NotConfigured h = new CloudLinkSetupHealth.NotConfigured();

        assertThat(h.name()).isEqualTo("cloud.mqtt");
        assertThat(h.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(h.health().details()).singleElement().asString()
                .startsWith("not configured: set brokerUrl (ssl://host:8883) and clientId in etc/fusebox.cloud.mqtt.cfg");
    }
}
