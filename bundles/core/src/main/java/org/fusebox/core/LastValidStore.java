package org.fusebox.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The last configuration the core accepted, kept in the bundle's data area so that a restart with an invalid
 * file on disk runs on it instead of on nothing. Written whole or not at all (a temporary file moved over the
 * old one), so a crash mid-write leaves the previous one.
 */
final class LastValidStore {

    private static final String ACCEPTED_AT = "fusebox.acceptedAt";
    private static final String SOURCE = "fusebox.source";

    /** What was stored: the values, when they were accepted and where they came from. */
    record Stored(Map<String, String> values, Instant acceptedAt, String source) {
    }

    private final Path file;

    LastValidStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    void save(CoreSettings settings, Instant acceptedAt, String source) throws IOException {
        Properties p = new Properties();
        settings.values().forEach(p::setProperty);
        p.setProperty(ACCEPTED_AT, acceptedAt.toString());
        p.setProperty(SOURCE, source);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "fusebox.core: the last valid configuration, used after a restart while the one on disk is invalid");
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Empty when nothing was stored; throws when what is there cannot be read. */
    Optional<Stored> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        Map<String, String> values = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            if (CoreSettings.KEYS.contains(k)) {
                values.put(k, p.getProperty(k));
            }
        }
        Instant at;
        try {
            at = Instant.parse(p.getProperty(ACCEPTED_AT, ""));
        } catch (DateTimeParseException e) {
            throw new IOException("no valid " + ACCEPTED_AT + " in " + file);
        }
        return Optional.of(new Stored(values, at, p.getProperty(SOURCE, "unknown")));
    }
}
