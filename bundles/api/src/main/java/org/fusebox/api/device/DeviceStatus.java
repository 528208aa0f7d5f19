package org.fusebox.api.device;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether a device is usable.
 *
 * @param state  the state
 * @param reason why it is not {@link State#ONLINE}; empty when it is
 * @param since  when it entered this state
 */
public record DeviceStatus(State state, String reason, Instant since) {

    public enum State {
        /** Answering and readings are fresh. */
        ONLINE,
        /** Known to the driver but not answering (connecting, reconnecting). */
        OFFLINE,
        /** Answering with errors or reporting a fault. */
        FAULT
    }

    public DeviceStatus {
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(since, "since");
    }

    public static DeviceStatus online(Instant since) {
        return new DeviceStatus(State.ONLINE, "", since);
    }

    public static DeviceStatus offline(String reason, Instant since) {
        return new DeviceStatus(State.OFFLINE, reason, since);
    }

    public static DeviceStatus fault(String reason, Instant since) {
        return new DeviceStatus(State.FAULT, reason, since);
    }

    public boolean isOnline() {
        return state == State.ONLINE;
    }
}
