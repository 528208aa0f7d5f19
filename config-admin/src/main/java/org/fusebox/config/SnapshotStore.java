package org.fusebox.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;
import org.fusebox.config.api.SnapshotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of the site configuration, one JSON file each in one directory, the newest {@code keep} kept.
 * A snapshot is written to a temporary file, flushed to disk and then renamed, so a crash mid-write leaves
 * at worst a temporary file, which is never listed and is removed by the next write. Snapshots hold
 * secrets in clear (a rollback must restore them), so files are readable by their owner only where the
 * file system allows it.
 */
final class SnapshotStore {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    private static final DateTimeFormatter ID_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern ID = Pattern.compile("\\d{8}T\\d{9}Z");
    static final String SUFFIX = ".json";
    static final String TEMP_SUFFIX = ".json.tmp";

    /** Moves the finished temporary file into place; replaceable in tests to stand for a crash. */
    interface Finisher {
        void finish(Path temp, Path target) throws IOException;
    }

    private final Path directory;
    private final int keep;
    private final Clock clock;
    private Finisher finisher = SnapshotStore::moveAtomically;
    private long lastMillis = Long.MIN_VALUE;

    SnapshotStore(Path directory, int keep, Clock clock) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, got " + keep);
        }
        this.directory = directory;
        this.keep = keep;
        this.clock = clock;
    }

    Path directory() {
        return directory;
    }

    synchronized void finisher(Finisher f) {
        finisher = f;
    }

    static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** Writes a snapshot of these configurations and removes the oldest beyond the kept number. */
    synchronized SnapshotInfo write(List<SiteDocument.Entry> entries, String reason) throws IOException {
        createDirectory();
        Instant created = nextInstant();
        SnapshotInfo info = new SnapshotInfo(ID_FORMAT.format(created), created, reason, entries.size());
        byte[] bytes = SiteDocument.write(entries, info).getBytes(StandardCharsets.UTF_8);
        Path temp = directory.resolve(info.id() + TEMP_SUFFIX);
        Path target = directory.resolve(info.id() + SUFFIX);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ownerOnly(temp, "rw-------");
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
        finisher.finish(temp, target);
        syncDirectory();
        prune();
        return info;
    }

    /** Ids follow time and never repeat, even when two snapshots fall in the same millisecond. */
    private Instant nextInstant() {
        if (lastMillis == Long.MIN_VALUE) {
            lastMillis = ids().stream().map(SnapshotStore::parseId).mapToLong(Instant::toEpochMilli).max().orElse(Long.MIN_VALUE + 1);
        }
        long now = Math.max(clock.millis(), lastMillis + 1);
        lastMillis = now;
        return Instant.ofEpochMilli(now);
    }

    private static Instant parseId(String id) {
        return Instant.from(ID_FORMAT.parse(id));
    }

    /** The kept snapshots, oldest first; a file that cannot be read is logged and left out. */
    synchronized List<SnapshotInfo> list() {
        List<SnapshotInfo> out = new ArrayList<>();
        for (String id : ids()) {
            try {
                out.add(read(id).snapshot());
            } catch (IOException | SiteDocument.InvalidDocumentException e) {
                LOG.warn("Snapshot {} in {} cannot be read and is left out: {}", id, directory, e.getMessage());
            }
        }
        return out;
    }

    /**
     * @throws NoSuchElementException when there is no snapshot with this id
     * @throws SiteDocument.InvalidDocumentException when its file is damaged
     */
    synchronized SiteDocument.Parsed read(String id) throws IOException, SiteDocument.InvalidDocumentException {
        if (!isId(id)) {
            throw new NoSuchElementException("no snapshot '" + id + "'");
        }
        Path file = directory.resolve(id + SUFFIX);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchElementException("no snapshot '" + id + "'");
        }
        SiteDocument.Parsed parsed = SiteDocument.read(Files.readString(file, StandardCharsets.UTF_8), false);
        if (parsed.snapshot() == null || !id.equals(parsed.snapshot().id())) {
            throw new SiteDocument.InvalidDocumentException(List.of("snapshot " + id + " has no matching header"));
        }
        return parsed;
    }

    /** Ids of finished snapshot files, oldest first; temporary files are not snapshots. */
    private List<String> ids() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return ids;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String id = name.substring(0, name.length() - SUFFIX.length());
                if (isId(id) && Files.isRegularFile(f)) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list snapshots in {}: {}", directory, e.toString());
        }
        ids.sort(null); // the id format sorts like time
        return ids;
    }

    private void prune() {
        List<String> ids = ids();
        for (int i = 0; i < ids.size() - keep; i++) {
            deleteQuietly(directory.resolve(ids.get(i) + SUFFIX));
        }
        // writes are serialised here, so any temporary file left now is from a write that never finished
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(directory, "*" + TEMP_SUFFIX)) {
            for (Path t : temps) {
                deleteQuietly(t);
            }
        } catch (IOException e) {
            LOG.warn("Cannot clean temporary files in {}: {}", directory, e.toString());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", file, e.toString());
        }
    }

    private void createDirectory() throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            ownerOnly(directory, "rwx------");
        }
    }

    private static void ownerOnly(Path path, String permissions) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the directory's own protection applies
        }
    }

    private static void moveAtomically(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename itself durable; not every platform can open a directory for this. */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot sync directory {}: {}", directory, e.toString());
        }
    }
}
