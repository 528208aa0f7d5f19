package org.fusebox.management.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;

/**
 * The signed form of an operator request, shared by the signer (the tool and the console, no JSON library) and the
 * gateway's verifier. The operator signs the 32-byte SHA-256 digest of {@link #DOMAIN} followed by the UTF-8 bytes of
 * the signed text, with the same schemes as artifacts. The domain prefix keeps a request signature from ever being
 * taken for an artifact signature by the same key, and the other way round.
 */
public final class OperatorRequests {

    /** Prefixed to the signed text before hashing: {@code fusebox-operator-request-v1} and a line feed. */
    public static final String DOMAIN = "fusebox-operator-request-v1\n";

    private OperatorRequests() {
    }

    /** The digest that is signed for {@code signedText}. */
    public static byte[] digest(String signedText) {
        byte[] prefix = DOMAIN.getBytes(StandardCharsets.UTF_8);
        byte[] text = signedText.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[prefix.length + text.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(text, 0, all, prefix.length, text.length);
        return ArtifactSignature.sha256(all);
    }

    public static String sign(String signedText, PrivateKey key) throws GeneralSecurityException {
        return Base64.getEncoder().encodeToString(ArtifactSignature.sign(digest(signedText), key));
    }

    public static boolean verify(String signedText, byte[] signature, PublicKey key) {
        return ArtifactSignature.verify(digest(signedText), signature, key);
    }

    /**
     * The signed text, one JSON object in a fixed key order; {@code bodyJson} is embedded as it is (it must be JSON
     * itself: an object, or empty for none).
     */
    public static String signedText(String app, String method, String resource, String gateway, String requestId,
            Instant issuedAt, Instant expiresAt, boolean safetyOverride, String bodyJson) {
        String body = bodyJson == null || bodyJson.isBlank() ? "{}" : bodyJson.strip();
        return "{\"app\":" + Json.quote(app) + ",\"method\":" + Json.quote(method) + ",\"resource\":" + Json.quote(resource)
                + ",\"gateway\":" + Json.quote(gateway) + ",\"requestId\":" + Json.quote(requestId)
                + ",\"issuedAt\":" + Json.quote(issuedAt.toString()) + ",\"expiresAt\":" + Json.quote(expiresAt.toString())
                + ",\"safetyOverride\":" + safetyOverride + ",\"body\":" + body + "}";
    }

    /** The request body that carries {@code signedText}: what the gateway receives as the request's body. */
    public static String envelopeBody(String signedText, String keyId, String signature) {
        return "{\"signedRequest\":" + Json.quote(signedText) + ",\"keyId\":" + Json.quote(keyId) + ",\"signature\":"
                + Json.quote(signature) + "}";
    }

    /** The whole message to publish on {@code <namespace>/<app>/<method>/<resource>}. */
    public static String message(String requestId, String requester, String envelopeBody) {
        return "{\"requestId\":" + Json.quote(requestId) + ",\"requesterClientId\":" + Json.quote(requester) + ",\"body\":"
                + envelopeBody + "}\n";
    }

    /** JSON string quoting without a JSON library (the signing tool runs on a plain JVM with only this jar). */
    public static final class Json {
        private Json() {
        }

        /** {@code s} as a JSON string literal. */
        public static String quote(String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            return sb.append('"').toString();
        }
    }
}
