package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceFeed;
import org.fusebox.api.market.PriceKind;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.market.SitePrices;
import org.fusebox.api.market.Tariff;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.EnergyPrice;
import org.osgi.framework.Constants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop's price pipeline: feeds in the site's order, a broken or slow feed, the tariff, the site's zone. */
class PriceFeedsInTheLoopTest {

    private final ControlLoopService loop = new ControlLoopService();
    private final CountDownLatch release = new CountDownLatch(1);
    private long serviceIds = 100;

    @AfterEach
    void stop() {
        release.countDown();
        loop.deactivate();
    }

    private static Map<String, Object> config(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        m.put("cyclePeriodMillis", 60_000L);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return TestDevices.config(m);
    }

    /** A feed knowing {@code hours} hourly slots from the hour before the asked start, all at {@code price}. */
    private static PriceFeed feed(String id, int hours, String price, String currency) {
        return new PriceFeed() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public PriceCurve prices(Instant from, Instant to) {
                Instant start = from.truncatedTo(ChronoUnit.HOURS);
                List<PriceSlot> slots = new ArrayList<>();
                for (int i = 0; i < hours; i++) {
                    slots.add(new PriceSlot(start.plus(Duration.ofHours(i)), Duration.ofHours(1), EnergyPrice.perMegawattHour(price, currency)));
                }
                return new PriceCurve(slots);
            }
        };
    }

    private void add(PriceFeed feed, int ranking, String kind) {
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.SERVICE_RANKING, ranking);
        props.put(Constants.SERVICE_ID, serviceIds++);
        if (kind != null) {
            props.put(PriceKind.SERVICE_PROPERTY, kind);
        }
        loop.addPriceFeed(feed, props);
    }

    private SiteSnapshot cycle() {
        loop.runCycleNow("test");
        return loop.lastCycle().orElseThrow().snapshot();
    }

    private void site() {
        loop.addGridMeter(new TestDevices.Meter("grid", 10));
        loop.addEvCharger(new TestDevices.Charger("a"));
    }

    @Test
    void theConfiguredOrderWinsOverServiceRankingAndTheOthersFillTheRest() {
        site();
        add(feed("energycharts-BE", 10, "90", "EUR"), 100, null);
        add(feed("entsoe-BE", 3, "50", "EUR"), 0, null);
        add(feed("csv", 20, "10", "EUR"), 50, null);
        loop.start(config("priceFeeds", "entsoe-BE, energycharts-BE"), null);

        PriceCurve prices = cycle().prices();

        assertThat(prices.slots()).extracting(PriceSlot::source).startsWith("entsoe-BE", "entsoe-BE", "entsoe-BE", "energycharts-BE");
        assertThat(prices.slots().get(3).price()).isEqualTo(EnergyPrice.perMegawattHour("90", "EUR"));
        // Not listed: used last, where neither listed feed knows a price.
        assertThat(prices.slots().get(10).source()).isEqualTo("csv");
        assertThat(prices.slots()).hasSize(20);
        assertThat(loop.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void withoutAnOrderTheHigherServiceRankingIsPreferred() {
        site();
        add(feed("low", 5, "1", "EUR"), 1, null);
        add(feed("high", 2, "2", "EUR"), 7, null);
        loop.start(config(), null);

        assertThat(cycle().prices().slots()).extracting(PriceSlot::source).containsExactly("high", "high", "low", "low", "low");
    }

    @Test
    void aThrowingFeedIsSkippedSaidAndTheCycleRuns() {
        site();
        add(new PriceFeed() {
            @Override
            public String id() {
                return "broken";
            }

            @Override
            public PriceCurve prices(Instant from, Instant to) {
                throw new IllegalStateException("cache corrupt");
            }
        }, 0, null);
        add(feed("spare", 4, "30", "EUR"), 0, null);
        loop.start(config("priceFeeds", "broken,spare"), null);

        SiteSnapshot s = cycle();

        assertThat(loop.state().mode()).isEqualTo(ControlMode.RUNNING);
        assertThat(s.prices().slots()).hasSize(4).allSatisfy(p -> assertThat(p.source()).isEqualTo("spare"));
        assertThat(loop.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(loop.health().details()).anySatisfy(d -> assertThat(d).contains("price feed broken failed").contains("cache corrupt"));
    }

    @Test
    void aFeedThatBlocksDelaysACycleByTheBudgetAtMostAndIsNotCalledAgainWhileItHangs() {
        site();
        AtomicInteger calls = new AtomicInteger();
        add(new PriceFeed() {
            @Override
            public String id() {
                return "hanging";
            }

            @Override
            public PriceCurve prices(Instant from, Instant to) {
                calls.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return PriceCurve.EMPTY;
            }
        }, 0, null);
        add(feed("spare", 4, "30", "EUR"), 0, null);
        loop.priceFeedBudget(Duration.ofMillis(100));
        loop.start(config("priceFeeds", "hanging,spare"), null);

        SiteSnapshot first = cycle();
        SiteSnapshot second = cycle();

        assertThat(first.prices().slots()).hasSize(4);
        assertThat(second.prices().slots()).hasSize(4);
        assertThat(loop.state().mode()).isEqualTo(ControlMode.RUNNING);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(loop.health().details()).anySatisfy(d -> assertThat(d).contains("price feed hanging did not answer within 100 ms"));
    }

    @Test
    void theTariffMakesPricesWhatTheSitePaysAndKeepsSpotAndExport() {
        site();
        add(feed("entsoe-BE", 3, "100", "EUR"), 0, null);
        add(feed("tibber", 3, "300", "EUR"), 0, PriceKind.RETAIL);
        List<Set<String>> retailSeen = new ArrayList<>();
        loop.setTariff(new Tariff() {
            @Override
            public SitePrices prices(Instant from, Instant to, PriceCurve market, Set<String> retailSources, ZoneId zone) {
                retailSeen.add(retailSources);
                List<PriceSlot> imports = market.slots().stream()
                        .map(s -> s.withPrice(new EnergyPrice(s.price().perMegawattHour().plus(org.fusebox.api.units.Money.of("200", "EUR")))))
                        .toList();
                return new SitePrices(market, new PriceCurve(imports), market);
            }
        });
        loop.start(config("siteTimeZone", "Europe/Brussels"), null);

        SiteSnapshot s = cycle();

        assertThat(s.zone()).isEqualTo(ZoneId.of("Europe/Brussels"));
        assertThat(s.spotPrices().slots().get(0).price()).isEqualTo(EnergyPrice.perMegawattHour("100", "EUR"));
        assertThat(s.prices().slots().get(0).price()).isEqualTo(EnergyPrice.perMegawattHour("300", "EUR"));
        assertThat(s.prices().slots().get(0).source()).isEqualTo("entsoe-BE");
        assertThat(s.exportPrices().slots()).hasSize(3);
        assertThat(retailSeen.get(0)).containsExactly("tibber");
    }

    @Test
    void anUnknownPriceKindIsTakenAsSpotAndSaid() {
        site();
        add(feed("tibber", 2, "300", "EUR"), 0, "Retail");
        List<Set<String>> retailSeen = new ArrayList<>();
        loop.setTariff((from, to, market, retail, zone) -> {
            retailSeen.add(retail);
            return SitePrices.untariffed(market);
        });
        loop.start(config(), null);

        cycle();

        assertThat(retailSeen.get(0)).isEmpty();
        assertThat(loop.health().details()).anySatisfy(d -> assertThat(d).contains("tibber").contains("fusebox.price.kind=Retail"));
    }

    @Test
    void aTariffThatRefusesLeavesNoImportPriceRatherThanAWrongOne() {
        site();
        add(feed("nordpool", 3, "100", "SEK"), 0, null);
        loop.setTariff((from, to, market, retail, zone) -> {
            throw new IllegalArgumentException("prices of nordpool are in SEK, the tariff is in EUR");
        });
        loop.start(config(), null);

        SiteSnapshot s = cycle();

        assertThat(s.prices().isEmpty()).isTrue();
        assertThat(s.spotPrices().slots()).hasSize(3);
        assertThat(loop.state().mode()).isEqualTo(ControlMode.RUNNING);
        assertThat(loop.health().details()).anySatisfy(d -> assertThat(d).contains("tariff refused").contains("SEK"));
    }

    @Test
    void withoutATariffTheSitePaysTheMarketCurveAsBefore() {
        site();
        add(feed("csv", 2, "42", "EUR"), 0, null);
        loop.start(config(), null);

        SiteSnapshot s = cycle();

        assertThat(s.prices()).isEqualTo(s.spotPrices());
        assertThat(s.exportPrices().isEmpty()).isTrue();
        assertThat(s.zone()).isEqualTo(ZoneId.systemDefault());
    }

    @Test
    void anUnknownZoneIsRefusedAndTheValidConfigurationStays() {
        site();
        loop.start(config("siteTimeZone", "Europe/Brussels"), null);
        loop.modified(config("siteTimeZone", "Europe/Bruxelles"));

        SiteSnapshot s = cycle();

        assertThat(s.zone()).isEqualTo(ZoneId.of("Europe/Brussels"));
        assertThat(loop.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(loop.health().details()).anySatisfy(d -> assertThat(d).contains("siteTimeZone").contains("Europe/Bruxelles"));
    }

    @Test
    void aGridProgramsPriceIsWhatTheSitePaysDuringItsIntervalUntilItsSourceLeaves() {
        site();
        add(feed("spot", 6, "80", "EUR"), 0, null);
        Instant now = Instant.now();
        org.fusebox.api.grid.GridSignal price = new org.fusebox.api.grid.GridSignal("e1/0/PRICE", "vtn",
                org.fusebox.api.grid.GridSignalKind.PRICE, now.plus(Duration.ofMinutes(30)), now.plus(Duration.ofMinutes(90)), 400,
                "EUR", "peak pricing");
        org.fusebox.api.grid.GridSignalSource vtn = new org.fusebox.api.grid.GridSignalSource() {
            @Override
            public String id() {
                return "vtn";
            }

            @Override
            public List<org.fusebox.api.grid.GridSignal> signals() {
                return List.of(price);
            }
        };
        loop.addGridSignalSource(vtn);
        loop.start(config(), null);

        PriceCurve paid = cycle().prices();
        PriceSlot inProgram = paid.at(now.plus(Duration.ofMinutes(60))).orElseThrow();
        assertThat(inProgram.source()).isEqualTo("vtn");
        assertThat(inProgram.price().perMegawattHour().amount().doubleValue()).isEqualTo(400.0);
        assertThat(paid.at(now.plus(Duration.ofMinutes(100))).orElseThrow().price()).isEqualTo(EnergyPrice.perMegawattHour("80", "EUR"));

        loop.removeGridSignalSource(vtn);
        assertThat(cycle().prices().at(now.plus(Duration.ofMinutes(60))).orElseThrow().source()).isEqualTo("spot");
    }
}
