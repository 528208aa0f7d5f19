package org.fusebox.optimiser.battery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.control.Tier;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.PowerSlot;
import org.fusebox.api.units.Voltage;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;

class BatteryOptimiserTest {

    static final Instant T0 = TestSites.T0;

    static PriceCurve hourly(double... perMwh) {
        List<PriceSlot> slots = new ArrayList<>();
        for (int h = 0; h < perMwh.length; h++) {
            slots.add(new PriceSlot(T0.plus(Duration.ofHours(h)), Duration.ofHours(1),
                    EnergyPrice.perMegawattHour(Double.toString(perMwh[h]), "EUR")));
        }
        return new PriceCurve(slots);
    }

    static PowerForecast flat(ForecastKind kind, double watts, int hours) {
        List<PowerSlot> slots = new ArrayList<>();
        for (int q = 0; q < hours * 4; q++) {
            slots.add(new PowerSlot(T0.plus(Duration.ofMinutes(15L * q)), Duration.ofMinutes(15), Power.ofWatts(watts)));
        }
        return new PowerForecast(kind, "test", slots);
    }

    /** The 20 kWh / 10 kW TestSites battery at {@code soc}, the site's net load {@code netWatts} (negative: PV surplus). */
    static SiteSnapshot site(SiteLimits limits, double soc, double netWatts, PriceCurve prices, Instant at, PowerForecast... forecasts) {
        double amps = netWatts / 3 / 230;
        SiteSnapshot s = new TestSites().limits(limits).uncontrolled(amps, amps, amps).battery("bat", soc, 0).build();
        SiteSnapshot.Builder b = SiteSnapshot.builder(s.limits()).timestamp(at).grid(s.grid()).battery(s.batteries().get(0)).prices(prices);
        for (PowerForecast f : forecasts) {
            b.forecast(f);
        }
        return b.build();
    }

    static SiteSnapshot site(double soc, double netWatts, PriceCurve prices, PowerForecast... forecasts) {
        return site(TestSites.limits(40, 2), soc, netWatts, prices, T0, forecasts);
    }

    static BatteryOptimiser optimiser(Map<String, Object> config) {
        BatteryOptimiser o = new BatteryOptimiser();
        o.configure(Configs.of(BatteryConfig.class, config));
        return o;
    }

    static double setpoint(Setpoints s) {
        return s.batteryPower("bat").orElseThrow().watts();
    }

    @Test
    void arbitrageChargesInTheCheapHourAndSaysWhyInThePlan() {
        BatteryOptimiser o = optimiser(Map.of("mode", "arbitrage", "degradationCostPerMwh", 0.0));
        assertThat(o.tier()).isEqualTo(Tier.ECONOMIC);
        Setpoints out = o.optimise(site(50, 1000, hourly(20, 200, 200, 200), flat(ForecastKind.SITE_LOAD, 1000, 4)), Setpoints.empty());
        assertThat(setpoint(out)).isCloseTo(10_000, within(1.0));
        Plan plan = o.plan().orElseThrow();
        assertThat(plan.optimiser()).isEqualTo("battery");
        assertThat(plan.computedAt()).isEqualTo(T0);
        assertThat(plan.lines()).singleElement().satisfies(line -> {
            assertThat(line.deviceId()).isEqualTo("bat");
            assertThat(line.connectorId()).isNull();
            assertThat(line.power()).hasSize(16);
            // The plan's SoC grid (0.5 % of 20 kWh) rounds the move at full power down by part of a step.
            assertThat(line.power().get(0).power().watts()).isBetween(9_500.0, 10_000.0);
            // It sells in the expensive hours: the battery lowers the site's cost.
            assertThat(line.power().stream().anyMatch(p -> p.power().isNegative())).isTrue();
            assertThat(line.expectedCost().amount().doubleValue()).isNegative();
            assertThat(line.note()).contains("saves").contains("band 20.0..100.0 %");
        });
        assertThat(plan.expectedCost().currency().getCurrencyCode()).isEqualTo("EUR");
        assertThat(plan.notes()).anyMatch(n -> n.contains("no PV forecast"));
    }

