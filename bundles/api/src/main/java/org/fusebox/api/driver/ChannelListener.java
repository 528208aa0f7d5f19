package org.fusebox.api.driver;

import org.osgi.annotation.versioning.ConsumerType;

/** Told when a channel the driver watches changes (for protocols that push values). */
@ConsumerType
@FunctionalInterface
public interface ChannelListener {
    void channelChanged(ChannelRecord record);
}
