package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * Each Fusebox feature installs ALONE, offline, into the distribution booted without any Fusebox
 * feature; its bundles become ACTIVE; installing and uninstalling it stops, starts or refreshes
 * no bundle that was there before; uninstalling removes what it installed.
 *
 * <p>One container for the class: every test returns it to the platform-only baseline, which
 * {@link #baselineIsPlatformOnly()} checks before each test.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FeatureInstallIT extends FuseboxKarafTestSupport {

    private static final EnumSet<FeaturesService.Option> NO_REFRESH =
            EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);

    @Configuration
    public Option[] options() {
        return platformOnly();
    }

    @Before
    public void baselineIsPlatformOnly() {
        assertEquals("a Fusebox bundle is installed before the test:\n" + bundleReport(),
                List.of(), fuseboxBundles());
    }

    /** Leaves the baseline for the next test even when this one failed half-way. */
    @After
    public void uninstallFuseboxFeatures() throws Exception {
        for (String name : FUSEBOX_FEATURES) {
            Feature f = featuresService.getFeature(name);
            if (f != null && featuresService.isInstalled(f)) {
                featuresService.uninstallFeature(name, NO_REFRESH);
            }
        }
    }

    @Test
    public void api() throws Exception {
        installAloneAndUninstall("fusebox-api", "fusebox-api");
    }

    @Test
    public void core() throws Exception {
        installAloneAndUninstall("fusebox-core", "fusebox-api", "fusebox-core");
    }

    @Test
    public void optimiserFuse() throws Exception {
        installAloneAndUninstall("fusebox-optimiser-fuse", "fusebox-api", "fusebox-optimiser-fuse");
    }

    @Test
    public void simulator() throws Exception {
        installAloneAndUninstall("fusebox-simulator", "fusebox-api", "fusebox-simulator");
    }

    @Test
    public void rest() throws Exception {
        installAloneAndUninstall("fusebox-rest", "fusebox-api", "fusebox-rest");
    }

    @Test
    public void web() throws Exception {
        installAloneAndUninstall("fusebox-web", "fusebox-api", "fusebox-rest", "fusebox-config", "fusebox-web");
    }

    @Test
    public void shell() throws Exception {
        installAloneAndUninstall("fusebox-shell", "fusebox-api", "fusebox-shell");
    }

    @Test
    public void configAdmin() throws Exception {
        installAloneAndUninstall("fusebox-config", "fusebox-api", "fusebox-config");
    }

    @Test
    public void marketCsv() throws Exception {
        installAloneAndUninstall("fusebox-market-csv", "fusebox-api", "fusebox-market-csv");
    }

    @Test
    public void webSecurity() throws Exception {
        installAloneAndUninstall("fusebox-web-security", "fusebox-web-security");
    }

    @Test
    public void marketEntsoe() throws Exception {
        installAloneAndUninstall("fusebox-market-entsoe", "fusebox-api", "fusebox-market-support", "fusebox-market-entsoe");
    }

    @Test
    public void marketAwattar() throws Exception {
        installAloneAndUninstall("fusebox-market-awattar", "fusebox-api", "fusebox-market-support", "fusebox-market-awattar");
    }

    @Test
    public void marketEnergyCharts() throws Exception {
        installAloneAndUninstall("fusebox-market-energycharts", "fusebox-api", "fusebox-market-support", "fusebox-market-energycharts");
    }

    @Test
    public void marketCaiso() throws Exception {
        installAloneAndUninstall("fusebox-market-caiso", "fusebox-api", "fusebox-market-support", "fusebox-market-caiso");
    }

    @Test
    public void marketPjm() throws Exception {
        installAloneAndUninstall("fusebox-market-pjm", "fusebox-api", "fusebox-market-support", "fusebox-market-pjm");
    }

    @Test
    public void tariff() throws Exception {
        installAloneAndUninstall("fusebox-tariff", "fusebox-api", "fusebox-tariff");
    }

    @Test
    public void marketTibber() throws Exception {
        installAloneAndUninstall("fusebox-market-tibber", "fusebox-api", "fusebox-market-support", "fusebox-market-tibber");
    }

    @Test
    public void marketNordpool() throws Exception {
        installAloneAndUninstall("fusebox-market-nordpool", "fusebox-api", "fusebox-market-support", "fusebox-market-nordpool");
    }

    @Test
    public void gridOpenadr() throws Exception {
        installAloneAndUninstall("fusebox-grid-openadr", "fusebox-api", "fusebox-grid-openadr");
    }

    @Test
    public void vpp() throws Exception {
        installAloneAndUninstall("fusebox-vpp", "fusebox-api", "fusebox-vpp");
    }

    @Test
    public void optimiserFfr() throws Exception {
        installAloneAndUninstall("fusebox-optimiser-ffr", "fusebox-api", "fusebox-optimiser-ffr");
    }

    @Test
    public void sessions() throws Exception {
        installAloneAndUninstall("fusebox-sessions", "fusebox-api", "fusebox-sessions");
    }

    @Test
    public void history() throws Exception {
        installAloneAndUninstall("fusebox-history", "fusebox-api", "rrd4j", "fusebox-history");
    }

    @Test
    public void metrics() throws Exception {
        installAloneAndUninstall("fusebox-metrics", "fusebox-api", "io.prometheus.metrics-exporter-servlet-javax", "fusebox-metrics");
    }

    @Test
    public void optimiserEvDeadline() throws Exception {
        installAloneAndUninstall("fusebox-optimiser-ev-deadline", "fusebox-api", "fusebox-optimiser-ev-deadline");
    }

    @Test
    public void driverModbus() throws Exception {
        installAloneAndUninstall("fusebox-driver-modbus", "fusebox-api", "com.ghgande.j2mod", "fusebox-driver-modbus");
    }

    @Test
    public void forecastSimple() throws Exception {
        installAloneAndUninstall("fusebox-forecast-simple", "fusebox-api", "fusebox-forecast-simple");
    }

    @Test
    public void optimiserBattery() throws Exception {
        installAloneAndUninstall("fusebox-optimiser-battery", "fusebox-api", "fusebox-optimiser-battery");
    }

    @Test
    public void optimiserPeakShaving() throws Exception {
        installAloneAndUninstall("fusebox-optimiser-peak-shaving", "fusebox-api", "fusebox-optimiser-peak-shaving");
    }

    @Test
    public void optimiserAudit() throws Exception {
        installAloneAndUninstall("fusebox-optimiser-audit", "fusebox-api", "fusebox-optimiser-audit");
    }

    @Test
    public void driverOcpp() throws Exception {
        installAloneAndUninstall("fusebox-driver-ocpp", "fusebox-api", "Java-WebSocket", "fusebox-driver-ocpp");
    }

    @Test
    public void cloudMqtt() throws Exception {
        installAloneAndUninstall("fusebox-cloud-mqtt", "fusebox-api", "org.eclipse.paho.client.mqttv3", "fusebox-cloud-mqtt");
    }

    @Test
    public void management() throws Exception {
        installAloneAndUninstall("fusebox-management", "fusebox-api", "fusebox-management");
    }

    @Test
    public void demo() throws Exception {
        installAloneAndUninstall("fusebox-demo", DistributionSmokeIT.DEMO_BUNDLES.toArray(new String[0]));
    }

    /**
     * Installs {@code feature} with NoAutoRefreshBundles, checks that {@code expectedBundles} and every
     * non-dependency bundle of the feature are ACTIVE and that no bundle present before was disturbed,
     * then uninstalls it the same way and checks the runtime is back to what it was.
     */
    protected void installAloneAndUninstall(String feature, String... expectedBundles) throws Exception {
        Feature f = featuresService.getFeature(feature);
        assertNotNull(feature + " is not known to the features service", f);
        assertFalse(feature + " is already installed", featuresService.isInstalled(f));

        Set<String> namesBefore = bundleNames();

        try (BundleEventRecorder recorder = BundleEventRecorder.open(bundleContext)) {
            featuresService.installFeature(feature, NO_REFRESH);
            recorder.assertBaselineUntouched("installing " + feature);

            assertTrue(feature + " not reported installed", featuresService.isInstalled(f));
            for (String name : expectedBundles) {
                assertBundleActive(name);
            }
            for (BundleInfo info : f.getBundles()) {
                if (!info.isDependency()) {
                    Bundle b = bundleAt(info.getLocation());
                    assertNotNull(info.getLocation() + " not installed", b);
                    waitFor(b.getSymbolicName() + " ACTIVE", () -> b.getState() == Bundle.ACTIVE);
                }
            }
            // DS components may still be activating when install returns: give them the timeout,
            // then the platform must still not have been touched.
            recorder.assertBaselineUntouched("installing " + feature + " (after activation)");

            recorder.clear();
            featuresService.uninstallFeature(feature, NO_REFRESH);
            recorder.assertBaselineUntouched("uninstalling " + feature);
        }

        assertFalse(feature + " still reported installed", featuresService.isInstalled(f));
        Set<String> left = bundleNames();
        left.removeAll(namesBefore);
        assertEquals("bundles left behind by " + feature + "\n" + bundleReport(), Set.of(), left);
    }

    private Bundle bundleAt(String location) {
        // Karaf may install with the location as written in the feature (mvn:...) 
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> location.equals(b.getLocation()))
                .findFirst()
                .orElse(null);
    }

    private Set<String> bundleNames() {
        return Arrays.stream(bundleContext.getBundles()).map(b -> b.getSymbolicName() + "/" + b.getVersion())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
