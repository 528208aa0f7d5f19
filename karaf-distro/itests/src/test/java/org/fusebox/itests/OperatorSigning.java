package org.fusebox.itests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * The operator's side of a signed request, written from the management README's byte-exact rule only (not with the
 * gateway's code): the signed text is a JSON object naming app, method, resource, gateway, request id, issuedAt,
 * expiresAt, safetyOverride and body; the signature is Ed25519 over SHA-256 of {@code fusebox-operator-request-v1\n}
 * followed by the text's UTF-8 bytes; the request body is {@code {"signedRequest", "keyId", "signature"}}.
 */
final class OperatorSigning {

    static final String KEY_ID = "it-operator";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrivateKey key;

    private OperatorSigning(PrivateKey key) {
        this.key = key;
    }

    /** Writes {@code <dir>/it-operator.pem} (public, for etc/fusebox/operator-keys) and {@code operator.key} (PKCS#8, base64). */
    static void generate(Path dir) throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(dir.resolve(KEY_ID + ".pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Files.writeString(dir.resolve("operator.key"), Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()));
    }

    static OperatorSigning load(Path dir) throws Exception {
        byte[] der = Base64.getDecoder().decode(Files.readString(dir.resolve("operator.key")).trim());
        return new OperatorSigning(KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der)));
    }

    /** The body of a request signed for {@code gateway}, valid ten minutes from now. */
    String body(String app, String method, String resource, String gateway, String requestId, String bodyJson, boolean safetyOverride)
            throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode signed = JSON.createObjectNode();
        signed.put("app", app);
        signed.put("method", method);
        signed.put("resource", resource);
        signed.put("gateway", gateway);
        signed.put("requestId", requestId);
        signed.put("issuedAt", now.toString());
        signed.put("expiresAt", now.plus(Duration.ofMinutes(10)).toString());
        signed.put("safetyOverride", safetyOverride);
        signed.set("body", JSON.readTree(bodyJson == null || bodyJson.isBlank() ? "{}" : bodyJson));
        String text = JSON.writeValueAsString(signed);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("fusebox-operator-request-v1\n".getBytes(StandardCharsets.UTF_8));
        byte[] digest = sha.digest(text.getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(digest);
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("signedRequest", text);
        envelope.put("keyId", KEY_ID);
        envelope.put("signature", Base64.getEncoder().encodeToString(s.sign()));
        return JSON.writeValueAsString(envelope);
    }
}
