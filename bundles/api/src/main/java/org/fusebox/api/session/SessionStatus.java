package org.fusebox.api.session;

/**
 * Where a charging session stands.
 *
 * @since 1.0
 */
public enum SessionStatus {
    /** The EV is charging or may still charge. */
    ACTIVE,
    /** The charger said the session ended (it went Finishing or Available, or a new session began). */
    FINISHED,
    /**
     * The session ended while the gateway could not see it (the gateway was down, or the charger was gone
     * for longer than the recorder waits): its end is the last time it was seen, and energy drawn after
     * that is not in the record.
     */
    LOST
}