    @Test
    void coversASmallLoadThatIsLessThanOneSocStep() {
        // 200 W for a quarter-hour is 0.05 kWh, a quarter of one 0.5 % step of 20 kWh.
        BatteryOptimiser o = optimiser(Map.of("mode", "self-consumption"));
        Setpoints out = o.optimise(site(80, 200, hourly(300, 300, 300, 300), flat(ForecastKind.SITE_LOAD, 200, 4)), Setpoints.empty());
        assertThat(setpoint(out)).isCloseTo(-200, within(1.0));
    }

    @Test
    void arbitrageDischargesWhenNowIsTheDearestHour() {
        BatteryOptimiser o = optimiser(Map.of("mode", "arbitrage"));
        Setpoints out = o.optimise(site(80, 1000, hourly(300, 50, 50, 50)), Setpoints.empty());
        assertThat(setpoint(out)).isCloseTo(-10_000, within(1.0));
    }

    /** The site pays 300 now and 50 later under its tariff; what export earns decides whether it sells beyond its load. */
    private static SiteSnapshot tariffed(PriceCurve spot, PriceCurve exports) {
        SiteSnapshot s = site(80, 1000, hourly(300, 50, 50, 50));
        return SiteSnapshot.builder(s.limits()).timestamp(s.timestamp()).grid(s.grid()).battery(s.batteries().get(0)).prices(s.prices())
                .spotPrices(spot).exportPrices(exports).build();
    }

    @Test
    void exportIsValuedAtTheTariffsExportPriceNotAtWhatImportCosts() {
        BatteryOptimiser o = optimiser(Map.of("mode", "arbitrage"));

        // Export earns 20: selling beyond the 1 kW load and buying back at 50 loses; it covers the load only.
        Setpoints low = o.optimise(tariffed(hourly(250, 10, 10, 10), hourly(20, 20, 20, 20)), Setpoints.empty());
        // (the plan's SoC grid of 0.5 % rounds the move to whole steps)
        assertThat(setpoint(low)).isBetween(-1_500.0, -900.0);

        // No export price from the tariff: export is valued at the market price it started from, 250: it sells.
        Setpoints spot = optimiser(Map.of("mode", "arbitrage")).optimise(tariffed(hourly(250, 10, 10, 10), PriceCurve.EMPTY), Setpoints.empty());
        assertThat(setpoint(spot)).isCloseTo(-10_000, within(1.0));
    }

    @Test
    void selfConsumptionStoresOnlyTheSurplusAndNeverExports() {
        BatteryOptimiser o = optimiser(Map.of("mode", "self-consumption"));
        // Surplus for two hours, then 2 kW of load without sun; the battery is near its minimum: store for the evening.
        List<PowerSlot> load = new ArrayList<>();
        List<PowerSlot> sun = new ArrayList<>();
        for (int q = 0; q < 16; q++) {
            Instant start = T0.plus(Duration.ofMinutes(15L * q));
            load.add(new PowerSlot(start, Duration.ofMinutes(15), Power.ofWatts(q < 8 ? 500 : 2000)));
            sun.add(new PowerSlot(start, Duration.ofMinutes(15), Power.ofWatts(q < 8 ? 3500 : 0)));
        }
        Setpoints surplus = o.optimise(site(25, -3000, hourly(100, 100, 300, 300), new PowerForecast(ForecastKind.SITE_LOAD, "t", load),
                new PowerForecast(ForecastKind.PV_PRODUCTION, "t", sun)), Setpoints.empty());
        assertThat(setpoint(surplus)).isPositive().isLessThanOrEqualTo(3000 + 1);
        BatteryOptimiser o2 = optimiser(Map.of("mode", "self-consumption"));
        Setpoints deficit = o2.optimise(site(80, 2000, hourly(300, 300, 300, 300), flat(ForecastKind.SITE_LOAD, 2000, 4)), Setpoints.empty());
        assertThat(setpoint(deficit)).isNegative().isGreaterThanOrEqualTo(-2000 - 1);
        for (PlanLine line : o2.plan().orElseThrow().lines()) {
            for (PowerSlot p : line.power()) {
                assertThat(p.power().watts()).isGreaterThanOrEqualTo(-2000 - 1e-6); // never more than the load
            }
        }
    }

