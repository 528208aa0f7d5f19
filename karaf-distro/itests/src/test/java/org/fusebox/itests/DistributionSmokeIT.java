package org.fusebox.itests;

import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The distribution as shipped boots, and the demo site is up. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionSmokeIT extends FuseboxKarafTestSupport {

    /** Bundles of fusebox-demo that must be ACTIVE once the distribution has booted. */
    static final List<String> DEMO_BUNDLES = List.of(
            "fusebox-api", "fusebox-core", "fusebox-optimiser-fuse", "fusebox-simulator", "fusebox-driver-modbus", "fusebox-driver-ocpp",
            "fusebox-web-security", "fusebox-rest", "fusebox-shell", "fusebox-config", "fusebox-web");

    @Configuration
    public Option[] options() {
        return demoSite();
    }

    @Test
    public void apiBundleIsActive() {
        assertBundleActive("fusebox-api");
    }

    @Test
    public void demoSiteCapabilitiesAreInstalledAndEveryBundleActive() throws Exception {
        for (String feature : DEMO_CAPABILITIES) {
            assertTrue(feature + " not installed; installed fusebox bundles: " + fuseboxBundles(),
                    featuresService.isInstalled(featuresService.getFeature(feature)));
        }
        for (String name : DEMO_BUNDLES) {
            assertBundleActive(name);
        }
    }

    @Test
    public void everyFuseboxFeatureIsKnownOffline() throws Exception {
        for (String name : FUSEBOX_FEATURES) {
            assertTrue(name + " is not in a registered features repository",
                    featuresService.getFeature(name) != null);
        }
    }
}
