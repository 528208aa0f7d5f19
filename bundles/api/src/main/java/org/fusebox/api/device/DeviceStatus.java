package org.fusebox.api.device;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether a device is usable.
 *
 * @param state  the state
 * @param reason why it is not {@link State#ONLINE}, or why an online device is stale; empty otherwise
 * @param since  when it entered this state
 * @param stale  {@code true} while an {@link State#ONLINE} device hands out its last good reading because
 *               the latest poll failed (one dropped reply, a timeout); {@code reason} then says why. The
 *               reading keeps its own timestamp, so consumers judge its age as usual; a driver stops
 *               reporting stale and goes {@link State#OFFLINE} once the reading is too old to use.
 */
public record DeviceStatus(State state, String reason, Instant since, boolean stale) {

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
        if (stale && state != State.ONLINE) {
            throw new IllegalArgumentException("only an ONLINE device can be stale, not " + state);
        }
    }

    /** A status that is not stale. */
    public DeviceStatus(State state, String reason, Instant since) {
        this(state, reason, since, false);
    }

    /** Online, but handing out its last good reading since {@code since} because the latest poll failed. */
    public static DeviceStatus stale(String reason, Instant since) {
        return new DeviceStatus(State.ONLINE, reason, since, true);
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
