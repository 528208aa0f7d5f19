package org.fusebox.management.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.fusebox.management.crypto.ArtifactSignature;
import org.fusebox.management.crypto.OperatorRequests;
import org.fusebox.management.crypto.Pem;
import org.fusebox.management.crypto.SignatureAlgorithm;
import org.fusebox.management.crypto.TrustedKeys;

/**
 * Release-side tool, runs on a plain JVM with only this jar:
 *
 * <pre>
 * java -cp fusebox-management.jar org.fusebox.management.tool.SignArtifact keygen --key-id ID [--algorithm ed25519|ecdsa-p256] [--dir DIR]
 * java -cp fusebox-management.jar org.fusebox.management.tool.SignArtifact sign --key ID.key.pem --artifact FILE --url URL
 *      [--key-id ID] [--feature NAME --version V] [--out request.json]
 * java -cp fusebox-management.jar org.fusebox.management.tool.SignArtifact sign-request --key ID.key.pem --gateway GW
 *      --resource uninstall [--app DEPLOY-V1] [--method EXEC] [--body FILE | --body-json JSON] [--request-id ID]
 *      [--requester NAME] [--valid-minutes 10] [--safety-override true] [--key-id ID] [--out message.json]
 * </pre>
 *
 * The console commands {@code fusebox:keygen} and {@code fusebox:sign} (package {@code org.fusebox.management.shell})
 * call {@link #keygen} and {@link #request} too.
 */
public final class SignArtifact {

