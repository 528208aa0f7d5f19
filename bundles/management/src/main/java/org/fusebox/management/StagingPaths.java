package org.fusebox.management;

import java.nio.file.Path;

/**
 * How the journal and the history name files they keep: relative to their own folder when the file is inside
 * it, so that an installation moved or restored elsewhere still finds its kept jars; absolute otherwise (and
 * as written by earlier versions, which are still read).
 */
final class StagingPaths {

    private StagingPaths() {
    }

    /** The text to store for {@code target}, written in the properties file {@code owner}. */
    static String store(Path owner, Path target) {
        Path dir = owner.toAbsolutePath().getParent();
        Path abs = target.toAbsolutePath().normalize();
        if (dir != null && abs.startsWith(dir.normalize())) {
            return dir.normalize().relativize(abs).toString().replace('\\', '/');
        }
        return abs.toString();
    }

    /** The file named by {@code stored}, read from the properties file {@code owner}. */
    static Path load(Path owner, String stored) {
        Path p = Path.of(stored);
        if (p.isAbsolute()) {
            return p;
        }
        Path dir = owner.toAbsolutePath().getParent();
        return dir == null ? p : dir.resolve(p).normalize();
    }
}
