package org.fusebox.cloud.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.MessagePriority;
import org.fusebox.api.health.HealthStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ssl:// against a broker that requires a client certificate. Moquette 0.17 has no separate trust store for
 * client certificates: with {@code need_client_auth=true} it uses its own key store ({@code jks_path}) as the trust
 * store, so the test CA is imported there as a trusted entry next to the broker's key.
 */
class MutualTlsLinkTest {

    @TempDir
    Path dir;

    private void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", String.join(" ", args), out).isZero();
    }

    /** A key pair in its own PKCS12 store whose certificate is signed by the CA (the CA is imported as trusted). */
    private void signedByCa(Path store, String alias, String password, String dname, Path caStore, Path caCert,
            String... ext) throws Exception {
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-dname", dname, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password, "-keypass", password);
        Path csr = dir.resolve(alias + ".csr");
        Path signed = dir.resolve(alias + ".crt");
        keytool("-certreq", "-alias", alias, "-keystore", store.toString(), "-storepass", password, "-file",
                csr.toString());
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", caStore.toString(),
                "-storepass", "ca-secret", "-infile", csr.toString(), "-outfile", signed.toString(), "-validity", "2", "-rfc"));
        for (String e : ext) {
            gencert.add("-ext");
            gencert.add(e);
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(), "-keystore", store.toString(),
                "-storepass", password);
        keytool("-importcert", "-alias", alias, "-file", signed.toString(), "-keystore", store.toString(), "-storepass",
                password);
    }

    @Test
    void connectsWithTheClientCertificateAndIsRefusedWithoutOneLosingNothing() throws Exception {
        Path caStore = dir.resolve("ca.p12");
        Path caCert = dir.resolve("ca.crt");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=Fusebox Test CA",
                "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-keystore", caStore.toString(), "-storepass",
                "ca-secret", "-keypass", "ca-secret");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", "ca-secret", "-file",
                caCert.toString());

        // the broker's store holds its key (signed by the CA) and the CA as a trusted entry for client certificates
        Path brokerStore = dir.resolve("broker.p12");
        signedByCa(brokerStore, "server", "brokerpw", "CN=localhost", caStore, caCert,
                "SAN=dns:localhost,ip:127.0.0.1");
        Path client = dir.resolve("client.p12");
        signedByCa(client, "client", "clientpw", "CN=gw-mtls", caStore, caCert);
        Path trust = dir.resolve("trust.p12");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(), "-storetype", "PKCS12",
                "-keystore", trust.toString(), "-storepass", "trustpw");
        // a certificate the broker has never heard of: not signed by the CA
        Path stranger = dir.resolve("stranger.p12");
        keytool("-genkeypair", "-alias", "stranger", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=gw-mtls",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", stranger.toString(), "-storepass", "strangerpw",
                "-keypass", "strangerpw");

        int sslPort = TcpProxy.freePort();
        Properties ssl = new Properties();
        ssl.setProperty("ssl_port", Integer.toString(sslPort));
        ssl.setProperty("jks_path", brokerStore.toString());
        ssl.setProperty("key_store_type", "pkcs12");
        ssl.setProperty("key_store_password", "brokerpw");
        ssl.setProperty("key_manager_password", "brokerpw");
        ssl.setProperty("need_client_auth", "true");
        // the observer uses the broker's plain port on loopback; only the link goes through ssl://
        try (TestBroker broker = new TestBroker(TcpProxy.freePort()).start(ssl).observe("fusebox/gw-mtls/#")) {
            CloudMqttComponent c = new CloudMqttComponent(Clock.systemUTC(), Map::of, dir);
            try {
                TestConfig base = TestConfig.of("ssl://127.0.0.1:" + sslPort, "gw-mtls",
                        dir.resolve("mtls.mv.db").toString());

                // without a client certificate: valid configuration, but the broker refuses the handshake
                c.configure(base.withTls(trust.toString(), "trustpw", "", ""));
                c.publish(new CloudMessage("kept", "{\"n\":1}".getBytes(StandardCharsets.UTF_8), 1, false,
                        MessagePriority.EVENT));
                TestBroker.await("a refused connection attempt", 30,
                        () -> c.link().lastError().filter(e -> e.startsWith("connecting to ssl://")).isPresent());
                assertRefusedAndKept(c);

                // a client certificate from another issuer is refused the same way
                c.configure(base.withTls(trust.toString(), "trustpw", stranger.toString(), "strangerpw"));
                // two failures after the change, so at least one attempt surely used the stranger's certificate
                awaitNextFailure(c);
                awaitNextFailure(c);
                assertRefusedAndKept(c);
                assertThat(broker.on("fusebox/gw-mtls/")).as("nothing reached the broker while refused").isEmpty();

                // with the client key store the same link connects and sends what it kept
                c.configure(base.withTls(trust.toString(), "trustpw", client.toString(), "clientpw"));
                TestBroker.await("a mutual TLS connection", 30, c::isConnected);
                TestBroker.Received kept = broker.awaitOne("fusebox/gw-mtls/kept", r -> true);
                assertThat(kept.payload()).isEqualTo("{\"n\":1}");
                broker.awaitOne("fusebox/gw-mtls/MQTT/BIRTH", r -> true);
                c.publish(new CloudMessage("secure", "{}".getBytes(StandardCharsets.UTF_8), 1, false,
                        MessagePriority.EVENT));
                broker.awaitOne("fusebox/gw-mtls/secure", r -> true);
                TestBroker.await("the store to drain", 30, () -> c.link().stats().orElseThrow().total() == 0);
                assertThat(c.health().status()).isEqualTo(HealthStatus.UP);
            } finally {
                c.deactivate();
            }
        }
    }

    private static void awaitNextFailure(CloudMqttComponent c) throws InterruptedException {
        long before = c.link().lastErrorAt();
        TestBroker.await("a refused connection attempt", 30, () -> c.link().lastErrorAt() > before
                && c.link().lastError().filter(e -> e.startsWith("connecting to ssl://")).isPresent());
    }

    private static void assertRefusedAndKept(CloudMqttComponent c) {
        assertThat(c.isConnected()).isFalse();
        assertThat(c.health().status()).isEqualTo(HealthStatus.DEGRADED);
        String details = String.join("\n", c.health().details());
        assertThat(details).contains("not connected to ssl://127.0.0.1:")
                .contains("last error: connecting to ssl://127.0.0.1:")
                .contains("fatal alert") // the broker's TLS refusal, as the JDK reports it
                .contains("queued: LIFECYCLE 0, EVENT 1, TELEMETRY 0");
        assertThat(c.link().stats().orElseThrow().depth().get(MessagePriority.EVENT)).isEqualTo(1);
    }
}
