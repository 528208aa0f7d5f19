package org.fusebox.cloud.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkSettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsResolveTheNamespaceAndPutTheStoreUnderTheDataDirectory() {
        LinkSettings s = LinkSettings.from(TestConfig.of("tcp://broker.example:1883", "gw-1", ""), dir);
        assertThat(s.namespace).isEqualTo("fusebox/gw-1");
        assertThat(s.storePath).isEqualTo(dir.resolve("fusebox/cloud-mqtt/outbox.mv.db"));
        assertThat(s.storeLimits).isEqualTo(new MessageStore.Limits(100000, 64L << 20, Duration.ofHours(168)));
        assertThat(s.socketFactory).isNull();
    }

    @Test
    void tlsIsTheDefaultAndPlaintextIsNamedAsSuch() throws Exception {
        assertThat(CloudMqttConfig.class.getMethod("brokerUrl").getDefaultValue()).isEqualTo("ssl://localhost:8883");
        LinkSettings plain = LinkSettings.from(TestConfig.of("tcp://broker.example:1883", "gw-1", ""), dir);
        assertThat(plain.plaintext).isTrue();
        assertThat(plain.plaintextWarning()).contains("tcp://broker.example:1883 is plaintext", "use ssl://");
        LinkSettings tls = LinkSettings.from(TestConfig.of("ssl://broker.example:8883", "gw-1", ""), dir);
        assertThat(tls.plaintext).isFalse();
        assertThat(tls.plaintextWarning()).isNull();
    }

    @Test
    void kuraLayoutNeedsAnAccount() {
        TestConfig kura = TestConfig.of("tcp://b:1883", "gw-1", "").withNamespace("$EDC/{account}/{clientId}", "acme");
        assertThat(LinkSettings.from(kura, dir).namespace).isEqualTo("$EDC/acme/gw-1");
        assertThatThrownBy(() -> LinkSettings.from(kura.withNamespace("$EDC/{account}/{clientId}", ""), dir))
                .hasMessageContaining("account must be set");
    }

    @Test
    void badNamespacesAndTlsOptionsOnPlainTcpAreRefused() {
        TestConfig base = TestConfig.of("tcp://b:1883", "gw", "");
        assertThatThrownBy(() -> LinkSettings.from(base.withNamespace("a/+/b", ""), dir)).hasMessageContaining("wildcards");
        assertThatThrownBy(() -> LinkSettings.from(base.withNamespace("a//b", ""), dir)).hasMessageContaining("empty levels");
        assertThatThrownBy(() -> LinkSettings.from(base.withNamespace("/a", ""), dir)).hasMessageContaining("empty levels");
        assertThatThrownBy(() -> LinkSettings.from(base.withTls("/nowhere/trust.p12", "x", "", ""), dir))
                .hasMessageContaining("need an ssl:// brokerUrl");
        TestConfig ssl = TestConfig.of("ssl://b:8883", "gw", "");
        assertThatThrownBy(() -> LinkSettings.from(ssl.withTls("/nowhere/trust.p12", "x", "/nowhere/key.p12", "y"), dir))
                .hasMessageContaining("trustStorePath /nowhere/trust.p12 cannot be read");
    }

    @Test
    void thePasswordIsNeverShown() {
        TestConfig c = new TestConfig("tcp://b:1883", "gw", "", "fusebox/{clientId}", "user", "s3cret-pw", "", "", "", "",
                30, 1, 60, 10, new String[0], "", 10, 4096, 1, 5);
        assertThat(LinkSettings.from(c, dir).toString()).contains("user").contains("****").doesNotContain("s3cret-pw");
        TestConfig bad = new TestConfig("ftp://b", "gw", "", "fusebox/{clientId}", "user", "s3cret-pw", "", "", "", "",
                30, 1, 60, 10, new String[0], "", 10, 4096, 1, 5);
        assertThatThrownBy(() -> LinkSettings.from(bad, dir)).hasMessageNotContaining("s3cret-pw")
                .hasMessageContaining("tcp:// or ssl://");
    }

    @Test
    void eventExclusionsMatchExactlyOrByPrefix() {
        var patterns = java.util.List.of("fusebox/control/CYCLE_COMPLETED", "fusebox/device/*");
        assertThat(MqttLink.excluded(patterns, "fusebox/control/CYCLE_COMPLETED")).isTrue();
        assertThat(MqttLink.excluded(patterns, "fusebox/device/ADDED")).isTrue();
        assertThat(MqttLink.excluded(patterns, "fusebox/control/LIMIT_BREACH")).isFalse();
    }
}
