package org.fusebox.api.driver;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of reading or writing one channel.
 *
 * @param channel   the channel
 * @param value     the value read or written; {@code null} when the operation failed
 * @param error     why it failed; {@code null} on success
 * @param timestamp when the operation completed
 */
public record ChannelRecord(Channel channel, TypedValue value, String error, Instant timestamp) {

    public ChannelRecord {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(timestamp, "timestamp");
        if ((value == null) == (error == null)) {
            throw new IllegalArgumentException("a channel record has either a value or an error");
        }
    }

    public static ChannelRecord success(Channel channel, TypedValue value, Instant timestamp) {
        return new ChannelRecord(channel, value, null, timestamp);
    }

    public static ChannelRecord failure(Channel channel, String error, Instant timestamp) {
        return new ChannelRecord(channel, null, error, timestamp);
    }

    public boolean succeeded() {
        return error == null;
    }
}
