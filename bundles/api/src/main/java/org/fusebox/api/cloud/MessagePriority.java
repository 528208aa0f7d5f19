package org.fusebox.api.cloud;

/**
 * What is kept and sent first when the link is down and storage fills. Replies and lifecycle messages are
 * never dropped for telemetry.
 */
public enum MessagePriority {
    /** Replies to remote requests, birth and death. */
    LIFECYCLE,
    /** Alarms and events. */
    EVENT,
    /** Periodic telemetry: the first to go when space runs out. */
    TELEMETRY
}
