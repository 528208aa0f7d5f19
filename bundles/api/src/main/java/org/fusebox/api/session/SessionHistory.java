package org.fusebox.api.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The charging sessions the gateway recorded, registered by the session recorder. Answers never block on
 * devices; every list is ordered by session start.
 *
 * @since 1.0
 */
@ProviderType
public interface SessionHistory {

    /** Sessions overlapping {@code [from, to)}, active ones included. */
    List<ChargingSession> sessions(Instant from, Instant to);

    /** Sessions of one driver's id tag overlapping {@code [from, to)}. */
    List<ChargingSession> sessions(String idTag, Instant from, Instant to);

    /** The session with that id. */
    Optional<ChargingSession> session(String id);

    /** The active session of a connector, when there is one. */
    Optional<ChargingSession> active(ConnectorRef connector);

    /** Every active session. */
    List<ChargingSession> active();
}
