package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Hashtable;
import org.apache.karaf.features.FeaturesService;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The CSV price feed, installed into the running demo site and pointed at the real 2023 Belgian
 * day-ahead prices (replayed onto this year), reaches the control core: every snapshot carries the
 * prices in force.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PriceFeedIT extends FuseboxKarafTestSupport {

    private static final String PRICES_PROPERTY = "fusebox.itest.prices.file";

    @Configuration
    public Option[] options() {
        File prices = new File(System.getProperty("fusebox.prices.file", "../../data/day-ahead-prices-BE-2023.csv"));
        if (!prices.isFile()) {
            throw new IllegalStateException("the day-ahead price data is missing at " + prices.getAbsolutePath());
        }
        return withOptions(demoSite(), editConfigurationFilePut("etc/system.properties", PRICES_PROPERTY, prices.getAbsolutePath()));
    }

    @Test
    public void realDayAheadPricesReachTheSnapshot() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        featuresService.installFeature("fusebox-market-csv", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        assertBundleActive("fusebox-market-csv");

        Hashtable<String, Object> props = new Hashtable<>();
        props.put("file", bundleContext.getProperty(PRICES_PROPERTY));
        props.put("shiftToCurrentYear", "true");
        awaitService(ConfigurationAdmin.class).getConfiguration("fusebox.market.csv", null).update(props);

        waitFor("prices in the snapshot", () -> loop.lastCycle().map(r -> !r.snapshot().prices().isEmpty()).orElse(false));
        PriceCurve curve = loop.lastCycle().orElseThrow().snapshot().prices();
        Instant now = loop.lastCycle().orElseThrow().snapshot().timestamp();
        PriceSlot current = curve.at(now).orElseThrow(() -> new AssertionError("no price slot at " + now + ": " + curve.slots().size()));
        assertEquals(Duration.ofHours(1), current.length());
        assertEquals("EUR", current.price().currency().getCurrencyCode());
        // The core asks for the next 48 hours: at least the rest of today is known.
        assertTrue("only " + curve.slots().size() + " slots ahead", curve.slots().size() >= 24);
        waitFor("the feed reporting UP", () -> {
            try {
                for (var ref : bundleContext.getServiceReferences(HealthIndicator.class, null)) {
                    HealthIndicator h = bundleContext.getService(ref);
                    try {
                        if ("market.csv".equals(h.name())) {
                            return h.health().status() == HealthStatus.UP;
                        }
                    } finally {
                        bundleContext.ungetService(ref);
                    }
                }
                return false;
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