    private SignArtifact() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** @return the process exit code */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !(args[0].equals("keygen") || args[0].equals("sign") || args[0].equals("sign-request"))) {
            err.println(usage());
            return 2;
        }
        try {
            Map<String, String> opts = options(args);
            if (args[0].equals("keygen")) {
                String keyId = required(opts, "key-id");
                SignatureAlgorithm alg = SignatureAlgorithm.parse(opts.getOrDefault("algorithm", "ed25519"));
                Path dir = Path.of(opts.getOrDefault("dir", "."));
                Path[] files = keygen(keyId, alg, dir);
                out.println("public key (copy to the gateway's trusted-keys directory): " + files[0]);
                out.println("private key (keep secret): " + files[1]);
            } else if (args[0].equals("sign-request")) {
                String body = opts.get("body-json");
                if (opts.containsKey("body")) {
                    if (body != null) {
                        throw new IllegalArgumentException("give --body FILE or --body-json JSON, not both");
                    }
                    body = Files.readString(Path.of(opts.get("body")), StandardCharsets.UTF_8);
                }
                String json = operatorRequest(Path.of(required(opts, "key")), opts.get("key-id"), required(opts, "gateway"),
                        opts.getOrDefault("app", "DEPLOY-V1"), opts.getOrDefault("method", "EXEC"), required(opts, "resource"), body,
                        opts.get("request-id"), opts.getOrDefault("requester", "operator"),
                        minutes(opts.getOrDefault("valid-minutes", "10")), Boolean.parseBoolean(opts.getOrDefault("safety-override", "false")),
                        Clock.systemUTC());
                if (opts.containsKey("out")) {
                    writeRequest(Path.of(opts.get("out")), json);
                    out.println("signed request written to " + opts.get("out"));
                } else {
                    out.print(json);
                }
            } else {
                String json = request(Path.of(required(opts, "key")), opts.get("key-id"), Path.of(required(opts, "artifact")),
                        required(opts, "url"), opts.get("feature"), opts.get("version"));
                if (opts.containsKey("out")) {
                    writeRequest(Path.of(opts.get("out")), json);
                    out.println("request written to " + opts.get("out"));
                } else {
                    out.print(json);
                }
            }
            return 0;
        } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
            err.println("error: " + e.getMessage());
            err.println(usage());
            return 1;
        }
    }

    /** Writes {@code <keyId>.pem} (public, X.509 SPKI) and {@code <keyId>.key.pem} (private, PKCS#8, owner-only). */
    public static Path[] keygen(String keyId, SignatureAlgorithm alg, Path dir) throws IOException, GeneralSecurityException {
        if (!TrustedKeys.KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("key id '" + keyId + "' must be letters, digits, '.', '_' or '-'");
        }
        Files.createDirectories(dir);
        Path pub = dir.resolve(keyId + ".pem");
        Path priv = dir.resolve(keyId + ".key.pem");
        if (Files.exists(pub) || Files.exists(priv)) {
            throw new IllegalArgumentException(pub + " or " + priv + " exists already; not overwriting a key");
        }
        KeyPair kp = alg.generateKeyPair();
        Files.writeString(pub, Pem.publicKey(kp.getPublic()), StandardCharsets.US_ASCII);
        Files.writeString(priv, Pem.privateKey(kp.getPrivate()), StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the user's profile protects it
        }
        return new Path[] { pub, priv };
    }

    /**
     * The DEPLOY-V1 install/upgrade request for {@code artifact} signed with the private key in {@code keyFile}: what
     * both {@code SignArtifact sign} and the console's {@code fusebox:sign} print. With {@code feature} the artifact is
     * a features repository XML and {@code version} is required; without, it is a bundle jar whose manifest gives
     * name and version. Every problem with the arguments is named at once, before anything is read.
     *
     * @param keyId null or blank for the key file's name without {@code .key.pem}
     */
    public static String request(Path keyFile, String keyId, Path artifact, String url, String feature, String version)
            throws IOException, GeneralSecurityException {
        String id = keyId == null || keyId.isBlank() ? defaultKeyId(keyFile) : keyId.trim();
        List<String> errors = new ArrayList<>();
        if (!TrustedKeys.KEY_ID.matcher(id).matches()) {
            errors.add("key id '" + id + "' must be letters, digits, '.', '_' or '-' (the gateway looks for <keyId>.pem)");
        }
        if (!acceptedUrl(url)) {
            errors.add("url must be http://, https:// or file:, got '" + url + "'");
        }
        boolean isFeature = feature != null && !feature.isBlank();
        if (isFeature && (version == null || version.isBlank())) {
            errors.add("a feature needs --version");
        }
        if (!isFeature && version != null) {
            errors.add("--version is only for a feature (--feature); a bundle's version comes from its manifest");
        }
        if (!Files.isRegularFile(keyFile) || !Files.isReadable(keyFile)) {
            errors.add("key " + keyFile + " is not a readable file");
        }
        if (!Files.isRegularFile(artifact) || !Files.isReadable(artifact)) {
            errors.add("artifact " + artifact + " is not a readable file");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        PrivateKey key;
        try {
            // PEM is ASCII; Latin-1 never fails to decode, so a wrong file gets the PEM parser's clear message instead
            key = Pem.readPrivateKey(Files.readString(keyFile, StandardCharsets.ISO_8859_1));
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(keyFile + ": " + e.getMessage(), e);
        }
        return isFeature ? featureRequest(artifact, url.trim(), key, id, feature.trim(), version.trim())
                : bundleRequest(artifact, url.trim(), key, id);
    }

    /**
     * A signed operator request, as the whole message to publish on {@code <namespace>/<app>/<method>/<resource>}: what
     * {@code SignArtifact sign-request} and the console's {@code fusebox:sign-request} print. Every problem with the
     * arguments is named at once, before the key is read.
     *
     * @param bodyJson  the request's own body (a JSON object, e.g. the output of {@code sign}); null or blank for none
     * @param requestId null or blank for a random one
     * @param validity  how long the gateway may accept it, from now
     */
    public static String operatorRequest(Path keyFile, String keyId, String gateway, String app, String method, String resource,
            String bodyJson, String requestId, String requester, Duration validity, boolean safetyOverride, Clock clock)
            throws IOException, GeneralSecurityException {
        String id = keyId == null || keyId.isBlank() ? defaultKeyId(keyFile) : keyId.trim();
        String rid = requestId == null || requestId.isBlank() ? UUID.randomUUID().toString() : requestId.trim();
        List<String> errors = new ArrayList<>();
        if (!TrustedKeys.KEY_ID.matcher(id).matches()) {
            errors.add("key id '" + id + "' must be letters, digits, '.', '_' or '-' (the gateway looks for <keyId>.pem)");
        }
        if (gateway == null || !TOPIC_LEVEL.matcher(gateway.trim()).matches()) {
            errors.add("gateway '" + gateway + "' must be the gateway id: 1 to 128 characters without '/', '+', '#' or spaces");
        }
        if (app == null || !app.matches("[A-Za-z0-9-]{1,64}")) {
            errors.add("app '" + app + "' must be letters, digits and dashes, e.g. DEPLOY-V1 or CONF-V1");
        }
        if (method == null || !List.of("GET", "PUT", "POST", "DEL", "EXEC").contains(method.toUpperCase(Locale.ROOT))) {
            errors.add("method '" + method + "' must be GET, PUT, POST, DEL or EXEC");
        }
        if (!TOPIC_LEVEL.matcher(rid).matches()) {
            errors.add("request id '" + rid + "' must be 1 to 128 characters without '/', '+', '#' or spaces");
        }
        if (requester == null || requester.isBlank()) {
            errors.add("requester must not be empty");
        }
        if (validity == null || validity.isNegative() || validity.isZero()) {
            errors.add("the validity must be positive");
        }
        String body = bodyJson == null || bodyJson.isBlank() ? "{}" : bodyJson.strip();
        if (!body.startsWith("{") || !body.endsWith("}")) {
            errors.add("the body must be a JSON object");
        }
        if (!Files.isRegularFile(keyFile) || !Files.isReadable(keyFile)) {
            errors.add("key " + keyFile + " is not a readable file");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        PrivateKey key;
        try {
            key = Pem.readPrivateKey(Files.readString(keyFile, StandardCharsets.ISO_8859_1));
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(keyFile + ": " + e.getMessage(), e);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String text = OperatorRequests.signedText(app, method.toUpperCase(Locale.ROOT), resource == null ? "" : resource.trim(),
                gateway.trim(), rid, now, now.plus(validity), safetyOverride, body);
        return OperatorRequests.message(rid, requester.trim(), OperatorRequests.envelopeBody(text, id, OperatorRequests.sign(text, key)));
    }

    private static final java.util.regex.Pattern TOPIC_LEVEL = java.util.regex.Pattern.compile("[^/+#\\s]{1,128}");

    private static Duration minutes(String s) {
        try {
            return Duration.ofMinutes(Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--valid-minutes must be a whole number, got '" + s + "'");
        }
    }

    /** Writes the request whole or not at all: a temp file next to {@code target}, then renamed over it. */
    public static void writeRequest(Path target, String json) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".part");
        try {
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static boolean acceptedUrl(String url) {
        if (url == null || url.isBlank()) {
            return false;
        }
        try {
            String scheme = new URI(url.trim()).getScheme();
            return scheme != null && List.of("http", "https", "file").contains(scheme.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The DEPLOY-V1 install/upgrade body for a bundle jar. */
    public static String bundleRequest(Path jar, String url, PrivateKey key, String keyId) throws IOException, GeneralSecurityException {
        Manifest mf;
        try (InputStream in = Files.newInputStream(jar); JarInputStream j = new JarInputStream(in)) {
            mf = j.getManifest();
        }
        String bsn = mf == null ? null : mf.getMainAttributes().getValue("Bundle-SymbolicName");
        String version = mf == null ? null : mf.getMainAttributes().getValue("Bundle-Version");
        if (bsn == null || version == null) {
            throw new IllegalArgumentException(jar + " is not an OSGi bundle (no Bundle-SymbolicName/Bundle-Version); "
                    + "for a features repository give --feature and --version");
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("symbolicName", bsn.split(";", 2)[0].trim());
        m.put("version", version.trim());
        m.putAll(signature(jar, url, key, keyId));
        return toJson(m, null);
    }

    /** The DEPLOY-V1 install/upgrade body for a feature from a signed features repository XML. */
    public static String featureRequest(Path xml, String url, PrivateKey key, String keyId, String feature, String version)
            throws IOException, GeneralSecurityException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("feature", feature);
        m.put("version", version);
        return toJson(m, signature(xml, url, key, keyId));
    }

    private static Map<String, String> signature(Path file, String url, PrivateKey key, String keyId)
            throws IOException, GeneralSecurityException {
        byte[] digest = ArtifactSignature.sha256(file);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("url", url);
        m.put("sha256", ArtifactSignature.hex(digest));
        m.put("signature", Base64.getEncoder().encodeToString(ArtifactSignature.sign(digest, key)));
        m.put("keyId", keyId);
        m.put("algorithm", key.getAlgorithm().equals("EC") ? SignatureAlgorithm.ECDSA_P256.id() : SignatureAlgorithm.ED25519.id());
        return m;
    }

    private static String toJson(Map<String, String> top, Map<String, String> repository) {
        StringBuilder sb = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, String> e : top.entrySet()) {
            sb.append("  ").append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
            sb.append(++i < top.size() || repository != null ? ",\n" : "\n");
        }
        if (repository != null) {
            sb.append("  \"repository\": {\n");
            int j = 0;
            for (Map.Entry<String, String> e : repository.entrySet()) {
                sb.append("    ").append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
                sb.append(++j < repository.size() ? ",\n" : "\n");
            }
            sb.append("  }\n");
        }
        return sb.append("}\n").toString();
    }

    static String quote(String s) {
        return OperatorRequests.Json.quote(s);
    }

    private static String defaultKeyId(Path keyFile) {
        String n = keyFile.getFileName().toString();
        return n.endsWith(".key.pem") ? n.substring(0, n.length() - ".key.pem".length())
                : n.endsWith(".pem") ? n.substring(0, n.length() - 4) : n;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'");
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }

    private static String required(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    static String usage() {
        return """
                usage:
                  SignArtifact keygen --key-id ID [--algorithm ed25519|ecdsa-p256] [--dir DIR]
                      writes DIR/ID.pem (public key for the gateway's trusted-keys directory) and DIR/ID.key.pem (private)
                  SignArtifact sign --key ID.key.pem --artifact FILE --url URL [--key-id ID] [--out FILE]
                      prints the DEPLOY-V1 install/upgrade request for a bundle jar
                  SignArtifact sign --key ID.key.pem --artifact features.xml --url URL --feature NAME --version V [--out FILE]
                      the same for a feature from a signed features repository
                  SignArtifact sign-request --key ID.key.pem --gateway GW --resource RES [--app DEPLOY-V1] [--method EXEC]
                                [--body FILE | --body-json JSON] [--request-id ID] [--requester NAME] [--valid-minutes 10]
                                [--safety-override true] [--key-id ID] [--out FILE]
                      prints the operator-signed message to publish on <namespace>/<app>/<method>/<resource>""";
    }
}
