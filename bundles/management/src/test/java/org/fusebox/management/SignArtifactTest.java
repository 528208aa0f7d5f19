package org.fusebox.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.fusebox.management.crypto.ArtifactSignature;
import org.fusebox.management.crypto.TrustedKeys;
import org.fusebox.management.testbundle.GoodActivator;
import org.fusebox.management.tool.SignArtifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The signing tool as a release engineer runs it: keygen, then sign, and the gateway's checks accept the result. */
class SignArtifactTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SignArtifact.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    @ParameterizedTest
    @ValueSource(strings = { "ed25519", "ecdsa-p256" })
    void keygenThenSignGivesARequestTheGatewayAccepts(String alg) throws Exception {
        assertThat(run("keygen", "--key-id", "rel-1", "--algorithm", alg, "--dir", tmp.resolve("k").toString()))
                .as(err.toString()).isZero();
        Path pub = tmp.resolve("k/rel-1.pem");
        Path priv = tmp.resolve("k/rel-1.key.pem");
        assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(Files.getPosixFilePermissions(priv)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        Path jar = TestBundles.withActivator("fusebox-x", "1.2.3", GoodActivator.class).header("Bundle-SymbolicName",
                "fusebox-x;singleton:=true").write(tmp);

        assertThat(run("sign", "--key", priv.toString(), "--artifact", jar.toString(), "--url", "https://repo/x.jar",
                "--out", tmp.resolve("req.json").toString())).as(err.toString()).isZero();

        JsonNode req = new ObjectMapper().readTree(tmp.resolve("req.json").toFile());
        assertThat(req.path("symbolicName").asText()).isEqualTo("fusebox-x");
        assertThat(req.path("version").asText()).isEqualTo("1.2.3");
        assertThat(req.path("url").asText()).isEqualTo("https://repo/x.jar");
        assertThat(req.path("keyId").asText()).isEqualTo("rel-1");
        assertThat(req.path("algorithm").asText()).isEqualTo(alg);
        assertThat(req.path("sha256").asText()).isEqualTo(ArtifactSignature.hex(ArtifactSignature.sha256(jar)));
        List<String> errors = new ArrayList<>();
        SignedArtifact a = SignedArtifact.from(req.path("url").asText(), req.path("sha256").asText(),
                req.path("signature").asText(), req.path("keyId").asText(), errors);
        assertThat(errors).isEmpty();
        TrustedKeys keys = TrustedKeys.load(tmp.resolve("k"));
        ArtifactVerifier.verifyHashAndSignature(jar, a, ArtifactVerifier.trustedKey(keys, "rel-1"), (s, p, m) -> { });
        assertThat(Base64.getDecoder().decode(req.path("signature").asText())).isNotEmpty();
    }

    @Test
    void featureRepositoriesAreSignedUnderRepository() throws Exception {
        run("keygen", "--key-id", "rel", "--dir", tmp.toString());
        Path xml = tmp.resolve("features.xml");
        Files.writeString(xml, "<features name=\"x\"/>");
        out.reset();
        assertThat(run("sign", "--key", tmp.resolve("rel.key.pem").toString(), "--artifact", xml.toString(), "--url",
                "file:/tmp/features.xml", "--feature", "fusebox-x", "--version", "1.0.0")).isZero();
        JsonNode req = new ObjectMapper().readTree(out.toString());
        assertThat(req.path("feature").asText()).isEqualTo("fusebox-x");
        assertThat(req.path("repository").path("sha256").asText()).hasSize(64);
        assertThat(req.path("repository").path("keyId").asText()).isEqualTo("rel");
    }

    @Test
    void mistakesAreExplainedAndKeysNeverOverwritten() throws Exception {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("usage:");
        assertThat(run("keygen", "--key-id", "a", "--dir", tmp.toString())).isZero();
        assertThat(run("keygen", "--key-id", "a", "--dir", tmp.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("not overwriting a key");
        assertThat(run("keygen", "--key-id", "a", "--algorithm", "rsa")).isEqualTo(1);
        assertThat(err.toString()).contains("unknown algorithm 'rsa'");
        Path notBundle = tmp.resolve("plain.bin");
        Files.writeString(notBundle, "x");
        assertThat(run("sign", "--key", tmp.resolve("a.key.pem").toString(), "--artifact", notBundle.toString(), "--url",
                "https://x")).isEqualTo(1);
        assertThat(err.toString()).containsAnyOf("not an OSGi bundle", "error:");
    }
}
