package org.fusebox.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.security.OperatorRequestVerifier;
import org.fusebox.management.OperatorRequestVerification;
import org.fusebox.management.crypto.OperatorRequests;
import org.fusebox.management.crypto.Pem;
import org.fusebox.management.crypto.SignatureAlgorithm;
import org.fusebox.management.tool.SignArtifact;

/**
 * An operator of gateway {@link #GATEWAY} with a key made by fusebox-management's signing tool, and the gateway's verifier
 * (fusebox-management's own, outside OSGi) trusting it.
 */
final class SignedRequests {

    static final String GATEWAY = "conf-gw";

    final OperatorRequestVerifier verifier;
    private final String keyId;
    private final PrivateKey key;
    private int ids;

    private SignedRequests(OperatorRequestVerifier verifier, String keyId, PrivateKey key) {
        this.verifier = verifier;
        this.keyId = keyId;
        this.key = key;
    }

    /** @param dir gets {@code keys/} (the private key), {@code operators/} (the trusted public one) and {@code staging/} */
    static SignedRequests create(Path dir, String keyId, boolean trusted) throws Exception {
        Path[] files = SignArtifact.keygen(keyId, SignatureAlgorithm.ED25519, dir.resolve("keys"));
        Path operators = dir.resolve("operators");
        Files.createDirectories(operators);
        if (trusted) {
            Files.copy(files[0], operators.resolve(files[0].getFileName()));
        }
        OperatorRequestVerifier v = OperatorRequestVerification.standalone(operators, dir.resolve("staging"), GATEWAY, Clock.systemUTC());
        return new SignedRequests(v, keyId, Pem.readPrivateKey(Files.readString(files[1])));
    }

    String nextId() {
        return keyId + "-" + (++ids);
    }

    CloudRequest request(String method, String resource, String body) throws Exception {
        return request(nextId(), method, resource, body, false, GATEWAY, Instant.now(), Duration.ofMinutes(10));
    }

    CloudRequest withOverride(String method, String resource, String body) throws Exception {
        return request(nextId(), method, resource, body, true, GATEWAY, Instant.now(), Duration.ofMinutes(10));
    }

    CloudRequest request(String id, String method, String resource, String body, boolean override, String gateway, Instant issued,
            Duration validity) throws Exception {
        String text = OperatorRequests.signedText("CONF-V1", method, resource, gateway, id, issued, issued.plus(validity), override, body);
        String envelope = OperatorRequests.envelopeBody(text, keyId, OperatorRequests.sign(text, key));
        return new CloudRequest(id, "operator", "CONF-V1", method, resource, envelope.getBytes(StandardCharsets.UTF_8));
    }
}
