package org.fusebox.cloud.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.MessagePriority;
import org.fusebox.api.health.HealthStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ssl:// against the broker with a certificate made for the test, trusted through the configured trust store. */
class TlsLinkTest {

    @TempDir
    Path dir;

    private void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", args[0], out).isZero();
    }

    @Test
    void connectsOverTlsWithTheConfiguredTrustAndKeyStoresAndRefusesAWrongPassword() throws Exception {
        Path server = dir.resolve("server.p12");
        Path cert = dir.resolve("server.crt");
        Path trust = dir.resolve("trust.p12");
        Path client = dir.resolve("client.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore",
                server.toString(), "-storepass", "serverpw", "-keypass", "serverpw");
        keytool("-exportcert", "-alias", "server", "-keystore", server.toString(), "-storepass", "serverpw", "-file",
                cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trust.toString(), "-storepass", "trustpw");
        keytool("-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=gw-tls",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", client.toString(), "-storepass", "clientpw",
                "-keypass", "clientpw");

        int sslPort = TcpProxy.freePort();
        Properties ssl = new Properties();
        ssl.setProperty("ssl_port", Integer.toString(sslPort));
        ssl.setProperty("jks_path", server.toString());
        ssl.setProperty("key_store_type", "pkcs12");
        ssl.setProperty("key_store_password", "serverpw");
        ssl.setProperty("key_manager_password", "serverpw");
        try (TestBroker broker = new TestBroker(TcpProxy.freePort()).start(ssl).observe("fusebox/gw-tls/#")) {
            CloudMqttComponent c = new CloudMqttComponent(Clock.systemUTC(), Map::of, dir);
            try {
                TestConfig base = TestConfig.of("ssl://127.0.0.1:" + sslPort, "gw-tls", dir.resolve("tls.mv.db").toString());
                c.configure(base.withTls(trust.toString(), "wrong", client.toString(), "clientpw"));
                assertThat(c.health().status()).isEqualTo(HealthStatus.DOWN);
                assertThat(String.join("\n", c.health().details())).contains("trustStorePath").doesNotContain("wrong");

                c.configure(base.withTls(trust.toString(), "trustpw", client.toString(), "clientpw"));
                TestBroker.await("a TLS connection", 30, c::isConnected);
                c.publish(new CloudMessage("secure", "{}".getBytes(StandardCharsets.UTF_8), 1, false, MessagePriority.EVENT));
                broker.awaitOne("fusebox/gw-tls/secure", r -> true);
                assertThat(c.health().status()).isEqualTo(HealthStatus.UP);
            } finally {
                c.deactivate();
            }
        }
    }
}
