package org.fusebox.management;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * For each bundle or feature this service changed, the version before the change, so that it can be restored;
 * and for each bundle it installed or upgraded, the version it put there, so that a later change behind its back
 * (a Karaf feature operation putting the feature's own version back) is noticed.
 */
final class UpgradeHistory {

    /**
     * @param version the version to go back to, or null when there was none (a fresh install: rolling back removes it)
     * @param jar     for a bundle: the saved bytes of that version
     */
    record Previous(String version, Path jar) {
    }

    /** The version this service installed or upgraded a bundle to, and the request that did it. */
    record Placed(String version, String requestId) {
    }

    // own prefix: "bundle.<bsn>.…" keys could collide with bundle names that contain dots
    private static final String PLACED = "placed.";
    private static final String PLACED_VERSION = ".version";
    private static final String PLACED_REQUEST = ".requestId";

    private final Path file;

    UpgradeHistory(Path file) {
        this.file = file;
    }

    synchronized Optional<Previous> previous(String kind, String name) throws IOException {
        Properties p = load();
        String key = kind + "." + name;
        if (!p.containsKey(key + ".known")) {
            return Optional.empty();
        }
        String jar = p.getProperty(key + ".jar");
        return Optional.of(new Previous(p.getProperty(key + ".version"), jar == null ? null : StagingPaths.load(file, jar)));
    }

    /**
     * After a change of a bundle, in one atomic write: the version to roll back to, and the version this service
     * now stands for ({@code placed}), or null after its own rollback or removal (nothing to watch any more).
     */
    synchronized void recordBundle(String symbolicName, Previous previous, Placed placed) throws IOException {
        Properties p = load();
        putPrevious(p, BundleDeployer.KIND, symbolicName, previous);
        forgetPlaced(p, symbolicName);
        if (placed != null) {
            p.setProperty(PLACED + symbolicName + PLACED_VERSION, placed.version());
            p.setProperty(PLACED + symbolicName + PLACED_REQUEST, placed.requestId());
        }
        store(p);
    }

    /**
     * After a change of a feature, in one atomic write: the version to roll back to; the feature's bundles are the
     * feature's again, so what this service had put in place of them is forgotten.
     */
    synchronized void recordFeature(String name, Previous previous, Collection<String> memberBundles) throws IOException {
        Properties p = load();
        putPrevious(p, FeatureDeployer.KIND, name, previous);
        memberBundles.forEach(bsn -> forgetPlaced(p, bsn));
        store(p);
    }

    /** Symbolic name -> the version this service put there. */
    synchronized Map<String, Placed> placed() throws IOException {
        Properties p = load();
        Map<String, Placed> out = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith(PLACED) && k.endsWith(PLACED_VERSION) && k.length() > PLACED.length() + PLACED_VERSION.length()) {
                String bsn = k.substring(PLACED.length(), k.length() - PLACED_VERSION.length());
                out.put(bsn, new Placed(p.getProperty(k), p.getProperty(PLACED + bsn + PLACED_REQUEST, "?")));
            }
        }
        return out;
    }

    private Properties load() throws IOException {
        return AtomicProperties.read(file).orElseGet(Properties::new);
    }

    private void store(Properties p) throws IOException {
        AtomicProperties.write(file, p, "fusebox-management: versions to roll back to, versions put in place");
    }

    private void putPrevious(Properties p, String kind, String name, Previous previous) {
        String key = kind + "." + name;
        p.setProperty(key + ".known", "true");
        p.remove(key + ".version");
        p.remove(key + ".jar");
        if (previous.version() != null) {
            p.setProperty(key + ".version", previous.version());
        }
        if (previous.jar() != null) {
            p.setProperty(key + ".jar", StagingPaths.store(file, previous.jar()));
        }
    }

    private static void forgetPlaced(Properties p, String symbolicName) {
        p.remove(PLACED + symbolicName + PLACED_VERSION);
        p.remove(PLACED + symbolicName + PLACED_REQUEST);
    }
}
