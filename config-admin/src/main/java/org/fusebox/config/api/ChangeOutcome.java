package org.fusebox.config.api;

import java.util.List;
import java.util.Objects;

/**
 * What became of a set of changes.
 *
 * @param status     what happened
 * @param problems   every reason it was refused or failed; empty when valid or applied
 * @param notes      things worth knowing that did not stop it (a configuration without Metatype that could
 *                   not be checked, a factory configuration recreated under a new PID)
 * @param changed    the PIDs written or deleted, in order (empty when nothing was applied)
 * @param snapshotId the snapshot taken before applying, or {@code null} when none was taken
 */
public record ChangeOutcome(Status status, List<String> problems, List<String> notes, List<String> changed, String snapshotId) {

    public enum Status {
        /** Checked only, and every change is valid. */
        VALID,
        /** Every change was applied. */
        APPLIED,
        /** At least one change was invalid: nothing was applied. */
        REFUSED,
        /** Writing failed midway: what had been written was restored (see problems for anything that was not). */
        FAILED
    }

    public ChangeOutcome {
        Objects.requireNonNull(status, "status");
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
        changed = List.copyOf(changed);
    }

    public boolean isApplied() {
        return status == Status.APPLIED;
    }
}
