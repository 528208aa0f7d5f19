package org.fusebox.management;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.management.crypto.OperatorRequests;
import org.fusebox.management.crypto.Pem;
import org.fusebox.management.crypto.SignatureAlgorithm;
import org.fusebox.management.tool.SignArtifact;

/** An operator key made with the signing tool's own code, its public half trusted in {@code trustedDir} (or not). */
final class Operator {

    final String keyId;
    final PrivateKey key;
    final Path keyFile;

    private Operator(String keyId, PrivateKey key, Path keyFile) {
        this.keyId = keyId;
        this.key = key;
        this.keyFile = keyFile;
    }

    /** @param trustedDir where the public key goes; null keeps it untrusted */
    static Operator create(String keyId, Path keyDir, Path trustedDir) throws Exception {
        Path[] files = SignArtifact.keygen(keyId, SignatureAlgorithm.ED25519, keyDir);
        if (trustedDir != null) {
            Files.createDirectories(trustedDir);
            Files.copy(files[0], trustedDir.resolve(files[0].getFileName()));
        }
        return new Operator(keyId, Pem.readPrivateKey(Files.readString(files[1])), files[1]);
    }

    /** The request as DEPLOY-V1/CONF-V1 receive it from the cloud link, signed for {@link TestConfig#GATEWAY}, valid 10 minutes. */
    CloudRequest request(String requestId, String app, String method, String resource, String body) throws Exception {
        return request(requestId, app, method, resource, body, false, TestConfig.GATEWAY, Instant.now(), Duration.ofMinutes(10));
    }

    CloudRequest withOverride(String requestId, String app, String method, String resource, String body) throws Exception {
        return request(requestId, app, method, resource, body, true, TestConfig.GATEWAY, Instant.now(), Duration.ofMinutes(10));
    }

    CloudRequest request(String requestId, String app, String method, String resource, String body, boolean override, String gateway,
            Instant issued, Duration validity) throws Exception {
        String text = OperatorRequests.signedText(app, method, resource, gateway, requestId, issued, issued.plus(validity), override,
                body);
        String envelope = OperatorRequests.envelopeBody(text, keyId, OperatorRequests.sign(text, key));
        return new CloudRequest(requestId, "ops", app, method, resource, envelope.getBytes(StandardCharsets.UTF_8));
    }

    static OperatorRequestVerification verifier(TestConfig config) {
        OperatorRequestVerification v = new OperatorRequestVerification(Clock.systemUTC());
        v.configure(config);
        return v;
    }
}
