package org.fusebox.config.api;

import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The site's {@code fusebox.*} configurations as one whole. Every change goes through here as a set: the
 * whole set is checked against the Metatype of each configuration first, and either every change is
 * applied or none is. A snapshot is taken before every apply, rollback and import.
 *
 * <p>Secrets (a Metatype PASSWORD attribute, or a property whose name contains one of the configured
 * words such as {@code password} or {@code token}) never leave this service in clear: listings and
 * exports show {@link #MASK}, and a change that carries {@link #MASK} for a secret keeps its current value.
 */
@ProviderType
public interface ConfigurationService {

    /** What a secret looks like in every listing and export. */
    String MASK = "********";

    /** Every {@code fusebox.*} configuration that has properties, ordered by PID, secrets masked. */
    List<ConfigurationRecord> list();

    /** One configuration, secrets masked. */
    Optional<ConfigurationRecord> get(String pid);

    /** Checks a set of changes exactly as {@link #apply} would, without changing anything. */
    ChangeOutcome validate(List<ConfigurationChange> changes);

    /**
     * Applies a set of changes atomically: when any change is invalid nothing is applied and every reason
     * is returned ({@link ChangeOutcome.Status#REFUSED}); when writing one fails midway, those already
     * written are restored ({@link ChangeOutcome.Status#FAILED}).
     */
    ChangeOutcome apply(List<ConfigurationChange> changes);

    /** Deletes one configuration, with a snapshot first. */
    ChangeOutcome delete(String pid);

    /** Takes a snapshot of every {@code fusebox.*} configuration now; the oldest beyond the kept number go. */
    SnapshotInfo snapshot(String reason) throws IOException;

    /** The kept snapshots, oldest first. */
    List<SnapshotInfo> snapshots();

    /**
     * Makes the site configuration what it was at the snapshot (configurations created since are
     * deleted), atomically and under the same rules as {@link #apply}.
     *
     * @throws NoSuchElementException when there is no snapshot with that id
     */
    ChangeOutcome rollback(String snapshotId);

    /**
     * The whole site configuration as one JSON document, secrets masked, ordered by PID and key so that two
     * exports of the same configuration are byte for byte equal.
     */
    String exportSite();

    /**
     * Makes the site configuration the one in the document (as written by {@link #exportSite}):
     * configurations missing from it are deleted, masked secrets keep their current value. Validated and
     * applied atomically, with a snapshot first; a malformed document is refused.
     */
    ChangeOutcome importSite(String document);
}
