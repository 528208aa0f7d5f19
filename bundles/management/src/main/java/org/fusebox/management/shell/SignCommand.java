package org.fusebox.management.shell;

import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.fusebox.management.tool.SignArtifact;

/**
 * {@code fusebox:sign}: signs an artifact and prints (or writes) the DEPLOY-V1 install/upgrade request, exactly as
 * {@code SignArtifact sign} does. Found by Karaf's shell extender through the bundle's {@code Karaf-Commands} header,
 * not a DS component.
 */
@Command(scope = "fusebox", name = "sign",
        description = "Signs a bundle jar (or, with --feature, a features XML) and prints the DEPLOY-V1 install/upgrade request")
@Service
public class SignCommand implements Action {

    @Option(name = "--key", required = true, description = "private key file (ID.key.pem from fusebox:keygen)")
    @Completion(FileCompleter.class)
    String key;

    @Option(name = "--key-id", description = "key id the gateway knows the public key by (default: the key file name without .key.pem)")
    String keyId;

    @Option(name = "--url", required = true, description = "where the gateway downloads the artifact: http://, https:// or file:")
    String url;

    @Option(name = "--out", description = "write the request to this file instead of printing it")
    @Completion(FileCompleter.class)
    String outFile;

    @Option(name = "--feature", description = "sign a features repository XML for this feature instead of a bundle")
    String feature;

    @Option(name = "--version", description = "the feature's version (only with --feature)")
    String version;

    @Argument(index = 0, name = "artifact", required = true, description = "the bundle jar, or the features XML with --feature")
    @Completion(FileCompleter.class)
    String artifact;

    /** Karaf injects the calling session (never tracked as a service); null in tests. */
    @Reference
    Session session;

    /** Null: the session's own output (Karaf routes System.out per session). Set by tests. */
    PrintStream out;

    @Override
    public Object execute() throws Exception {
        String json = SignArtifact.request(SessionPaths.resolve(session, key), keyId, SessionPaths.resolve(session, artifact),
                url, feature, version);
        PrintStream o = out == null ? System.out : out;
        if (outFile != null) {
            Path target = SessionPaths.resolve(session, outFile);
            SignArtifact.writeRequest(target, json);
            o.println("request written to " + target);
        } else {
            o.print(json);
        }
        return null;
    }
}
