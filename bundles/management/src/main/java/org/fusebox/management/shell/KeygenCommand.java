package org.fusebox.management.shell;

import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.fusebox.management.crypto.SignatureAlgorithm;
import org.fusebox.management.tool.SignArtifact;

/**
 * {@code fusebox:keygen}: the same key pair as {@code SignArtifact keygen}. Found by Karaf's shell extender through
 * the bundle's {@code Karaf-Commands} header, not a DS component.
 */
@Command(scope = "fusebox", name = "keygen",
        description = "Creates a key pair for signing DEPLOY-V1 artifacts: ID.pem (public, for the trusted-keys directory)"
                + " and ID.key.pem (private, owner-only); never overwrites an existing key")
@Service
public class KeygenCommand implements Action {

    @Option(name = "--key-id", required = true, description = "key id: letters, digits, '.', '_' or '-'")
    String keyId;

    @Option(name = "--algorithm", description = "ed25519 (default) or ecdsa-p256")
    @Completion(value = StringsCompleter.class, values = { "ed25519", "ecdsa-p256" })
    String algorithm = SignatureAlgorithm.ED25519.id();

    @Option(name = "--dir", description = "directory for the two files (default: the console's current directory)")
    @Completion(FileCompleter.class)
    String dir = ".";

    /** Karaf injects the calling session (never tracked as a service); null in tests. */
    @Reference
    Session session;

    /** Null: the session's own output (Karaf routes System.out per session). Set by tests. */
    PrintStream out;

    @Override
    public Object execute() throws Exception {
        Path[] files = SignArtifact.keygen(keyId, SignatureAlgorithm.parse(algorithm), SessionPaths.resolve(session, dir));
        PrintStream o = out == null ? System.out : out;
        o.println("public key (copy to the gateway's trusted-keys directory): " + files[0]);
        o.println("private key (keep secret): " + files[1]);
        return null;
    }
}
