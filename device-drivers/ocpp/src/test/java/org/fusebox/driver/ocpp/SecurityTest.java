package org.fusebox.driver.ocpp;

import static org.assertj.core.api.Assertions.assertThat;

import eu.chargetime.ocpp.model.core.BootNotificationConfirmation;
import eu.chargetime.ocpp.model.core.BootNotificationRequest;
import eu.chargetime.ocpp.model.core.RegistrationStatus;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handshake checks, HTTP Basic auth (security profile 1) and TLS (profile 2), over loopback. */
class SecurityTest {

    private final Devices devices = new Devices();
    private CentralSystemEngine engine;
    private OcaChargePoint client;

    @TempDir
    Path dir;

    private void start(Map<String, Object> config) throws Exception {
        engine = new CentralSystemEngine(Configs.settings(config), devices, () -> null, v -> null, Clock.systemUTC());
        engine.start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (engine != null) {
            engine.stop(0);
        }
    }

    private static Map<String, String> basic(String user, String password) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void wrongPathsAndSubprotocolsAreRefusedWithAnHttpStatus() throws Exception {
        start(Map.of("chargePoints", new String[] {"CP1"}));
        String base = "ws://127.0.0.1:" + engine.port();
        assertThat(RawClient.open(base + "/elsewhere/CP1", "ocpp1.6", null).awaitClosed()).contains("404");
        assertThat(RawClient.open(base + "/ocpp/CP1", "ocpp2.0.1", null).awaitClosed()).contains("400");
        RawClient ok = RawClient.open(base + "/ocpp/CP1", "ocpp1.6", null);
        assertThat(ok.isOpen()).isTrue();
        assertThat(ok.getProtocol().getProvidedProtocol()).isEqualTo("ocpp1.6");
        ok.close();
    }

    @Test
    void basicAuthLetsTheRightPasswordInAndRefusesWrongOrMissingOnes() throws Exception {
        start(Map.of("chargePoints", new String[] {"CP1"}, "passwords", new String[] {"CP1=s3cret-pass"}, "securityProfile", 1));
        String url = "ws://127.0.0.1:" + engine.port() + "/ocpp/CP1";
        assertThat(RawClient.open(url, "ocpp1.6", null).awaitClosed()).contains("401");
        assertThat(RawClient.open(url, "ocpp1.6", basic("CP1", "wrong")).awaitClosed()).contains("401");
        assertThat(RawClient.open(url, "ocpp1.6", basic("OTHER", "s3cret-pass")).awaitClosed()).contains("401");
        assertThat(devices.registered).isEmpty();

        client = new OcaChargePoint("CP1", "s3cret-pass", null).connect("ws://127.0.0.1:" + engine.port() + "/ocpp");
        Wait.until("connected", () -> client.opened);
        BootNotificationConfirmation b = client.send(new BootNotificationRequest("V", "M"));
        assertThat(b.getStatus()).isEqualTo(RegistrationStatus.Accepted);
        assertThat(devices.awaitCharger("CP1").status().isOnline()).isTrue();
    }

    @Test
    void securityProfile2ServesWssWithTheConfiguredKeyStore() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "ocpp", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

        Map<String, Object> cfg = new HashMap<>();
        cfg.put("chargePoints", new String[] {"CP1"});
        cfg.put("passwords", new String[] {"CP1=tls-secret"});
        cfg.put("securityProfile", 2);
        cfg.put("tlsEnabled", true);
        cfg.put("tlsKeystorePath", keystore.toString());
        cfg.put("tlsKeystorePassword", "changeit");
        start(cfg);

        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);

        String wss = "wss://127.0.0.1:" + engine.port() + "/ocpp";
        assertThat(RawClient.open(wss + "/CP1", "ocpp1.6", basic("CP1", "nope"), tls).awaitClosed()).contains("401");

        client = new OcaChargePoint("CP1", "tls-secret", tls).connect(wss);
        Wait.until("connected over TLS", () -> client.opened);
        BootNotificationConfirmation b = client.send(new BootNotificationRequest("V", "M"));
        assertThat(b.getStatus()).isEqualTo(RegistrationStatus.Accepted);
        assertThat(devices.awaitCharger("CP1").status().isOnline()).isTrue();
    }
}
