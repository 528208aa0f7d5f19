package org.fusebox.management.shell;

import java.nio.file.Path;
import org.apache.karaf.shell.api.console.Session;

/** File arguments of the console commands. */
final class SessionPaths {

    private SessionPaths() {
    }

    /**
     * Relative to the console's current directory (what {@code cd} and file completion use), not the JVM's working
     * directory, which an operator at the console cannot see. Without a session (tests), as given.
     */
    static Path resolve(Session session, String path) {
        Path p = Path.of(path);
        return session == null || p.isAbsolute() ? p : session.currentDir().resolve(p).normalize();
    }
}
