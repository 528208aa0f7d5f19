package org.fusebox.management.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** PEM text for keys: X.509 SubjectPublicKeyInfo ({@code PUBLIC KEY}) and PKCS#8 ({@code PRIVATE KEY}), as openssl writes them. */
public final class Pem {

    private static final String PUBLIC = "PUBLIC KEY";
    private static final String PRIVATE = "PRIVATE KEY";

    private Pem() {
    }

    public static String publicKey(PublicKey key) {
        return encode(PUBLIC, key.getEncoded());
    }

    public static String privateKey(PrivateKey key) {
        return encode(PRIVATE, key.getEncoded());
    }

    /** @throws GeneralSecurityException naming what is wrong with the text */
    public static PublicKey readPublicKey(String pem) throws GeneralSecurityException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(decode(PUBLIC, pem));
        for (String alg : new String[] { "Ed25519", "EC" }) {
            try {
                PublicKey key = KeyFactory.getInstance(alg).generatePublic(spec);
                SignatureAlgorithm.of(key);
                return key;
            } catch (InvalidKeySpecException e) {
                // not this algorithm; try the next
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException(e.getMessage());
            }
        }
        throw new GeneralSecurityException("not an Ed25519 or EC public key (X.509 SubjectPublicKeyInfo)");
    }

    public static PrivateKey readPrivateKey(String pem) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(decode(PRIVATE, pem));
        for (String alg : new String[] { "Ed25519", "EC" }) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // not this algorithm; try the next
            }
        }
        throw new GeneralSecurityException("not an Ed25519 or EC private key (PKCS#8)");
    }

    private static String encode(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static byte[] decode(String label, String pem) throws GeneralSecurityException {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf(end);
        if (b < 0 || e < b) {
            throw new GeneralSecurityException("no '" + begin + "' ... '" + end + "' block");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
        } catch (IllegalArgumentException ex) {
            throw new GeneralSecurityException("bad base64 in the PEM block: " + ex.getMessage());
        }
    }
}
