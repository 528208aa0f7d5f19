package org.fusebox.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code etc/fusebox.*.cfg} file as file install sees it: the PID its name gives, and either the
 * properties it holds or why it cannot be read.
 *
 * @param file       the file
 * @param pid        the PID file install gives it: {@code fusebox.core} for {@code fusebox.core.cfg},
 *                   {@code fusebox.driver.modbus~grid} for {@code fusebox.driver.modbus-grid.cfg}
 * @param factoryPid the factory PID for a {@code <factoryPid>-<name>.cfg} file, otherwise null
 * @param properties what it holds; empty when it cannot be read
 * @param error      why it cannot be read, with the line, when it cannot
 */
record ConfigFile(Path file, String pid, String factoryPid, Map<String, Object> properties, Optional<String> error) {

    String fileName() {
        return file.getFileName().toString();
    }

    /** The PID a Metatype definition is looked up by. */
    String definingPid() {
        return factoryPid != null ? factoryPid : pid;
    }
}
