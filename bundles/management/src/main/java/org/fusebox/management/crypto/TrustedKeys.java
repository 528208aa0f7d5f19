package org.fusebox.management.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The public keys artifacts may be signed with: every {@code <keyId>.pem} file of one directory, each an X.509
 * SubjectPublicKeyInfo PEM of an Ed25519 or P-256 key. The key id is the file name without {@code .pem}.
 * A file that cannot be read is skipped and named in {@link #problems()}; the others still count.
 */
public final class TrustedKeys {

    public static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Path directory;
    private final Map<String, PublicKey> keys;
    private final List<String> problems;

    private TrustedKeys(Path directory, Map<String, PublicKey> keys, List<String> problems) {
        this.directory = directory;
        this.keys = Map.copyOf(keys);
        this.problems = List.copyOf(problems);
    }

    public static TrustedKeys load(Path directory) {
        Map<String, PublicKey> keys = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            problems.add("trusted key directory " + directory + " does not exist");
            return new TrustedKeys(directory, keys, problems);
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.pem")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String id = name.substring(0, name.length() - ".pem".length());
                if (!KEY_ID.matcher(id).matches()) {
                    problems.add(name + ": key id '" + id + "' must be letters, digits, '.', '_' or '-' (at most 64)");
                    continue;
                }
                try {
                    keys.put(id, Pem.readPublicKey(Files.readString(f, StandardCharsets.US_ASCII)));
                } catch (IOException | GeneralSecurityException e) {
                    problems.add(name + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            problems.add("cannot list " + directory + ": " + e);
        }
        return new TrustedKeys(directory, keys, problems);
    }

    public Path directory() {
        return directory;
    }

    public Optional<PublicKey> key(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    /** Key ids, sorted. */
    public List<String> keyIds() {
        return List.copyOf(new TreeMap<>(keys).keySet());
    }

    public List<String> problems() {
        return problems;
    }
}
