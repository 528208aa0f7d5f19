package org.fusebox.api.driver;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Talks one protocol to one device. Implementations are thread-safe and keep at most one connection.
 */
@ConsumerType
public interface Driver {

    String id();

    /** Opens the connection if it is not open. */
    void connect() throws ConnectionException;

    /** Closes the connection; a later read or write reconnects. */
    void disconnect();

    /** Reads the channels; one record per channel, in order. */
    List<ChannelRecord> read(List<Channel> channels) throws ConnectionException;

    /**
     * Writes the values; one record per value, in order, each telling whether the device accepted it.
     */
    List<ChannelRecord> write(List<ChannelRecord> values) throws ConnectionException;

    /** Plans a repeated read. The default plans nothing and reads channel by channel. */
    default PreparedRead prepareRead(List<Channel> channels) {
        List<Channel> fixed = List.copyOf(channels);
        return new PreparedRead() {
            @Override
            public List<Channel> channels() {
                return fixed;
            }

            @Override
            public List<ChannelRecord> execute() throws ConnectionException {
                return read(fixed);
            }

            @Override
            public void close() {
            }
        };
    }

    /** Watches a channel for pushed changes, where the protocol has them. */
    default void addChannelListener(Channel channel, ChannelListener listener) {
        throw new UnsupportedOperationException(id() + " does not push channel changes");
    }

    default void removeChannelListener(Channel channel, ChannelListener listener) {
    }
}