    @Test
    void selfConsumptionChargesFromTheGridOnlyBelowTheThreshold() {
        BatteryOptimiser o = optimiser(Map.of("mode", "self-consumption", "gridChargeBelowPerMwh", 30.0, "degradationCostPerMwh", 0.0));
        // 5 kW of load for three dear hours: more than the battery holds, so it fills up in the cheap hour.
        assertThat(setpoint(o.optimise(site(30, 1000, hourly(20, 400, 400, 400), flat(ForecastKind.SITE_LOAD, 5000, 4)), Setpoints.empty())))
                .isCloseTo(10_000, within(1.0));
        BatteryOptimiser strict = optimiser(Map.of("mode", "self-consumption", "gridChargeBelowPerMwh", 10.0));
        assertThat(setpoint(strict.optimise(site(30, 1000, hourly(20, 400, 400, 400), flat(ForecastKind.SITE_LOAD, 5000, 4)), Setpoints.empty())))
                .isLessThanOrEqualTo(0);
    }

    @Test
    void theCoresMinimumSocWinsWhenItIsHigher() {
        SiteLimits limits = new SiteLimits(Current.ofAmps(40), Current.ofAmps(2), 3, Voltage.NOMINAL_230, Percent.of(50), Percent.of(90),
                Duration.ofSeconds(1));
        BatteryOptimiser o = optimiser(Map.of("mode", "arbitrage", "minSocPercent", 20.0));
        o.optimise(site(limits, 60, 1000, hourly(500, 500, 10, 10, 500, 500), T0), Setpoints.empty());
        Schedule s = o.planning().schedules().get("bat");
        for (double kwh : s.storedKwh()) {
            assertThat(kwh).isBetween(0.5 * 20 - 1e-9, 0.9 * 20 + 1e-9);
        }
        assertThat(s.storedKwh()[0]).isCloseTo(0.6 * 20, within(1e-9)); // the path starts at the real SoC
        assertThat(o.plan().orElseThrow().lines().get(0).note()).contains("band 50.0..90.0 %");
    }

    @Test
    void chargingStaysUnderTheFuseWithTheMeasuredAndTheForecastLoad() {
        BatteryOptimiser o = optimiser(Map.of("mode", "arbitrage"));
        // 30 A per phase now: 8 A of room under 40 A less 2 A margin, 5.52 kW over three phases.
        double now = 30 * 3 * 230;
        List<PowerSlot> load = new ArrayList<>(flat(ForecastKind.SITE_LOAD, 5000, 4).slots());
        load.set(4, new PowerSlot(T0.plus(Duration.ofMinutes(60)), Duration.ofMinutes(15), Power.ofWatts(24_000)));
        Setpoints out = o.optimise(site(30, now, hourly(10, 10, 300, 300), new PowerForecast(ForecastKind.SITE_LOAD, "test", load)),
                Setpoints.empty());
        assertThat(setpoint(out)).isPositive().isLessThanOrEqualTo(8 * 3 * 230 + 1e-6);
        Schedule s = o.planning().schedules().get("bat");
        assertThat(s.powerKw()[4]).isLessThanOrEqualTo(38 * 3 * 0.230 - 24 + 1e-9); // 2.22 kW left at 24 kW of load
        for (int t = 1; t < s.powerKw().length; t++) {
            assertThat(s.powerKw()[t] + s.slots().get(t).netLoadKw()).isLessThanOrEqualTo(38 * 3 * 0.230 + 1e-9);
        }
    }

