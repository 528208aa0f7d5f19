package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import org.apache.karaf.features.FeaturesService;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceFeed;
import org.fusebox.api.market.PriceKind;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.PowerSlot;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The demo site plans its EVs on two price feeds and the tariff: the preferred feed knows quarter hours of the
 * next three hours with one missing, the fallback knows 48 hourly prices. The snapshot's curve takes each
 * instant from the first feed that knows it and names the feed per slot; its prices are what the site pays
 * under fusebox-tariff ((spot + 10 + 50) x 1.2); the EV deadline plan's expected cost is its energy at those
 * prices, not at spot.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TariffFailoverIT extends FuseboxKarafTestSupport {

    private static final String PRIMARY = "primary-15min";
    private static final String FALLBACK = "fallback-hourly";

    @Configuration
    public Option[] options() {
        return withOptions(demoSite(),
                editConfigurationFilePut("etc/fusebox.core.cfg", "priceFeeds", PRIMARY + ", " + FALLBACK),
                editConfigurationFilePut("etc/fusebox.simulator.cfg", "evArrivalMeanMinutes", "0.5"));
    }

    /** Quarter hours priced 100 for three hours from the hour before {@code from}, without the second one; or hourly at 40. */
    private static PriceFeed feed(String id, boolean quarters) {
        return new PriceFeed() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public PriceCurve prices(Instant from, Instant to) {
                Instant start = from.truncatedTo(ChronoUnit.HOURS);
                List<PriceSlot> slots = new ArrayList<>();
                if (quarters) {
                    for (int q = 0; q < 12; q++) {
                        if (q != 1) {
                            slots.add(new PriceSlot(start.plus(Duration.ofMinutes(15L * q)), Duration.ofMinutes(15),
                                    EnergyPrice.perMegawattHour("100", "EUR")));
                        }
                    }
                } else {
                    for (int h = 0; h < 48; h++) {
                        slots.add(new PriceSlot(start.plus(Duration.ofHours(h)), Duration.ofHours(1), EnergyPrice.perMegawattHour("40", "EUR")));
                    }
                }
                return new PriceCurve(slots);
            }
        };
    }

    private ServiceRegistration<PriceFeed> register(PriceFeed feed, int ranking) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(PriceKind.SERVICE_PROPERTY, PriceKind.SPOT);
        // The fallback ranks higher: only the core's priceFeeds order makes the quarter-hour feed preferred.
        props.put(org.osgi.framework.Constants.SERVICE_RANKING, ranking);
        return bundleContext.registerService(PriceFeed.class, feed, props);
    }

    @Test
    public void theSitePlansOnTheFailoverCurveAtTheTariffPrice() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        ConfigurationAdmin cm = awaitService(ConfigurationAdmin.class);
        for (String feature : List.of("fusebox-tariff", "fusebox-optimiser-ev-deadline")) {
            featuresService.installFeature(feature, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
        assertBundleActive("fusebox-tariff");
        Hashtable<String, Object> tariff = new Hashtable<>();
        tariff.put("currency", "EUR");
        tariff.put("energyChargePerMwh", "10");
        tariff.put("gridFeePerMwh", "50");
        tariff.put("vatPercent", "20");
        tariff.put("exportMode", "fixed");
        tariff.put("feedInPerMwh", "70");
        cm.getConfiguration("fusebox.tariff", null).update(tariff);
        ServiceRegistration<PriceFeed> primary = register(feed(PRIMARY, true), 0);
        ServiceRegistration<PriceFeed> fallback = register(feed(FALLBACK, false), 10);
        try {
            waitFor("a cycle with tariff prices and an EV deadline plan with a cost", () -> loop.lastCycle()
                    .filter(r -> !r.snapshot().exportPrices().isEmpty() && costedLine(r).isPresent()).isPresent());
            CycleReport r = loop.lastCycle().filter(c -> !c.snapshot().exportPrices().isEmpty() && costedLine(c).isPresent()).orElseThrow();
            SiteSnapshot s = r.snapshot();
            assertEquals(ZoneId.of("Europe/Brussels"), s.zone());

            // The curve: the first hour's quarters from the preferred feed, its gap from the fallback, then the fallback.
            Instant hour = s.timestamp().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
            PriceSlot first = s.prices().at(hour).orElseThrow();
            PriceSlot gap = s.prices().at(hour.plus(Duration.ofMinutes(20))).orElseThrow();
            PriceSlot later = s.prices().at(hour.plus(Duration.ofHours(4))).orElseThrow();
            assertEquals(PRIMARY, first.source());
            assertEquals(Duration.ofMinutes(15), first.length());
            assertEquals(FALLBACK, gap.source());
            assertEquals("the fallback's hour is cut to the quarter hour the preferred feed lacks", Duration.ofMinutes(15), gap.length());
            assertEquals(FALLBACK, later.source());
            assertEquals(Duration.ofHours(1), later.length());
            // What the site pays: (100 + 10 + 50) x 1.2 = 192 and (40 + 10 + 50) x 1.2 = 120; spot kept beside it.
            assertEquals(0, new BigDecimal("192").compareTo(first.price().perMegawattHour().amount()));
            assertEquals(0, new BigDecimal("120").compareTo(gap.price().perMegawattHour().amount()));
            assertEquals(0, new BigDecimal("100").compareTo(s.spotPrices().at(hour).orElseThrow().price().perMegawattHour().amount()));
            assertEquals(0, new BigDecimal("70").compareTo(s.exportPrices().at(hour).orElseThrow().price().perMegawattHour().amount()));
            for (int i = 1; i < s.prices().slots().size(); i++) {
                assertFalse("overlap at " + s.prices().slots().get(i).start(),
                        s.prices().slots().get(i).start().isBefore(s.prices().slots().get(i - 1).end()));
            }

            // The plan's cost is its energy at the tariff's prices, not at spot.
            PlanLine line = costedLine(r).orElseThrow();
            BigDecimal atTariff = cost(line, s.prices());
            BigDecimal atSpot = cost(line, s.spotPrices());
            BigDecimal planned = line.expectedCost().amount();
            assertTrue("plan cost " + planned + " is not the tariff cost " + atTariff + " (spot cost " + atSpot + ")",
                    planned.subtract(atTariff).abs().compareTo(new BigDecimal("0.0001")) <= 0);
            assertNotEquals(0, atTariff.compareTo(atSpot));
            assertEquals("EUR", line.expectedCost().currency().getCurrencyCode());
            assertTrue(String.valueOf(healthDetails("tariff")), healthDetails("tariff").isEmpty());
            System.out.println("TariffFailoverIT: " + line.deviceId() + "/" + line.connectorId() + " planned " + line.planned() + " for "
                    + planned + " EUR at the tariff (" + atSpot.round(MathContext.DECIMAL32) + " EUR at spot), " + s.prices().slots().size()
                    + " price slots");
        } finally {
            primary.unregister();
            fallback.unregister();
        }
    }

    private static Optional<PlanLine> costedLine(CycleReport r) {
        return r.plans().stream().filter(p -> p.optimiser().equals("ev-deadline")).map(Plan::lines).flatMap(List::stream)
                .filter(l -> l.expectedCost() != null && l.planned().wattHours() > 100).findFirst();
    }

    /** The line's planned energy priced instant by instant on {@code curve}, in EUR. */
    private static BigDecimal cost(PlanLine line, PriceCurve curve) {
        BigDecimal total = BigDecimal.ZERO;
        for (PowerSlot run : line.power()) {
            for (PriceSlot p : curve.slots()) {
                Instant from = p.start().isAfter(run.start()) ? p.start() : run.start();
                Instant to = p.end().isBefore(run.end()) ? p.end() : run.end();
                if (from.isBefore(to)) {
                    BigDecimal mwh = BigDecimal.valueOf(run.power().watts()).multiply(BigDecimal.valueOf(Duration.between(from, to).toMillis()))
                            .divide(new BigDecimal("3600000000000"), MathContext.DECIMAL64);
                    total = total.add(p.price().perMegawattHour().amount().multiply(mwh));
                }
            }
        }
        assertNotNull(total);
        return total;
    }
}
