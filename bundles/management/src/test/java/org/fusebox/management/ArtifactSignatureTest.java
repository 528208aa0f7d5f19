package org.fusebox.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.fusebox.api.cloud.RequestProgress;
import org.fusebox.management.crypto.ArtifactSignature;
import org.fusebox.management.crypto.Pem;
import org.fusebox.management.crypto.SignatureAlgorithm;
import org.fusebox.management.crypto.TrustedKeys;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Hash and signature checks on their own, for both schemes. */
class ArtifactSignatureTest {

    private static final RequestProgress QUIET = (s, p, m) -> { };

    @TempDir
    Path tmp;

    private SignedArtifact artifact(Path file, byte[] signature, String keyId) throws Exception {
        return new SignedArtifact(file.toUri(), ArtifactSignature.hex(ArtifactSignature.sha256(file)), signature, keyId);
    }

    private Path file(byte[] content) throws Exception {
        Path f = tmp.resolve("artifact-" + System.nanoTime() + ".jar");
        Files.write(f, content);
        return f;
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void aGoodSignatureVerifiesAndEveryAlterationIsRefused(SignatureAlgorithm alg) throws Exception {
        KeyPair kp = alg.generateKeyPair();
        KeyPair other = alg.generateKeyPair();
        Path f = file("release bytes".repeat(1000).getBytes());
        byte[] sig = ArtifactSignature.sign(ArtifactSignature.sha256(f), kp.getPrivate());

        ArtifactVerifier.verifyHashAndSignature(f, artifact(f, sig, "k"), kp.getPublic(), QUIET);

        // wrong key
        assertThatThrownBy(() -> ArtifactVerifier.verifyHashAndSignature(f, artifact(f, sig, "k"), other.getPublic(), QUIET))
                .isInstanceOf(OperationException.class).hasMessageContaining("signature does not verify with trusted key 'k'")
                .hasMessageContaining(alg.id());
        // signature altered
        byte[] bent = sig.clone();
        bent[bent.length - 1] ^= 0x01;
        assertThatThrownBy(() -> ArtifactVerifier.verifyHashAndSignature(f, artifact(f, bent, "k"), kp.getPublic(), QUIET))
                .isInstanceOf(OperationException.class).hasMessageContaining("signature does not verify");
        // garbage instead of a signature
        assertThatThrownBy(() -> ArtifactVerifier.verifyHashAndSignature(f, artifact(f, new byte[] { 1, 2, 3 }, "k"),
                kp.getPublic(), QUIET)).isInstanceOf(OperationException.class);
        // one byte of the artifact flipped: the request's hash no longer matches
        SignedArtifact claimed = artifact(f, sig, "k");
        byte[] bytes = Files.readAllBytes(f);
        bytes[7] ^= 0x01;
        Files.write(f, bytes);
        assertThatThrownBy(() -> ArtifactVerifier.verifyHashAndSignature(f, claimed, kp.getPublic(), QUIET))
                .isInstanceOf(OperationException.class).hasMessageContaining("SHA-256 mismatch");
        // flipped and re-hashed: the signature gives it away
        assertThatThrownBy(() -> ArtifactVerifier.verifyHashAndSignature(f, artifact(f, sig, "k"), kp.getPublic(), QUIET))
                .isInstanceOf(OperationException.class).hasMessageContaining("signature does not verify");
    }

    @Test
    void theSignatureIsOverTheRawDigestSoOpensslCanCheckIt() throws Exception {
        // Ed25519 over the 32 digest bytes; ECDSA as SHA256withECDSA over the same 32 bytes
        KeyPair ed = SignatureAlgorithm.ED25519.generateKeyPair();
        byte[] digest = ArtifactSignature.sha256("x".getBytes());
        java.security.Signature s = java.security.Signature.getInstance("Ed25519");
        s.initSign(ed.getPrivate());
        s.update(digest);
        assertThat(ArtifactSignature.verify(digest, s.sign(), ed.getPublic())).isTrue();

        KeyPair ec = SignatureAlgorithm.ECDSA_P256.generateKeyPair();
        java.security.Signature e = java.security.Signature.getInstance("SHA256withECDSA");
        e.initSign(ec.getPrivate());
        e.update(digest);
        assertThat(ArtifactSignature.verify(digest, e.sign(), ec.getPublic())).isTrue();
        // the hex text of the digest is not what is signed
        assertThatThrownBy(() -> ArtifactSignature.verify(ArtifactSignature.hex(digest).getBytes(), new byte[64], ed.getPublic()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownKeyIdIsRefusedNamingTheTrustedOnes() throws Exception {
        Path dir = tmp.resolve("trusted");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("release.pem"), Pem.publicKey(SignatureAlgorithm.ED25519.generateKeyPair().getPublic()));
        TrustedKeys keys = TrustedKeys.load(dir);

        assertThatThrownBy(() -> ArtifactVerifier.trustedKey(keys, "someone"))
                .isInstanceOf(OperationException.class).hasMessageContaining("key id 'someone' is not trusted (trusted: release");
    }

    @Test
    void unsignedAndMalformedRequestsAreRefusedWithEveryReason() {
        List<String> errors = new java.util.ArrayList<>();
        SignedArtifact a = SignedArtifact.from("ftp://x/y.jar", "abc", null, "bad key!", errors);
        assertThat(a).isNull();
        assertThat(errors).anyMatch(e -> e.contains("http://, https:// or file:"))
                .anyMatch(e -> e.contains("sha256 must be 64 hex digits"))
                .anyMatch(e -> e.contains("unsigned artifacts are never installed"))
                .anyMatch(e -> e.contains("keyId 'bad key!'"));
        errors.clear();
        assertThat(SignedArtifact.from("https://x/y.jar", "a".repeat(64), "%%%", "k", errors)).isNull();
        assertThat(errors).singleElement().asString().contains("signature is not base64");
        errors.clear();
        assertThat(SignedArtifact.from("https://x/y.jar", "A".repeat(64), Base64.getEncoder().encodeToString(new byte[] { 1 }), "k",
                errors)).isNotNull();
        assertThat(errors).isEmpty();
    }

    @Test
    void trustedKeysSkipWhatTheyCannotUseAndSayWhy() throws Exception {
        Path dir = tmp.resolve("trusted");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("ed.pem"), Pem.publicKey(SignatureAlgorithm.ED25519.generateKeyPair().getPublic()));
        Files.writeString(dir.resolve("ec.pem"), Pem.publicKey(SignatureAlgorithm.ECDSA_P256.generateKeyPair().getPublic()));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Files.writeString(dir.resolve("rsa.pem"), Pem.publicKey(rsa.generateKeyPair().getPublic()));
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        Files.writeString(dir.resolve("p384.pem"), Pem.publicKey(p384.generateKeyPair().getPublic()));
        Files.writeString(dir.resolve("junk.pem"), "hello");
        Files.writeString(dir.resolve("readme.txt"), "not a key");

        TrustedKeys keys = TrustedKeys.load(dir);

        assertThat(keys.keyIds()).containsExactly("ec", "ed");
        assertThat(keys.problems()).hasSize(3).anyMatch(p -> p.startsWith("rsa.pem") && p.contains("not an Ed25519 or EC public key"))
                .anyMatch(p -> p.startsWith("p384.pem") && p.contains("P-256"))
                .anyMatch(p -> p.startsWith("junk.pem") && p.contains("BEGIN PUBLIC KEY"));
        assertThat(TrustedKeys.load(tmp.resolve("missing")).problems()).singleElement().asString().contains("does not exist");
    }
}
