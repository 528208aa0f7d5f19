package org.fusebox.management.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HexFormat;

/**
 * The signature of an artifact: the signer signs the 32 raw bytes of the artifact's SHA-256 digest (not its
 * hex text) with Ed25519, or with ECDSA P-256 as {@code SHA256withECDSA} (so ECDSA hashes those 32 bytes once
 * more). Signing the digest keeps Ed25519, which is one-shot, independent of the artifact size.
 */
public final class ArtifactSignature {

    private ArtifactSignature() {
    }

    public static byte[] sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }

    public static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    public static byte[] sign(byte[] digest, PrivateKey key) throws GeneralSecurityException {
        checkDigest(digest);
        Signature s = Signature.getInstance(jcaName(key.getAlgorithm()));
        s.initSign(key);
        s.update(digest);
        return s.sign();
    }

    /** @return whether {@code signature} is a valid signature of {@code digest} by {@code key}; malformed ones are false */
    public static boolean verify(byte[] digest, byte[] signature, PublicKey key) {
        checkDigest(digest);
        try {
            Signature s = Signature.getInstance(SignatureAlgorithm.of(key).jcaSignature());
            s.initVerify(key);
            s.update(digest);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String jcaName(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "Ed25519", "EdDSA" -> SignatureAlgorithm.ED25519.jcaSignature();
            case "EC" -> SignatureAlgorithm.ECDSA_P256.jcaSignature();
            default -> throw new IllegalArgumentException(keyAlgorithm + " key, only Ed25519 and ECDSA P-256 are accepted");
        };
    }

    private static void checkDigest(byte[] digest) {
        if (digest.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, got " + digest.length);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
