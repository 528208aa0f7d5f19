package org.fusebox.api.driver;

import java.util.Map;
import java.util.Objects;

/**
 * A named value on a device, with the driver-specific address in {@code config} (for Modbus: register
 * type, address, encoding, scale).
 *
 * @param name      unique within the device
 * @param type      read, write or both
 * @param valueType the decoded type
 * @param config    driver-specific addressing, immutable
 */
public record Channel(String name, ChannelType type, DataType valueType, Map<String, Object> config) {
    public Channel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(valueType, "valueType");
        config = Map.copyOf(config);
    }
}
