package org.fusebox.api.driver;

import java.util.List;

/**
 * A read of a fixed set of channels that the driver has planned once (grouped into as few protocol
 * requests as it can) and can execute many times cheaply.
 */
public interface PreparedRead extends AutoCloseable {

    List<Channel> channels();

    /** One record per channel, in order; a failed channel has an error, the others still have values. */
    List<ChannelRecord> execute() throws ConnectionException;

    @Override
    void close();
}
