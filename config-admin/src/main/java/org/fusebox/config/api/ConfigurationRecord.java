package org.fusebox.config.api;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One configuration as this service shows it.
 *
 * @param pid        its PID
 * @param factoryPid the factory PID of a factory configuration, or {@code null}
 * @param properties its properties ordered by key, without the keys Config Admin and file install add,
 *                   secrets replaced by {@link ConfigurationService#MASK}
 */
public record ConfigurationRecord(String pid, String factoryPid, Map<String, Object> properties) {

    public ConfigurationRecord {
        Objects.requireNonNull(pid, "pid");
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }
}
