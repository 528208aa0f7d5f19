package org.fusebox.management;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The one upgrade in flight, written before anything changes and deleted once the result is confirmed healthy
 * or rolled back. Finding it at activation means the gateway stopped in between: the previous version is
 * put back.
 */
final class UpgradeJournal {

    /**
     * @param kind            {@code bundle} or {@code feature}
     * @param name            symbolic name or feature name
     * @param fromVersion     the version before, or null when the bundle/feature was not installed
     * @param toVersion       the version being installed, or null for an uninstall
     * @param previousJar     for a bundle: the saved bytes of the version before, or null
     * @param wasActive       for a bundle: whether it was ACTIVE before
     * @param requestId       the request that started it
     * @param started         when
     */
    record Entry(String kind, String name, String fromVersion, String toVersion, Path previousJar, boolean wasActive,
            String requestId, Instant started) {

        String describe() {
            return kind + " " + name + " " + (fromVersion == null ? "(new)" : fromVersion) + " -> "
                    + (toVersion == null ? "(removed)" : toVersion);
        }
    }

    private final Path file;

    UpgradeJournal(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    void begin(Entry e) throws IOException {
        Properties p = new Properties();
        p.setProperty("kind", e.kind());
        p.setProperty("name", e.name());
        put(p, "fromVersion", e.fromVersion());
        put(p, "toVersion", e.toVersion());
        put(p, "previousJar", e.previousJar() == null ? null : StagingPaths.store(file, e.previousJar()));
        p.setProperty("wasActive", Boolean.toString(e.wasActive()));
        p.setProperty("requestId", e.requestId());
        p.setProperty("started", e.started().toString());
        p.setProperty("state", "IN_FLIGHT");
        AtomicProperties.write(file, p, "fusebox-management: upgrade in flight, not yet confirmed healthy");
    }

    /** @throws IOException also when the file is there but not a journal (it is left for a human) */
    Optional<Entry> read() throws IOException {
        Optional<Properties> op = AtomicProperties.read(file);
        if (op.isEmpty()) {
            return Optional.empty();
        }
        Properties p = op.get();
        String kind = p.getProperty("kind");
        String name = p.getProperty("name");
        if (kind == null || name == null || !"IN_FLIGHT".equals(p.getProperty("state"))) {
            throw new IOException("journal " + file + " is not readable (kind/name/state missing)");
        }
        String prev = p.getProperty("previousJar");
        return Optional.of(new Entry(kind, name, p.getProperty("fromVersion"), p.getProperty("toVersion"),
                prev == null ? null : StagingPaths.load(file, prev), Boolean.parseBoolean(p.getProperty("wasActive")),
                p.getProperty("requestId", "?"), Instant.parse(p.getProperty("started", Instant.EPOCH.toString()))));
    }

    void clear() throws IOException {
        Files.deleteIfExists(file);
    }

    private static void put(Properties p, String k, String v) {
        if (v != null) {
            p.setProperty(k, v);
        }
    }
}
