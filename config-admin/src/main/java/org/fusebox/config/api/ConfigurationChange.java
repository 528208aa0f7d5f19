package org.fusebox.config.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One change in a set: the whole new properties of a configuration (what is not given goes back to the
 * component's default), or its deletion.
 *
 * @param pid        the configuration's PID; a new factory configuration is best named
 *                   {@code <factoryPid>~<name>} so that the same PID is found again on every site
 * @param factoryPid the factory PID when the change may create a factory configuration, else {@code null}
 * @param properties the new properties (empty for a deletion); a secret given as
 *                   {@link ConfigurationService#MASK} keeps its current value
 * @param delete     whether the configuration is deleted
 */
public record ConfigurationChange(String pid, String factoryPid, Map<String, Object> properties, boolean delete) {

    public ConfigurationChange {
        Objects.requireNonNull(pid, "pid");
        // a null value is kept so that validation can name it instead of failing here
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties == null ? Map.of() : properties));
    }

    public static ConfigurationChange set(String pid, Map<String, Object> properties) {
        return new ConfigurationChange(pid, null, properties, false);
    }

    public static ConfigurationChange setFactory(String factoryPid, String pid, Map<String, Object> properties) {
        return new ConfigurationChange(pid, factoryPid, properties, false);
    }

    public static ConfigurationChange delete(String pid) {
        return new ConfigurationChange(pid, null, Map.of(), true);
    }
}
