package org.fusebox.itests;

import com.sun.net.httpserver.HttpServer;
import io.moquette.broker.Server;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The operator's side of an over-the-air test, run in the test JVM (never in the container): a real MQTT
 * broker (Moquette), an HTTP server for artifacts, a release key, and signed upgrade requests for the
 * Modbus driver bundle the distribution ships: a good 0.1.1, a tampered copy, and a 0.1.2 whose DS
 * component cannot be activated. The container finds them through the files written to {@link #dir}.
 */
final class OtaFixtures {

    static final String BUNDLE = "fusebox-driver-modbus";
    static final String KEY_ID = "it-release";

    private static OtaFixtures instance;

    final Path dir;
    final int brokerPort;
    final int httpPort;
    final Path publicKeyPem;
    /** The operator's public key, for etc/fusebox/operator-keys. */
    final Path operatorKeyPem;
    private final Server broker = new Server();

    private OtaFixtures(Path dir, int brokerPort, int httpPort) throws Exception {
        this.dir = dir;
        this.brokerPort = brokerPort;
        this.httpPort = httpPort;
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(brokerPort));
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        broker.startServer(p);

        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 0);
        http.createContext("/", exchange -> {
            Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        http.setExecutor(null);
        http.start();

        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        publicKeyPem = dir.resolve(KEY_ID + ".pem");
        Files.writeString(publicKeyPem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");

        byte[] shipped = Files.readAllBytes(shippedJar());
        byte[] good = rewrite(shipped, "0.1.1", false);
        byte[] failing = rewrite(shipped, "0.1.2", true);
        byte[] tampered = good.clone();
        tampered[tampered.length / 2] ^= 0x01;
        Files.write(dir.resolve("good.jar"), good);
        Files.write(dir.resolve("tampered.jar"), tampered);
        Files.write(dir.resolve("failing.jar"), failing);
        // the tampered request carries the good artifact's hash and signature, as an attacker replaying them would
        // (it runs first, before the good artifact is ever downloaded and staged)
        Files.writeString(dir.resolve("good.json"), request("good.jar", "0.1.1", good, keys));
        Files.writeString(dir.resolve("tampered.json"), request("tampered.jar", "0.1.1", good, keys));
        Files.writeString(dir.resolve("failing.json"), request("failing.jar", "0.1.2", failing, keys));
        // the operator who may change the gateway: another key than the release key above
        OperatorSigning.generate(dir);
        operatorKeyPem = dir.resolve(OperatorSigning.KEY_ID + ".pem");
    }

    static synchronized OtaFixtures start() {
        if (instance == null) {
            try {
                int[] ports = FuseboxKarafTestSupport.freePorts(2);
                instance = new OtaFixtures(Files.createTempDirectory("fusebox-ota"), ports[0], ports[1]);
            } catch (Exception e) {
                throw new IllegalStateException("could not set up the operator side", e);
            }
        }
        return instance;
    }

    private String request(String file, String version, byte[] signedBytes, KeyPair keys) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(signedBytes);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(keys.getPrivate());
        s.update(digest);
        return "{\"symbolicName\":\"" + BUNDLE + "\",\"version\":\"" + version + "\",\"url\":\"http://127.0.0.1:" + httpPort + "/"
                + file + "\",\"sha256\":\"" + HexFormat.of().formatHex(digest) + "\",\"signature\":\""
                + Base64.getEncoder().encodeToString(s.sign()) + "\",\"keyId\":\"" + KEY_ID + "\",\"algorithm\":\"ed25519\"}";
    }

    /** The Modbus driver jar the distribution ships. */
    private static Path shippedJar() {
        String rel = "org/fusebox/" + BUNDLE + "/0.1.0-SNAPSHOT/" + BUNDLE + "-0.1.0-SNAPSHOT.jar";
        File inAssembly = new File("../assembly/target/assembly/system/" + rel);
        File inRepo = new File(FuseboxKarafTestSupport.localRepository(), rel);
        File jar = inAssembly.isFile() ? inAssembly : inRepo;
        if (!jar.isFile()) {
            throw new IllegalStateException("the shipped " + BUNDLE + " jar is not at " + inAssembly.getAbsolutePath()
                    + " nor " + inRepo.getAbsolutePath());
        }
        return jar.toPath();
    }

    /**
     * A copy of the jar with another Bundle-Version; with {@code breakComponent}, every DS component points at
     * a class that does not exist, so SCR fails to activate it (a bad release that still installs and starts).
     */
    private static byte[] rewrite(byte[] jar, String version, boolean breakComponent) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(new java.io.ByteArrayInputStream(jar))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
            try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    byte[] content = in.readAllBytes();
                    if (breakComponent && e.getName().startsWith("OSGI-INF/") && e.getName().endsWith(".xml")) {
                        content = new String(content, StandardCharsets.UTF_8)
                                .replaceAll("(<implementation class=\"[^\"]+)\"", "$1Missing\"").getBytes(StandardCharsets.UTF_8);
                    }
                    out.putNextEntry(new JarEntry(e.getName()));
                    out.write(content);
                    out.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }

    static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
