package org.fusebox.config.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A kept snapshot of the site configuration.
 *
 * @param id             its id, ordered like the time it was taken
 * @param created        when it was taken
 * @param reason         why, e.g. {@code before apply} or an operator's words
 * @param configurations how many configurations it holds
 */
public record SnapshotInfo(String id, Instant created, String reason, int configurations) {

    public SnapshotInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(created, "created");
        reason = reason == null ? "" : reason;
    }
}
