package org.fusebox.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last configuration of each PID that passed its Metatype, one JSON file per PID (the site document
 * format with one entry), kept across restarts. When a file on disk is invalid after a restart, health
 * can still say what the site last ran on. Files hold secrets as Config Admin has them (usually only a
 * {@code $[secret:...]} reference) and are owner-only where the file system allows it.
 */
final class LastValidStore {

    private static final Logger LOG = LoggerFactory.getLogger(LastValidStore.class);

    /** A kept configuration and when it was last seen valid. */
    record Kept(String pid, Map<String, Object> properties, Instant validAt) {
    }

    private final Path directory;

    LastValidStore(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    /** Keeps this configuration as the last valid one of its PID; unchanged content is not rewritten. */
    synchronized void keep(String pid, String factoryPid, Map<String, Object> properties) {
        Map<String, Object> props = new TreeMap<>(properties);
        props.keySet().removeIf(ConfigurationEngine::isLocalKey);
        String json = SiteDocument.write(List.of(new SiteDocument.Entry(pid, factoryPid, props, false)), null);
        Path target = file(pid);
        try {
            Files.createDirectories(directory);
            ownerOnly(directory, "rwx------");
            if (Files.isRegularFile(target) && Files.readString(target, StandardCharsets.UTF_8).equals(json)) {
                Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.from(Instant.now()));
                return;
            }
            Path temp = directory.resolve(target.getFileName() + ".tmp");
            Files.writeString(temp, json, StandardCharsets.UTF_8);
            ownerOnly(temp, "rw-------");
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("Could not keep the last valid configuration of {} in {}: {}", pid, directory, e.toString());
        }
    }

    synchronized Optional<Kept> get(String pid) {
        Path f = file(pid);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            SiteDocument.Parsed parsed = SiteDocument.read(Files.readString(f, StandardCharsets.UTF_8), false);
            if (parsed.entries().size() != 1 || !parsed.entries().get(0).pid().equals(pid)) {
                return Optional.empty();
            }
            return Optional.of(new Kept(pid, parsed.entries().get(0).properties(), Files.getLastModifiedTime(f).toInstant()));
        } catch (IOException | SiteDocument.InvalidDocumentException e) {
            LOG.warn("The last valid configuration of {} ({}) cannot be read: {}", pid, f, e.getMessage());
            return Optional.empty();
        }
    }

    private Path file(String pid) {
        // PIDs are [A-Za-z0-9._~-]; anything else is replaced so that a PID can never leave the directory
        return directory.resolve(pid.replaceAll("[^A-Za-z0-9._~-]", "_") + ".json");
    }

    private static void ownerOnly(Path path, String permissions) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: its own defaults apply
        }
    }
}
