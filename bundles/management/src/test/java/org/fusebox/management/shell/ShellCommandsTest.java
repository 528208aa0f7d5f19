package org.fusebox.management.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fusebox.management.DeployChecks;
import org.fusebox.management.crypto.ArtifactSignature;
import org.fusebox.management.tool.SignArtifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** fusebox:keygen and fusebox:sign called as Karaf calls them (fields set, then execute()), checked with DEPLOY-V1's own verification. */
class ShellCommandsTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private KeygenCommand keygen(String keyId, String algorithm, Path dir) {
        KeygenCommand c = new KeygenCommand();
        c.keyId = keyId;
        if (algorithm != null) {
            c.algorithm = algorithm;
        }
        c.dir = dir.toString();
        c.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return c;
    }

    private SignCommand sign(Path key, String url, Path artifact) {
        SignCommand c = new SignCommand();
        c.key = key.toString();
        c.url = url;
        c.artifact = artifact.toString();
        c.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return c;
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** The operator copies the public key into the gateway's trusted-keys directory. */
    private Path trust(Path publicKey) throws Exception {
        Path trusted = Files.createDirectories(tmp.resolve("gateway/trusted-keys"));
        Files.copy(publicKey, trusted.resolve(publicKey.getFileName()));
        return trusted;
    }

    @ParameterizedTest
    @ValueSource(strings = { "ed25519", "ecdsa-p256" })
    void keygenThenSignGivesARequestTheGatewayAccepts(String alg) throws Exception {
        Path keys = tmp.resolve("keys");
        assertThat(keygen("rel-7", alg, keys).execute()).isNull();
        Path pub = keys.resolve("rel-7.pem");
        Path priv = keys.resolve("rel-7.key.pem");
        assertThat(printed()).contains(pub.toString()).contains(priv.toString());
        assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(Files.getPosixFilePermissions(priv)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        Path jar = DeployChecks.bundleJar(tmp, "fusebox-y", "2.0.1");
        printed.reset();

        SignCommand s = sign(priv, "https://updates.example.com/fusebox-y-2.0.1.jar", jar);
        s.keyId = "rel-7";
        s.execute();

        JsonNode req = new ObjectMapper().readTree(printed());
        assertThat(req.path("symbolicName").asText()).isEqualTo("fusebox-y");
        assertThat(req.path("version").asText()).isEqualTo("2.0.1");
        assertThat(req.path("url").asText()).isEqualTo("https://updates.example.com/fusebox-y-2.0.1.jar");
        assertThat(req.path("sha256").asText()).isEqualTo(ArtifactSignature.hex(ArtifactSignature.sha256(jar)));
        assertThat(req.path("keyId").asText()).isEqualTo("rel-7");
        assertThat(req.path("algorithm").asText()).isEqualTo(alg);
        DeployChecks.verify(req, jar, trust(pub));
    }

    @Test
    void signPrintsExactlyWhatTheToolPrints() throws Exception {
        keygen("rel", null, tmp).execute();
        Path jar = DeployChecks.bundleJar(tmp, "fusebox-z", "1.0.0");
        printed.reset();
        sign(tmp.resolve("rel.key.pem"), "file:/srv/fusebox-z.jar", jar).execute();

        ByteArrayOutputStream toolOut = new ByteArrayOutputStream();
        ByteArrayOutputStream toolErr = new ByteArrayOutputStream();
        int rc = SignArtifact.run(new String[] { "sign", "--key", tmp.resolve("rel.key.pem").toString(), "--artifact",
                jar.toString(), "--url", "file:/srv/fusebox-z.jar" }, new PrintStream(toolOut, true), new PrintStream(toolErr, true));
        assertThat(rc).as(toolErr.toString()).isZero();
        // Ed25519 (the default) is deterministic, so the same key and file give the same bytes
        assertThat(printed()).isEqualTo(toolOut.toString(StandardCharsets.UTF_8));
        // key id defaulted from the file name, like the tool
        assertThat(new ObjectMapper().readTree(printed()).path("keyId").asText()).isEqualTo("rel");
    }

    @Test
    void outWritesTheRequestToAFileWhole() throws Exception {
        keygen("rel", "ecdsa-p256", tmp).execute();
        Path jar = DeployChecks.bundleJar(tmp, "fusebox-w", "3.1.0");
        Path target = tmp.resolve("upgrade.json");
        Files.writeString(target, "stale");
        printed.reset();
        SignCommand s = sign(tmp.resolve("rel.key.pem"), "http://repo.local/w.jar", jar);
        s.outFile = target.toString();
        s.execute();

        assertThat(printed()).isEqualTo("request written to " + target + System.lineSeparator());
        JsonNode req = new ObjectMapper().readTree(target.toFile());
        DeployChecks.verify(req, jar, trust(tmp.resolve("rel.pem")));
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void featureRepositoriesAreSignedUnderRepository() throws Exception {
        keygen("rel", null, tmp).execute();
        Path xml = tmp.resolve("features.xml");
        Files.writeString(xml, "<features name=\"fusebox-x\"/>");
        printed.reset();
        SignCommand s = sign(tmp.resolve("rel.key.pem"), "file:/srv/features.xml", xml);
        s.feature = "fusebox-x";
        s.version = "1.4.0";
        s.execute();

        JsonNode req = new ObjectMapper().readTree(printed());
        assertThat(req.path("feature").asText()).isEqualTo("fusebox-x");
        assertThat(req.path("version").asText()).isEqualTo("1.4.0");
        DeployChecks.verify(req, xml, trust(tmp.resolve("rel.pem")));
    }

    @Test
    void keygenNeverOverwritesAKeyAndRefusesUnknownAlgorithms() throws Exception {
        keygen("rel", null, tmp).execute();
        String before = Files.readString(tmp.resolve("rel.key.pem"));
        assertThatThrownBy(() -> keygen("rel", "ecdsa-p256", tmp).execute()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not overwriting a key");
        assertThat(Files.readString(tmp.resolve("rel.key.pem"))).isEqualTo(before);

        assertThatThrownBy(() -> keygen("other", "rsa", tmp.resolve("x")).execute())
                .hasMessageContaining("unknown algorithm 'rsa'");
        assertThatThrownBy(() -> keygen("bad/id", null, tmp.resolve("x")).execute()).hasMessageContaining("key id 'bad/id'");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void signRequestGivesAMessageTheGatewaysVerifierAccepts() throws Exception {
        Path keys = tmp.resolve("keys");
        keygen("ops-1", null, keys).execute();
        Path operators = Files.createDirectories(tmp.resolve("gateway/operator-keys"));
        Files.copy(keys.resolve("ops-1.pem"), operators.resolve("ops-1.pem"));
        Path body = Files.writeString(tmp.resolve("body.json"), "{\"symbolicName\":\"fusebox-x\"}");
        printed.reset();

        SignRequestCommand c = new SignRequestCommand();
        c.key = keys.resolve("ops-1.key.pem").toString();
        c.gateway = "depot-17";
        c.resource = "uninstall";
        c.bodyFile = body.toString();
        c.requestId = "r-42";
        c.safetyOverride = true;
        c.outFile = tmp.resolve("msg.json").toString();
        c.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        c.execute();

        JsonNode msg = new ObjectMapper().readTree(Files.readString(tmp.resolve("msg.json")));
        assertThat(msg.path("requestId").asText()).isEqualTo("r-42");
        org.fusebox.api.security.AuthorisedRequest ok = org.fusebox.management.OperatorRequestVerification
                .standalone(operators, tmp.resolve("staging"), "depot-17", java.time.Clock.systemUTC())
                .verify(new org.fusebox.api.cloud.CloudRequest("r-42", "ops", "DEPLOY-V1", "EXEC", "uninstall",
                        new ObjectMapper().writeValueAsBytes(msg.path("body"))));
        assertThat(ok.keyId()).isEqualTo("ops-1");
        assertThat(ok.safetyOverride()).isTrue();
        assertThat(new String(ok.body(), StandardCharsets.UTF_8)).isEqualTo("{\"symbolicName\":\"fusebox-x\"}");

        // every bad argument at once, and no file
        SignRequestCommand bad = new SignRequestCommand();
        bad.key = keys.resolve("missing.key.pem").toString();
        bad.gateway = "a/b";
        bad.method = "PATCH";
        bad.resource = "x";
        bad.outFile = tmp.resolve("bad.json").toString();
        org.assertj.core.api.Assertions.assertThatThrownBy(bad::execute).hasMessageContaining("gateway 'a/b'")
                .hasMessageContaining("method 'PATCH'").hasMessageContaining("is not a readable file");
        assertThat(tmp.resolve("bad.json")).doesNotExist();
    }

    @Test
    void signNamesEveryBadArgumentAndWritesNothing() throws Exception {
        keygen("rel", null, tmp).execute();
        Path target = tmp.resolve("req.json");
        SignCommand s = sign(tmp.resolve("rel.key.pem"), "ftp://repo/x.jar", tmp.resolve("missing.jar"));
        s.keyId = "no spaces";
        s.version = "1.0.0";
        s.outFile = target.toString();
        assertThatThrownBy(s::execute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key id 'no spaces'")
                .hasMessageContaining("url must be http://, https:// or file:, got 'ftp://repo/x.jar'")
                .hasMessageContaining("--version is only for a feature")
                .hasMessageContaining("missing.jar is not a readable file");
        assertThat(target).doesNotExist();

        Path notABundle = Files.writeString(tmp.resolve("plain.jar"), "x");
        assertThatThrownBy(() -> sign(tmp.resolve("rel.key.pem"), "https://repo/x.jar", notABundle).execute())
                .hasMessageContaining("is not an OSGi bundle");
        assertThatThrownBy(() -> sign(tmp.resolve("rel.pem"), "https://repo/x.jar", notABundle).execute())
                .hasMessageContaining("rel.pem").hasMessageContaining("PRIVATE KEY");
    }

    @Test
    void theCommandsAreKarafActionsFoundThroughTheHeaderNotDs() throws Exception {
        for (Class<?> c : new Class<?>[] { KeygenCommand.class, SignCommand.class, SignRequestCommand.class }) {
            assertThat(c.getAnnotation(Service.class)).as(c.getName()).isNotNull();
            assertThat(c.getAnnotation(Command.class).scope()).isEqualTo("fusebox");
        }
        assertThat(KeygenCommand.class.getAnnotation(Command.class).name()).isEqualTo("keygen");
        assertThat(SignCommand.class.getAnnotation(Command.class).name()).isEqualTo("sign");

        Path classes = Path.of("target/classes").toAbsolutePath();
        Manifest mf;
        try (InputStream in = Files.newInputStream(classes.resolve("META-INF/MANIFEST.MF"))) {
            mf = new Manifest(in);
        }
        assertThat(mf.getMainAttributes().getValue("Karaf-Commands")).isEqualTo("org.fusebox.management.shell");
        String imports = mf.getMainAttributes().getValue("Import-Package").replace("\r\n ", "");
        assertThat(imports).contains("org.apache.karaf.shell.api.action;");
        // every shell package is optional, so the bundle resolves without Karaf's console (BundleSmokeTest)
        for (String clause : imports.split(",(?=[a-z])")) {
            if (clause.startsWith("org.apache.karaf.shell")) {
                assertThat(clause).as(clause).contains("resolution:=optional");
            }
        }
        try (Stream<Path> ds = Files.list(classes.resolve("OSGI-INF"))) {
            assertThat(ds.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("shell"));
        }
    }
}
