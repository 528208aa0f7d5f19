package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import org.apache.karaf.features.FeaturesService;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.session.SessionHistory;
import org.fusebox.api.session.SlotEnergy;
import org.fusebox.api.units.Money;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The demo site with real day-ahead prices (fusebox-market-csv) and the session recorder: the simulated EVs'
 * OCPP sessions are metered from their energy registers, priced per slot, shown in /site, and listed in the
 * reimbursement report.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SessionsIT extends FuseboxKarafTestSupport {

    private static final String PRICES_PROPERTY = "fusebox.itest.prices.file";
    /** Sessions need simulated minutes of charging (the demo runs ten times faster than real time). */
    private static final long SESSION_TIMEOUT_MILLIS = Math.max(TIMEOUT_MILLIS, 180_000);

    @Configuration
    public Option[] options() {
        File prices = new File(System.getProperty("fusebox.prices.file", "../../data/day-ahead-prices-BE-2023.csv"));
        if (!prices.isFile()) {
            throw new IllegalStateException("the day-ahead price data is missing at " + prices.getAbsolutePath());
        }
        return withOptions(demoSite(), editConfigurationFilePut("etc/system.properties", PRICES_PROPERTY, prices.getAbsolutePath()));
    }

    @Test
    public void aChargingSessionIsRecordedWithAPositiveCostAndListedInTheReimbursementCsv() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        featuresService.installFeature("fusebox-market-csv", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Hashtable<String, Object> csv = new Hashtable<>();
        csv.put("file", bundleContext.getProperty(PRICES_PROPERTY));
        csv.put("shiftToCurrentYear", "true");
        awaitService(ConfigurationAdmin.class).getConfiguration("fusebox.market.csv", null).update(csv);
        waitFor("prices in the snapshot", () -> loop.lastCycle().map(r -> !r.snapshot().prices().isEmpty()).orElse(false));

        featuresService.installFeature("fusebox-sessions", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        assertBundleActive("fusebox-sessions");
        Hashtable<String, Object> sessions = new Hashtable<>();
        sessions.put("reportZone", "Europe/Brussels");
        sessions.put("persistSeconds", "5");
        awaitService(ConfigurationAdmin.class).getConfiguration("fusebox.sessions", null).update(sessions);
        SessionHistory history = awaitService(SessionHistory.class);

        ChargingSession s = awaitPricedSession(history);
        Money sum = null;
        double wh = 0;
        for (SlotEnergy slot : s.slots()) {
            wh += slot.energy().wattHours();
            if (slot.priced()) {
                assertEquals(slot.price().costOf(slot.energy()), slot.cost());
                sum = sum == null ? slot.cost() : sum.plus(slot.cost());
            }
        }
        assertEquals("the session's cost is the sum of its slots' costs", sum, s.cost());
        for (SlotEnergy slot : s.slots()) {
            assertTrue("slot " + slot + " ends before the session starts at " + s.start(), slot.end().isAfter(s.start()));
        }
        assertEquals(s.energy().wattHours(), wh, 1e-6);
        boolean pricesPositive = s.slots().stream().allMatch(x -> !x.priced() || x.price().perMegawattHour().amount().signum() > 0);
        if (pricesPositive) {
            assertTrue("cost " + s.cost() + " of " + s, s.cost().amount().compareTo(BigDecimal.ZERO) > 0);
        } else {
            // a negative day-ahead price in force: the cost takes its sign, and must not be zero
            assertTrue("cost " + s.cost() + " of " + s, s.cost().amount().signum() != 0);
        }
        assertEquals("csv", s.slots().stream().filter(SlotEnergy::priced).findFirst().orElseThrow().priceSource());

        // the site shows the connector's energy and cost so far
        waitFor("the session's energy and cost in /site", () -> {
            Http.Response site = Http.get(httpPort(), "/fusebox/api/v1/site");
            return site.status() == 200 && site.body().contains("\"metered\" : {") && site.body().contains(s.id());
        });

        // and the report of the day it started lists it, as CSV
        Instant from = s.start().minus(Duration.ofHours(1));
        Instant to = s.start().plus(Duration.ofDays(1));
        String query = "from=" + from + "&to=" + to;
        Http.Response report = Http.get(httpPort(), "/fusebox/api/v1/reports/reimbursement?" + query + "&format=csv");
        assertEquals(report.body(), 200, report.status());
        assertTrue(report.contentType(), report.contentType().startsWith("text/csv"));
        List<String> lines = List.of(report.body().split("\r\n"));
        assertEquals("idTag,sessionId,chargerId,connectorId,start,end,status,energyKwh,cost,currency,costComplete", lines.get(0));
        String row = lines.stream().filter(l -> l.contains("," + s.id() + ",")).findFirst()
                .orElseThrow(() -> new AssertionError("session " + s.id() + " not in the report:\n" + report.body()));
        assertTrue(row, row.contains(",EUR,"));
        assertTrue(report.body(), lines.stream().anyMatch(l -> l.startsWith(",ALL,")));

        Http.Response bad = Http.get(httpPort(), "/fusebox/api/v1/reports/reimbursement?from=yesterday&to=" + to);
        assertEquals(400, bad.status());
        assertTrue(bad.body(), bad.body().contains("not a date"));
    }

    /** A session that drew energy in a priced slot; sessions already going on when the recorder started count too. */
    private static ChargingSession awaitPricedSession(SessionHistory history) throws InterruptedException {
        long deadline = System.currentTimeMillis() + SESSION_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Optional<ChargingSession> found = history.sessions(Instant.EPOCH, Instant.MAX).stream()
                    .filter(x -> x.cost() != null && x.energy().wattHours() > 100 && x.cost().amount().signum() != 0)
                    .findFirst();
            if (found.isPresent()) {
                assertNotNull(found.get().idTag());
                return found.get();
            }
            Thread.sleep(250);
        }
        fail("no priced charging session within " + SESSION_TIMEOUT_MILLIS + " ms: " + history.sessions(Instant.EPOCH, Instant.MAX));
        return null;
    }
}
