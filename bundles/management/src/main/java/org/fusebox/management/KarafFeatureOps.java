package org.fusebox.management;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link FeatureOps} on Karaf's FeaturesService. Installs never let Karaf refresh bundles on its own
 * ({@code NoAutoRefreshBundles}); the deployer refreshes only what the feature's bundles need.
 */
@Component(service = FeatureOps.class)
public final class KarafFeatureOps implements FeatureOps {

    private static final EnumSet<FeaturesService.Option> INSTALL =
            EnumSet.of(FeaturesService.Option.Upgrade, FeaturesService.Option.NoAutoRefreshBundles);

    private final FeaturesService features;

    @Activate
    public KarafFeatureOps(@Reference FeaturesService features) {
        this.features = features;
    }

    @Override
    public List<FeatureInfo> fuseboxFeatures() throws Exception {
        List<FeatureInfo> out = new ArrayList<>();
        for (Feature f : features.listFeatures()) {
            if (f.getName().startsWith("fusebox")) {
                out.add(new FeatureInfo(f.getName(), f.getVersion(), features.isInstalled(f),
                        String.valueOf(features.getState(f.getId()))));
            }
        }
        out.sort((a, b) -> a.name().equals(b.name()) ? a.version().compareTo(b.version()) : a.name().compareTo(b.name()));
        return out;
    }

    @Override
    public Optional<String> installedVersion(String name) throws Exception {
        for (Feature f : features.listInstalledFeatures()) {
            if (f.getName().equals(name)) {
                return Optional.of(f.getVersion());
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean exists(String name, String version) throws Exception {
        Feature[] found = features.getFeatures(name, version);
        return found != null && found.length > 0;
    }

    @Override
    public void addRepository(URI repository) throws Exception {
        features.addRepository(repository);
    }

    @Override
    public void install(String name, String version) throws Exception {
        features.installFeature(name, version, INSTALL);
    }

    @Override
    public void uninstall(String name, String version) throws Exception {
        features.uninstallFeature(name, version, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
    }

    @Override
    public void refreshOverrides() throws Exception {
        features.refreshFeatures(EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
    }

    @Override
    public List<String> bundleLocations(String name, String version) throws Exception {
        List<String> out = new ArrayList<>();
        Feature f = features.getFeature(name, version);
        if (f != null) {
            for (BundleInfo b : f.getBundles()) {
                out.add(b.getLocation());
            }
        }
        return out;
    }
}
