package org.fusebox.api.device;

import org.osgi.annotation.versioning.ConsumerType;

/** Told when a device has a new reading. Must return quickly; it may be called on the driver's poll thread. */
@ConsumerType
@FunctionalInterface
public interface ReadingListener {
    void readingUpdated(Device device);
}
