package org.fusebox.web.security;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * API tokens for machines ({@code Authorization: Bearer fbx_<id>.<secret>}). The token is shown once, when it is
 * created; the file keeps its id, name, role, creation time and the SHA-256 of the whole token (256 random bits:
 * no dictionary holds it, so a slow hash adds nothing). Revoking deletes the line; the file is rewritten
 * atomically and owner-only.
 */
public final class ApiTokens {

    static final String PREFIX = "fbx_";
    static final int MAX_TOKENS = 1000;

    /** What {@link #create} hands out, once. */
    public record Created(ApiToken token, String secret) {
    }

    private final Path file;
    private final Clock clock;
    private final Map<String, ApiToken> tokens = new TreeMap<>();

    public ApiTokens(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        load();
    }

    public synchronized Created create(String name, Role role) {
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("a token's name is 1 to 64 letters, digits or . _ @ -, got '" + name + "'");
        }
        if (tokens.size() >= MAX_TOKENS) {
            throw new IllegalArgumentException("there are already " + MAX_TOKENS + " tokens; revoke unused ones first");
        }
        String id;
        do {
            id = Secrets.randomHex(6);
        } while (tokens.containsKey(id));
        String secret = PREFIX + id + "." + Secrets.random(32);
        ApiToken token = new ApiToken(id, name, role, Secrets.sha256(secret), clock.instant());
        tokens.put(id, token);
        save();
        return new Created(token, secret);
    }

    /** The token this bearer secret is, if it is one that was created and not revoked. */
    public synchronized Optional<ApiToken> verify(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int dot = secret.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        ApiToken t = tokens.get(secret.substring(PREFIX.length(), dot));
        return t != null && Secrets.sameText(t.sha256(), Secrets.sha256(secret)) ? Optional.of(t) : Optional.empty();
    }

    public synchronized boolean revoke(String id) {
        if (tokens.remove(id) == null) {
            return false;
        }
        save();
        return true;
    }

    /** Revokes every token of {@code name}; answers how many. */
    public synchronized int revokeAllNamed(String name) {
        List<String> ids = tokens.values().stream().filter(t -> t.name().equals(name)).map(ApiToken::id).toList();
        ids.forEach(tokens::remove);
        if (!ids.isEmpty()) {
            save();
        }
        return ids.size();
    }

    public synchronized List<ApiToken> list() {
        List<ApiToken> all = new ArrayList<>(tokens.values());
        all.sort(Comparator.comparing(ApiToken::created).thenComparing(ApiToken::id));
        return all;
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API tokens in " + file, e);
        }
        for (String id : p.stringPropertyNames()) {
            String[] f = p.getProperty(id).split(",");
            Optional<Role> role = f.length == 4 ? Role.parse(f[1]) : Optional.empty();
            if (role.isEmpty() || !f[2].matches("[0-9a-f]{64}")) {
                throw new IllegalStateException(file + ": token " + id + " is damaged ('name,role,sha256,created' expected); fix or remove the line");
            }
            tokens.put(id, new ApiToken(id, f[0], role.get(), f[2], Instant.parse(f[3])));
        }
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            ownerOnly(Files.createFile(tmp));
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write("# Fusebox API tokens: id = name,role,sha256 of the token,created. Managed by fusebox:token-*; never holds a token itself.\n");
                for (ApiToken t : tokens.values()) {
                    w.write(t.id() + " = " + t.name() + "," + t.role().id() + "," + t.sha256() + "," + t.created() + "\n");
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the API tokens to " + file, e);
        }
    }

    static void ownerOnly(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): its ACLs are left as the directory gives them
        }
    }
}
