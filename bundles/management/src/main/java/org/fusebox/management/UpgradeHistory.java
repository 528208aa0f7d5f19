package org.fusebox.management;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/** For each bundle or feature this service changed, the version before the change, so that it can be restored. */
final class UpgradeHistory {

    /**
     * @param version the version to go back to, or null when there was none (a fresh install: rolling back removes it)
     * @param jar     for a bundle: the saved bytes of that version
     */
    record Previous(String version, Path jar) {
    }

    private final Path file;

    UpgradeHistory(Path file) {
        this.file = file;
    }

    synchronized Optional<Previous> previous(String kind, String name) throws IOException {
        Properties p = AtomicProperties.read(file).orElseGet(Properties::new);
        String key = kind + "." + name;
        if (!p.containsKey(key + ".known")) {
            return Optional.empty();
        }
        String jar = p.getProperty(key + ".jar");
        return Optional.of(new Previous(p.getProperty(key + ".version"), jar == null ? null : Path.of(jar)));
    }

    synchronized void record(String kind, String name, Previous previous) throws IOException {
        Properties p = AtomicProperties.read(file).orElseGet(Properties::new);
        String key = kind + "." + name;
        p.setProperty(key + ".known", "true");
        p.remove(key + ".version");
        p.remove(key + ".jar");
        if (previous.version() != null) {
            p.setProperty(key + ".version", previous.version());
        }
        if (previous.jar() != null) {
            p.setProperty(key + ".jar", previous.jar().toString());
        }
        AtomicProperties.write(file, p, "fusebox-management: versions to roll back to");
    }
}
