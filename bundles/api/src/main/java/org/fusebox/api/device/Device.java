package org.fusebox.api.device;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A field device seen by the control core. Implemented by drivers (ours and third parties').
 */
@ConsumerType
public interface Device {

    /** Service property naming the device id, so consumers can filter without calling the service. */
    String DEVICE_ID_PROPERTY = "fusebox.device.id";

    /** Unique on the site and stable across restarts and upgrades (usually from configuration). */
    String id();

    /** A name for people. */
    default String displayName() {
        return id();
    }

    /** Whether the device is answering, and if not, why. */
    DeviceStatus status();

    /**
     * Asks to be told whenever this device has a new reading. Drivers that poll faster than the control
     * cycle call listeners so the core can react to an overload at once. The default keeps no listeners,
     * which is correct for devices that only change when told to.
     */
    default void addReadingListener(ReadingListener listener) {
    }

    default void removeReadingListener(ReadingListener listener) {
    }
}
