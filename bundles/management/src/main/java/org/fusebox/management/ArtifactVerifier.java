package org.fusebox.management;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.fusebox.api.cloud.RequestProgress;
import org.fusebox.management.crypto.ArtifactSignature;
import org.fusebox.management.crypto.SignatureAlgorithm;
import org.fusebox.management.crypto.TrustedKeys;
import org.osgi.framework.Version;

/** Checks downloaded bytes: hash, signature by a trusted key, and for a bundle its identity. */
final class ArtifactVerifier {

    /** The identity a bundle jar declares. */
    record BundleIdentity(String symbolicName, Version version, boolean fragment) {
    }

    private ArtifactVerifier() {
    }

    /** Refuses (400) an unknown key before anything is downloaded. */
    static PublicKey trustedKey(TrustedKeys keys, String keyId) throws OperationException {
        return keys.key(keyId).orElseThrow(() -> OperationException.invalid("key id '" + keyId
                + "' is not trusted (trusted: " + (keys.keyIds().isEmpty() ? "none" : String.join(", ", keys.keyIds()))
                + " in " + keys.directory() + ")"));
    }

    static void verifyHashAndSignature(Path file, SignedArtifact a, PublicKey key, RequestProgress progress)
            throws IOException, OperationException {
        byte[] digest = ArtifactSignature.sha256(file);
        String actual = ArtifactSignature.hex(digest);
        if (!actual.equals(a.sha256())) {
            throw OperationException.invalid("SHA-256 mismatch: the request says " + a.sha256() + ", the downloaded "
                    + Files.size(file) + " bytes hash to " + actual);
        }
        progress.report("verify-hash", 55, "SHA-256 " + actual + " matches");
        if (!ArtifactSignature.verify(digest, a.signature(), key)) {
            throw OperationException.invalid("signature does not verify with trusted key '" + a.keyId() + "' ("
                    + SignatureAlgorithm.of(key).id() + "): wrong key, or the artifact or signature was altered");
        }
        progress.report("verify-signature", 60, "signature by '" + a.keyId() + "' (" + SignatureAlgorithm.of(key).id() + ") verified");
    }

    static BundleIdentity readBundleIdentity(Path jar) throws OperationException {
        Manifest mf;
        try (InputStream in = Files.newInputStream(jar); JarInputStream j = new JarInputStream(in)) {
            mf = j.getManifest();
        } catch (IOException e) {
            throw OperationException.invalid("not a jar: " + e.getMessage());
        }
        if (mf == null) {
            throw OperationException.invalid("not an OSGi bundle: the jar has no META-INF/MANIFEST.MF");
        }
        Attributes at = mf.getMainAttributes();
        String bsn = at.getValue("Bundle-SymbolicName");
        if (bsn == null || bsn.isBlank()) {
            throw OperationException.invalid("not an OSGi bundle: no Bundle-SymbolicName in its manifest");
        }
        bsn = bsn.split(";", 2)[0].trim();
        Version v;
        try {
            v = Version.parseVersion(at.getValue("Bundle-Version"));
        } catch (IllegalArgumentException e) {
            throw OperationException.invalid("Bundle-Version '" + at.getValue("Bundle-Version") + "' is not an OSGi version");
        }
        return new BundleIdentity(bsn, v, at.getValue("Fragment-Host") != null);
    }

    static BundleIdentity verifyBundle(Path jar, String symbolicName, Version version, RequestProgress progress)
            throws OperationException {
        BundleIdentity id = readBundleIdentity(jar);
        if (!id.symbolicName().equals(symbolicName) || !id.version().equals(version)) {
            throw OperationException.invalid("the artifact is " + id.symbolicName() + " " + id.version()
                    + ", the request names " + symbolicName + " " + version);
        }
        progress.report("verify-bundle", 65, "OSGi bundle " + id.symbolicName() + " " + id.version());
        return id;
    }
}
