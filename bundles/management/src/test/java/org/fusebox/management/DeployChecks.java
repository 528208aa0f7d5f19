package org.fusebox.management;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.management.crypto.TrustedKeys;
import org.fusebox.management.testbundle.GoodActivator;
import org.osgi.framework.Version;

/** For tests in other packages: DEPLOY-V1's own checks of a request against a downloaded file, and a bundle to sign. */
public final class DeployChecks {

    private DeployChecks() {
    }

    public static Path bundleJar(Path dir, String bsn, String version) throws IOException {
        return TestBundles.withActivator(bsn, version, GoodActivator.class).write(dir);
    }

    /**
     * What DEPLOY-V1 does with {@code signed} (a bundle request, or a feature request's {@code repository}) and the
     * file it downloaded: field validation, trusted key lookup, SHA-256 and signature; for a bundle request also
     * name and version against the jar's manifest. Throws with the deployer's reason on any failure.
     */
    public static void verify(JsonNode request, Path file, Path trustedKeysDirectory) throws Exception {
        JsonNode signed = request.has("repository") ? request.path("repository") : request;
        List<String> errors = new ArrayList<>();
        SignedArtifact a = SignedArtifact.from(text(signed, "url"), text(signed, "sha256"), text(signed, "signature"),
                text(signed, "keyId"), errors);
        if (a == null) {
            throw new AssertionError("refused: " + errors);
        }
        TrustedKeys keys = TrustedKeys.load(trustedKeysDirectory);
        ArtifactVerifier.verifyHashAndSignature(file, a, ArtifactVerifier.trustedKey(keys, a.keyId()), (s, p, m) -> { });
        if (!request.has("repository")) {
            ArtifactVerifier.verifyBundle(file, text(request, "symbolicName"), Version.parseVersion(text(request, "version")),
                    (s, p, m) -> { });
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
