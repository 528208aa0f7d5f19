package org.fusebox.management;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What the deploy handler needs from Karaf's FeaturesService, behind an interface of our own so that the
 * upgrade logic is testable without Karaf and the bundle runs where Karaf's features are absent.
 */
interface FeatureOps {

    record FeatureInfo(String name, String version, boolean installed, String state) {
    }

    /** Every feature Karaf knows whose name starts with {@code fusebox}. */
    List<FeatureInfo> fuseboxFeatures() throws Exception;

    Optional<String> installedVersion(String name) throws Exception;

    boolean exists(String name, String version) throws Exception;

    /** Registers a features repository (already verified) so its features can be installed. */
    void addRepository(URI repository) throws Exception;

    /** Installs the version, replacing any other installed version of it, refreshing no bundle. */
    void install(String name, String version) throws Exception;

    void uninstall(String name, String version) throws Exception;

    /**
     * Makes Karaf read its bundle overrides again ({@code etc/overrides.properties}) and apply them to the installed
     * features, refreshing no bundle.
     */
    void refreshOverrides() throws Exception;

    /** Locations of the feature's bundles, to find them among the installed ones. */
    List<String> bundleLocations(String name, String version) throws Exception;
}
