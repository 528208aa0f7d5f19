package org.fusebox.web.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's own HTTPS certificate: when etc/org.ops4j.pax.web.cfg turns HTTPS on with the keystore
 * {@value #DEFAULT_KEYSTORE} (the distribution's default) and that file does not exist, a self-signed certificate
 * (EC P-256, ten years, the host name, {@code localhost} and 127.0.0.1 as subject alternative names) is made
 * with the JDK's keytool, the keystore password is a random one in the owner-only secret file the configuration
 * references ({@code $[secret:NAME]}), and the certificate's SHA-256 fingerprint is logged so a user can check what
 * the browser shows. An existing keystore is never touched; one the OEM provides (any other path) is left alone.
 */
final class TlsKeystore {

    static final String DEFAULT_KEYSTORE = "fusebox/tls/gateway.p12";
    static final String ALIAS = "fusebox";
    private static final Pattern SECRET = Pattern.compile("\\$\\[secret:([A-Za-z0-9._-]+)\\]");

    /** What was done, for the log. */
    record Outcome(boolean generated, Path keystore, String fingerprint, String message) {
    }

    private final Path etc;
    private final Path secretsDir;
    private final Path javaHome;

    TlsKeystore(Path etc, Path secretsDir, Path javaHome) {
        this.etc = etc;
        this.secretsDir = secretsDir;
        this.javaHome = javaHome;
    }

    /** Empty when there is nothing to do (HTTPS off, or a keystore of the OEM's). */
    Optional<Outcome> ensure() throws IOException, GeneralSecurityException, InterruptedException {
        Path paxWeb = etc.resolve("org.ops4j.pax.web.cfg");
        if (!Files.exists(paxWeb)) {
            return Optional.empty();
        }
        Properties cfg = new Properties();
        try (Reader r = Files.newBufferedReader(paxWeb, StandardCharsets.ISO_8859_1)) {
            cfg.load(r);
        }
        if (!Boolean.parseBoolean(cfg.getProperty("org.osgi.service.http.secure.enabled", "false").trim())) {
            return Optional.empty();
        }
        String keystoreSetting = cfg.getProperty("org.ops4j.pax.web.ssl.keystore", "").trim().replace("${karaf.etc}", etc.toString());
        Path keystore = Path.of(keystoreSetting);
        if (!keystore.normalize().equals(etc.resolve(DEFAULT_KEYSTORE).normalize())) {
            return Optional.empty();
        }
        Path passwordFile = secretFile(cfg.getProperty("org.ops4j.pax.web.ssl.keystore.password", ""))
                .orElseThrow(() -> new IllegalStateException("org.ops4j.pax.web.ssl.keystore.password must reference a secret file, "
                        + "$[secret:NAME] in " + secretsDir + ", for the generated keystore"));
        if (Files.exists(keystore)) {
            String password = Files.readString(passwordFile, StandardCharsets.UTF_8).trim();
            return Optional.of(new Outcome(false, keystore, fingerprint(keystore, password), "kept"));
        }
        String password = passwordFor(passwordFile);
        generate(keystore, password);
        return Optional.of(new Outcome(true, keystore, fingerprint(keystore, password), "generated"));
    }

    private Optional<Path> secretFile(String setting) {
        Matcher m = SECRET.matcher(setting.trim());
        return m.matches() ? Optional.of(secretsDir.resolve(m.group(1))) : Optional.empty();
    }

    /** The password in the secret file, or a new random one written there owner-only. */
    private static String passwordFor(Path file) throws IOException {
        if (Files.exists(file)) {
            String existing = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (existing.length() >= 6) {
                return existing;
            }
        }
        Files.createDirectories(file.getParent());
        ApiTokens.ownerOnly(file.getParent());
        String password = Secrets.random(24);
        Files.deleteIfExists(file);
        ApiTokens.ownerOnly(Files.createFile(file));
        Files.writeString(file, password, StandardCharsets.UTF_8);
        return password;
    }

    private void generate(Path keystore, String password) throws IOException, InterruptedException {
        Path keytool = javaHome.resolve("bin").resolve(isWindows() ? "keytool.exe" : "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IllegalStateException("no keytool at " + keytool + " to make the HTTPS certificate; provide a keystore (bundles/web-security/README.md)");
        }
        Files.createDirectories(keystore.getParent());
        ApiTokens.ownerOnly(keystore.getParent());
        String host = hostName();
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "3650",
                "-dname", "CN=" + host + ", O=Fusebox gateway",
                "-ext", "SAN=dns:" + host + ",dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass:env", "FUSEBOX_TLS_PASSWORD"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // the password goes through the environment, never the command line others can list
        pb.environment().put("FUSEBOX_TLS_PASSWORD", password);
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("keytool did not finish within 60 s");
        }
        if (p.exitValue() != 0 || !Files.exists(keystore)) {
            throw new IllegalStateException("keytool failed (" + p.exitValue() + "): " + out.trim());
        }
        ApiTokens.ownerOnly(keystore);
    }

    /** A name the certificate is valid for; letters, digits, dots and dashes only (it goes into a DN and a SAN). */
    private static String hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            if (h != null && h.matches("[A-Za-z0-9.-]{1,253}")) {
                return h;
            }
        } catch (IOException e) {
            // no resolvable host name: localhost it is
        }
        return "localhost";
    }

    static String fingerprint(Path keystore, String password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password.toCharArray());
        }
        Certificate cert = ks.getCertificate(ALIAS);
        if (!(cert instanceof X509Certificate x509)) {
            throw new IllegalStateException(keystore + " has no certificate under the alias " + ALIAS);
        }
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(x509.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win");
    }
}
