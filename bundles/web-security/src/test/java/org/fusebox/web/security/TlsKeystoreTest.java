package org.fusebox.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the JDK's real keytool. */
class TlsKeystoreTest {

    @TempDir
    Path etc;

    private TlsKeystore keystore() {
        return new TlsKeystore(etc, etc.resolve("secrets"), Path.of(System.getProperty("java.home")));
    }

    private void paxWeb(String secureEnabled, String keystore) throws Exception {
        Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), String.join("\n",
                "org.osgi.service.http.secure.enabled = " + secureEnabled,
                "org.ops4j.pax.web.ssl.keystore = " + keystore,
                "org.ops4j.pax.web.ssl.keystore.password = $[secret:fusebox-tls.password]",
                ""));
    }

    @Test
    void theFirstStartMakesAnOwnerOnlyKeystoreAndLaterStartsKeepIt() throws Exception {
        paxWeb("true", "${karaf.etc}/fusebox/tls/gateway.p12");

        TlsKeystore.Outcome first = keystore().ensure().orElseThrow();
        assertThat(first.generated()).isTrue();
        Path p12 = etc.resolve("fusebox/tls/gateway.p12");
        Path password = etc.resolve("secrets/fusebox-tls.password");
        assertThat(Files.getPosixFilePermissions(p12)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(p12.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(password)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, Files.readString(password).trim().toCharArray());
        }
        X509Certificate cert = (X509Certificate) ks.getCertificate(TlsKeystore.ALIAS);
        assertThat(ks.isKeyEntry(TlsKeystore.ALIAS)).isTrue();
        List<Object> sans = cert.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)).toList();
        assertThat(sans).contains("127.0.0.1", "localhost");
        assertThat(cert.getNotAfter().getTime() - cert.getNotBefore().getTime()).isGreaterThan(9L * 365 * 24 * 3600 * 1000);

        byte[] before = Files.readAllBytes(p12);
        TlsKeystore.Outcome second = keystore().ensure().orElseThrow();
        assertThat(second.generated()).isFalse();
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(Files.readAllBytes(p12)).isEqualTo(before);
    }

    @Test
    void anOemKeystoreOrHttpsOffIsLeftAlone() throws Exception {
        paxWeb("true", etc.resolve("oem/server.p12").toString());
        assertThat(keystore().ensure()).isEmpty();
        assertThat(etc.resolve("oem")).doesNotExist();

        paxWeb("false", "${karaf.etc}/fusebox/tls/gateway.p12");
        assertThat(keystore().ensure()).isEmpty();
        assertThat(etc.resolve("fusebox")).doesNotExist();
    }
}
