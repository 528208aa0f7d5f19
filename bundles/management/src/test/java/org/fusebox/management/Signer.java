package org.fusebox.management;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.fusebox.management.crypto.Pem;
import org.fusebox.management.crypto.SignatureAlgorithm;
import org.fusebox.management.tool.SignArtifact;

/** A release key made with the signing tool's own code: its public half trusted in {@code trustedDir}. */
final class Signer {

    final String keyId;
    final PrivateKey key;

    private Signer(String keyId, PrivateKey key) {
        this.keyId = keyId;
        this.key = key;
    }

    /** @param trustedDir where the public key goes; null keeps it untrusted */
    static Signer create(String keyId, SignatureAlgorithm alg, Path keyDir, Path trustedDir) throws Exception {
        Path[] files = SignArtifact.keygen(keyId, alg, keyDir);
        if (trustedDir != null) {
            Files.createDirectories(trustedDir);
            Files.copy(files[0], trustedDir.resolve(files[0].getFileName()));
        }
        return new Signer(keyId, Pem.readPrivateKey(Files.readString(files[1])));
    }

    String bundleRequest(Path jar) throws Exception {
        return SignArtifact.bundleRequest(jar, jar.toUri().toString(), key, keyId);
    }

    String bundleRequest(Path jar, String url) throws Exception {
        return SignArtifact.bundleRequest(jar, url, key, keyId);
    }
}
