package org.fusebox.management.shell;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.fusebox.management.tool.SignArtifact;

/**
 * {@code fusebox:sign-request}: signs an operator request for one gateway and prints (or writes) the message to publish,
 * exactly as {@code SignArtifact sign-request} does. Found by Karaf's shell extender through the bundle's
 * {@code Karaf-Commands} header, not a DS component.
 */
@Command(scope = "fusebox", name = "sign-request",
        description = "Signs a DEPLOY-V1 or CONF-V1 request with an operator key for one gateway and prints the message to publish")
@Service
public class SignRequestCommand implements Action {

    @Option(name = "--key", required = true, description = "the operator's private key file (ID.key.pem from fusebox:keygen)")
    @Completion(FileCompleter.class)
    String key;

    @Option(name = "--key-id", description = "key id the gateway knows the public key by (default: the key file name without .key.pem)")
    String keyId;

    @Option(name = "--gateway", required = true, description = "the gateway id the request is for (fusebox.management gatewayId)")
    String gateway;

    @Option(name = "--app", description = "DEPLOY-V1 (default) or CONF-V1")
    String app = "DEPLOY-V1";

    @Option(name = "--method", description = "EXEC (default), PUT, DEL, ...")
    String method = "EXEC";

    @Option(name = "--resource", required = true, description = "e.g. upgrade, uninstall, configurations/fusebox.core")
    String resource;

    @Option(name = "--body", description = "file with the request's own body (a JSON object, e.g. what fusebox:sign wrote)")
    @Completion(FileCompleter.class)
    String bodyFile;

    @Option(name = "--request-id", description = "the request id (default: a random one)")
    String requestId;

    @Option(name = "--valid-minutes", description = "how long the gateway may accept it (default 10)")
    long validMinutes = 10;

    @Option(name = "--safety-override", description = "explicitly allow removing a safety-critical part or changing a security setting")
    boolean safetyOverride;

    @Option(name = "--out", description = "write the message to this file instead of printing it")
    @Completion(FileCompleter.class)
    String outFile;

    /** Karaf injects the calling session (never tracked as a service); null in tests. */
    @Reference
    Session session;

    /** Null: the session's own output. Set by tests. */
    PrintStream out;

    @Override
    public Object execute() throws Exception {
        String body = bodyFile == null ? null : Files.readString(SessionPaths.resolve(session, bodyFile), StandardCharsets.UTF_8);
        String json = SignArtifact.operatorRequest(SessionPaths.resolve(session, key), keyId, gateway, app, method, resource, body,
                requestId, "operator", Duration.ofMinutes(validMinutes), safetyOverride, Clock.systemUTC());
        PrintStream o = out == null ? System.out : out;
        if (outFile != null) {
            Path target = SessionPaths.resolve(session, outFile);
            SignArtifact.writeRequest(target, json);
            o.println("signed request written to " + target);
        } else {
            o.print(json);
        }
        return null;
    }
}
