package org.fusebox.management.crypto;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Locale;

/** The two signature schemes accepted for artifacts, both from the JDK's own providers. */
public enum SignatureAlgorithm {

    /** Pure Ed25519 (RFC 8032) over the 32-byte SHA-256 digest of the artifact. */
    ED25519("ed25519", "Ed25519", "Ed25519"),
    /** ECDSA on NIST P-256 (secp256r1), JCA {@code SHA256withECDSA}, ASN.1 DER signature, over the same 32 bytes. */
    ECDSA_P256("ecdsa-p256", "EC", "SHA256withECDSA");

    private final String id;
    private final String keyAlgorithm;
    private final String jcaSignature;

    SignatureAlgorithm(String id, String keyAlgorithm, String jcaSignature) {
        this.id = id;
        this.keyAlgorithm = keyAlgorithm;
        this.jcaSignature = jcaSignature;
    }

    /** The name used in requests and on the command line: {@code ed25519} or {@code ecdsa-p256}. */
    public String id() {
        return id;
    }

    String keyAlgorithm() {
        return keyAlgorithm;
    }

    String jcaSignature() {
        return jcaSignature;
    }

    public static SignatureAlgorithm parse(String s) {
        String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (SignatureAlgorithm a : values()) {
            if (a.id.equals(k)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown algorithm '" + s + "', expected ed25519 or ecdsa-p256");
    }

    public KeyPair generateKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance(keyAlgorithm);
        if (this == ECDSA_P256) {
            g.initialize(new ECGenParameterSpec("secp256r1"));
        }
        return g.generateKeyPair();
    }

    /** @throws IllegalArgumentException for a key of neither scheme, e.g. RSA or an EC key on another curve */
    public static SignatureAlgorithm of(PublicKey key) {
        if (key instanceof EdECPublicKey ed) {
            if ("Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
                return ED25519;
            }
            throw new IllegalArgumentException("EdDSA key on " + ed.getParams().getName() + ", only Ed25519 is accepted");
        }
        if (key instanceof ECPublicKey ec) {
            if (isP256(ec.getParams())) {
                return ECDSA_P256;
            }
            throw new IllegalArgumentException("EC key not on P-256 (secp256r1)");
        }
        throw new IllegalArgumentException(key.getAlgorithm() + " key, only Ed25519 and ECDSA P-256 are accepted");
    }

    private static boolean isP256(ECParameterSpec p) {
        try {
            AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
            ap.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec ref = ap.getParameterSpec(ECParameterSpec.class);
            return ref.getCurve().equals(p.getCurve()) && ref.getOrder().equals(p.getOrder())
                    && ref.getGenerator().equals(p.getGenerator()) && ref.getCofactor() == p.getCofactor();
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