    @Test
    void withoutPricesArbitrageLeavesTheProposalAndSaysSo() {
        BatteryOptimiser o = optimiser(Map.of("mode", "arbitrage"));
        Setpoints proposal = Setpoints.empty().withBatteryPower("bat", Power.ofWatts(123))
                .withChargerLimit(new ConnectorRef("ev", 1), Current.ofAmps(16));
        assertThat(o.optimise(site(50, 1000, PriceCurve.EMPTY), proposal)).isEqualTo(proposal);
        assertThat(o.plan().orElseThrow().notes()).containsExactly("no price known for now: batteries left as proposed");
        assertThat(o.plan().orElseThrow().lines()).isEmpty();
    }

    @Test
    void withoutPricesSelfConsumptionPlansAtTheFlatPrice() {
        BatteryOptimiser o = optimiser(Map.of("mode", "self-consumption", "fallbackImportPerMwh", 250.0));
        Setpoints out = o.optimise(site(80, 1500, PriceCurve.EMPTY), Setpoints.empty());
        assertThat(setpoint(out)).isCloseTo(-1500, within(1.0));
        Plan plan = o.plan().orElseThrow();
        assertThat(plan.lines().get(0).power()).hasSize(96);
        assertThat(plan.notes()).anyMatch(n -> n.startsWith("no prices: planned 24 h"));
    }

    @Test
    void keepsThePlanWhileInputsHoldAndReplansWhenTheSocDrifts() {
        BatteryPlanning planning = new BatteryPlanning();
        BatterySettings s = BatterySettings.from(Configs.of(BatteryConfig.class, Map.of("mode", "arbitrage")));
        PriceCurve prices = hourly(20, 200, 200, 200);
        PowerForecast load = flat(ForecastKind.SITE_LOAD, 1000, 4);
        SiteLimits limits = TestSites.limits(40, 2);
        assertThat(planning.optimise(site(limits, 50, 1000, prices, T0, load), Setpoints.empty(), s).replanned()).isTrue();
        // One minute later at 10 kW the SoC rose by about 0.75 %: as planned.
        BatteryPlanning.Result same = planning.optimise(site(limits, 50.7, 1100, prices, T0.plusSeconds(60), load), Setpoints.empty(), s);
        assertThat(same.replanned()).isFalse();
        assertThat(setpoint(same.setpoints())).isCloseTo(10_000, within(1.0));
        assertThat(planning.optimise(site(limits, 55, 1100, prices, T0.plusSeconds(120), load), Setpoints.empty(), s).replanned()).isTrue();
        assertThat(planning.optimise(site(limits, 55, 2000, prices, T0.plusSeconds(121), load), Setpoints.empty(), s).replanned())
                .as("the measured load moved by 900 W").isTrue();
        assertThat(planning.optimise(site(limits, 55, 2000, prices, T0.plus(Duration.ofMinutes(15)), load), Setpoints.empty(), s).replanned())
                .as("a new slot began").isTrue();
    }

    @Test
    void aRefusedConfigurationKeepsThePreviousWithEveryReason() {
        BatteryOptimiser o = optimiser(Map.of("mode", "arbitrage"));
        o.configure(Configs.of(BatteryConfig.class, Map.of("mode", "greedy", "minSocPercent", 90.0, "maxSocPercent", 80.0,
                "slotMinutes", 7, "exportPrice", "free", "socStepPercent", 0.0, "fallbackCurrency", "EURO")));
        assertThat(o.settings().mode()).isEqualTo(BatterySettings.Mode.ARBITRAGE);
        assertThat(o.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(o.health().details()).singleElement().asString()
                .contains("fusebox.optimiser.battery refused, previous one stays in force")
                .contains("mode must be 'arbitrage' or 'self-consumption', got 'greedy'")
                .contains("minSocPercent (90.0) must be below maxSocPercent (80.0)")
                .contains("slotMinutes must divide 60").contains("exportPrice must be 'spot' or 'fixed', got 'free'")
                .contains("socStepPercent must be within 0.05..5, got 0.0").contains("fallbackCurrency 'EURO'");
        o.configure(Configs.of(BatteryConfig.class, Map.of()));
        assertThat(o.health().status()).isEqualTo(HealthStatus.UP);
    }
}
