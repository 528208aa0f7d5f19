package org.fusebox.optimiser.peakshaving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.PowerSlot;
import org.fusebox.api.units.Voltage;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;

/**
 * The look-ahead on concrete days: a 30 kW peak (29.1 kW target) and an evening at 38 kW from 17:00 to 19:00,
 * 8.9 kW over the target for two hours, 17.8 kWh the battery must give.
 */
class PeakForecastTest {

    private static final Instant NOON = Instant.parse("2026-01-15T12:00:00Z");
    private static final Instant FIVE_PM = Instant.parse("2026-01-15T17:00:00Z");
    private static final Duration PERIOD = Duration.ofSeconds(10);

    /** 12:00-22:00: 15 kW until 17:00, 38 kW until 19:00, 18 kW after. */
    private static SimulatedDay evening() {
        double[] load = new double[40];
        for (int k = 0; k < load.length; k++) {
            load[k] = k < 20 ? 15_000 : k < 28 ? 38_000 : 18_000;
        }
        return new SimulatedDay(NOON, load, new double[40]);
    }

    private static SiteLimits limits(double maxSocPercent) {
        return new SiteLimits(Current.ofAmps(1000), Current.ofAmps(2), 3, Voltage.NOMINAL_230, Percent.of(20),
                Percent.of(maxSocPercent), PERIOD);
    }

    /** A 40 kWh, 15 kW battery (32 kWh between 20 and 100 %) at 30 %: 4 kWh above the minimum. */
    private static SimulatedSite site(double socPercent) {
        return new SimulatedSite(NOON, true, limits(100)).battery(40_000, 15_000, socPercent);
    }

    private static PeakShaving optimiser(boolean lookAhead) {
        PeakShaving p = new PeakShaving();
        p.configure(PeakShavingTest.config(30, 15, 3, "UTC", lookAhead, 24, 1.1));
        return p;
    }

    private static double storedAboveMinWh(SimulatedDay.Result r, Instant at, double capacityWh) {
        return (r.socAt().get(at) - 20) / 100 * capacityWh;
    }

    @Test
    void theBatteryArrivesAtTheForecastPeakWithTheEnergyItNeedsAndHoldsIt() {
        SimulatedDay day = evening();
        List<Double> importsBeforeThePeak = new ArrayList<>();
        SimulatedDay.Result r = day.run(site(30), optimiser(true), true, SimulatedDay::idle, (snapshot, proposal, out) -> {
            if (snapshot.timestamp().isBefore(FIVE_PM)) {
                importsBeforeThePeak.add(snapshot.grid().reading().power().watts());
            }
        });

        assertThat(storedAboveMinWh(r, FIVE_PM, 40_000)).as("kept for 17.8 kWh of peak").isGreaterThanOrEqualTo(17_800);
        assertThat(r.highestAverageW()).isLessThanOrEqualTo(30_000);
        // Charged under the peak: never more than the target imported while charging for it.
        assertThat(importsBeforeThePeak).allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(29_100 + 1e-6));
        // ... and spread over the afternoon (where the room is the same everywhere), not rushed at the rating.
        assertThat(importsBeforeThePeak.stream().mapToDouble(Double::doubleValue).max().orElseThrow()).isLessThan(29_000);
    }

    @Test
    void theSameDayWithoutTheForecastsFailsThePeak() {
        SimulatedDay day = evening();
        SimulatedDay.Result withForecasts = day.run(site(30), optimiser(true), true, SimulatedDay::idle, (s, p, o) -> { });
        SimulatedDay.Result forecastsInSnapshotButOff = day.run(site(30), optimiser(false), true, SimulatedDay::idle, (s, p, o) -> { });
        SimulatedDay.Result noForecasts = day.run(site(30), optimiser(true), false, SimulatedDay::idle, (s, p, o) -> { });

        assertThat(withForecasts.intervalsAbove(30_000)).isZero();
        // 4 kWh last 27 minutes of an 8.9 kW excess: the rest of the evening goes over.
        assertThat(noForecasts.intervalsAbove(30_000)).isGreaterThanOrEqualTo(6);
        assertThat(noForecasts.highestAverageW()).isCloseTo(38_000, within(1.0));
        assertThat(forecastsInSnapshotButOff.averageW()).isEqualTo(noForecasts.averageW());
    }

    @Test
    void aSelfConsumingEconomicOptimiserIsStoppedAtTheEnergyKeptForTheEvening() {
        // Full at noon: self-consumption would give 15 kW for two hours and be empty long before 17:00.
        SimulatedDay day = evening();
        SimulatedDay.Result kept = day.run(site(100), optimiser(true), true, SimulatedDay::selfConsumption, (s, p, o) -> { });
        SimulatedDay.Result drained = day.run(site(100), optimiser(true), false, SimulatedDay::selfConsumption, (s, p, o) -> { });

        assertThat(storedAboveMinWh(kept, FIVE_PM, 40_000)).isGreaterThanOrEqualTo(17_800);
        assertThat(kept.intervalsAbove(30_000)).isZero();
        assertThat(storedAboveMinWh(drained, FIVE_PM, 40_000)).isLessThan(1_000);
        assertThat(drained.intervalsAbove(30_000)).isGreaterThanOrEqualTo(7);
        // Until the energy kept is reached, self-consumption still runs: the afternoon import is lower with it.
        assertThat(kept.averageW().get(NOON)).isLessThan(1_000);
    }

    @Test
    void aBatteryTooSmallForThePeakIsChargedToTheTopOfTheSocBandAndNoFurther() {
        // Maximum SoC 60 %: 16 kWh between 20 and 60 %, under the 17.8 kWh the evening needs.
        SimulatedDay day = evening();
        SimulatedSite site = new SimulatedSite(NOON, true, limits(60)).battery(40_000, 15_000, 30);
        double[] highest = { 0 };
        SimulatedDay.Result r = day.run(site, optimiser(true), true, SimulatedDay::idle, (s, p, o) -> {
            highest[0] = Math.max(highest[0], s.batteries().get(0).reading().soc().value());
            double asked = o.batteryPower("bat").map(Power::watts).orElse(0.0);
            double soc = s.batteries().get(0).reading().soc().value();
            if (asked > 0) {
                // charging never asks what would take it above the band before the next cycle
                assertThat(soc + asked * 2 * PERIOD.toSeconds() / 3600.0 / 40_000 * 100).isLessThanOrEqualTo(60 + 1e-9);
            }
        });

        assertThat(highest[0]).isLessThanOrEqualTo(60 + 1e-9).isGreaterThan(59.9);
        // It still shaves as much as the band allows: the last intervals of the evening go over, not the first.
        assertThat(r.averageW().get(FIVE_PM)).isLessThanOrEqualTo(30_000);
        assertThat(r.intervalsAbove(30_000)).isBetween(1L, 2L);
    }

    @Test
    void aPeakBeyondTheHorizonIsNotKeptFor() {
        PeakShaving p = new PeakShaving();
        p.configure(PeakShavingTest.config(30, 15, 3, "UTC", true, 4, 1.1));
        SimulatedDay day = evening();
        SimulatedSite site = site(100);
        site.forecast(day.loadForecast());
        site.step(site.defaultProposal(), 15_000, PERIOD);
        p.optimise(site.snapshot(1), site.defaultProposal());
        assertThat(p.reserve()).isEqualTo(PeakReserve.NONE); // 17:00 is 5 h away, the horizon 4 h

        PeakShaving q = optimiser(true);
        q.optimise(site.snapshot(2), site.defaultProposal());
        assertThat(q.reserve().peakStart()).isEqualTo(FIVE_PM);
        // (38 x 1.1 - 29.1) kW x 2 h / sqrt(0.9), within the 32 kWh between the SoC band's ends
        assertThat(q.reserve().keepWh()).isCloseTo((41_800 - 29_100) * 2 / Math.sqrt(0.9), within(1.0));
    }

    @Test
    void aLaterPeakIsPartlyRechargedInTheValleyBetween() {
        // Peaks 17:00-18:00 (38 kW) and 20:00-21:00 (38 kW), 18 kW between: 2 h x 11.1 kW room recharges the second.
        double[] load = new double[40];
        for (int k = 0; k < 40; k++) {
            load[k] = k < 20 ? 15_000 : k < 24 ? 38_000 : k < 32 ? 18_000 : k < 36 ? 38_000 : 15_000;
        }
        SimulatedDay day = new SimulatedDay(NOON, load, new double[40]);
        PeakShaving p = optimiser(true);
        SimulatedSite site = site(30);
        site.forecast(day.loadForecast());
        site.step(site.defaultProposal(), 15_000, PERIOD);
        p.optimise(site.snapshot(1), site.defaultProposal());
        double onePeakWh = (41_800 - 29_100) / Math.sqrt(0.9);
        assertThat(p.reserve().keepWh()).isCloseTo(onePeakWh, within(1.0));

        SimulatedDay.Result r = day.run(site(30), optimiser(true), true, SimulatedDay::idle, (s, o, out) -> { });
        assertThat(r.intervalsAbove(30_000)).isZero();
    }

    @Test
    void chargingForAPeakStaysUnderThePlanningLimit() {
        // 25 A fuse, 2 A margin: 23 A per phase; 20 A uncontrolled leaves 3 A x 3 x 230 V = 2.07 kW, under the 15.3 kW
        // the peak would leave.
        SiteSnapshot s = new TestSites().limits(TestSites.limits(25, 2)).uncontrolled(20, 20, 20).battery("bat", 25, 0).build();
        SiteSnapshot withForecast = withLoadForecast(s, 40_000, TestSites.T0.plusSeconds(3600), Duration.ofHours(1));
        PeakShaving p = PeakShavingTest.optimiser(30, 15, 3, "UTC");
        Setpoints proposal = Setpoints.empty().withBatteryPower("bat", Power.ZERO);

        Setpoints out = p.optimise(withForecast, proposal);

        assertThat(p.reserve().charges()).isTrue();
        assertThat(out.batteryPower("bat").orElseThrow().watts()).isCloseTo(2_070, within(1e-6));
        assertThat(PhaseBudget.planned(withForecast, out).orElseThrow().max().amps()).isLessThanOrEqualTo(23 + 1e-9);
        // Without the forecast the proposal stays as it was.
        assertThat(PeakShavingTest.optimiser(30, 15, 3, "UTC").optimise(s, proposal)).isEqualTo(proposal);
    }

    @Test
    void chargingForAPeakTakesNoCurrentFromTheEvs() {
        // 13.8 kW uncontrolled and an EV at 16 A (11 kW): 24.8 kW against 29.1 kW: 4.3 kW left for the battery.
        SiteSnapshot s = new TestSites().limits(TestSites.limits(100, 2)).uncontrolled(20, 20, 20)
                .charger("a", TestSites.THREE, 16, ConnectorState.CHARGING, 16).battery("bat", 25, 0).build();
        SiteSnapshot withForecast = withLoadForecast(s, 40_000, TestSites.T0.plusSeconds(3600), Duration.ofHours(1));
        Setpoints proposal = Setpoints.empty().withBatteryPower("bat", Power.ZERO)
                .withChargerLimit(new org.fusebox.api.control.ConnectorRef("a", 1), Current.ofAmps(16));

        PeakShaving p = PeakShavingTest.optimiser(30, 15, 3, "UTC");
        Setpoints out = p.optimise(withForecast, proposal);

        assertThat(out.chargerLimit(new org.fusebox.api.control.ConnectorRef("a", 1))).contains(Current.ofAmps(16));
        assertThat(out.batteryPower("bat").orElseThrow().watts()).isCloseTo(29_100 - 13_800 - 11_040, within(1e-6));
    }

    @Test
    void theCurrentPeakUsesTheEnergyKeptForTheNextIntervalOnlyOnceTheEvsArePaused() {
        // 38.6 kW now against 29.1 kW; a forecast peak from the next interval keeps more than the 8 kWh the battery
        // holds (60 % of 20 kWh), and nothing can be charged back before it.
        SiteSnapshot s = new TestSites().limits(TestSites.limits(100, 2)).uncontrolled(40, 40, 40)
                .charger("a", TestSites.THREE, 16, ConnectorState.CHARGING, 16).battery("bat", 60, 0).build();
        Instant next = TestSites.T0.plusSeconds(900);
        org.fusebox.api.control.ConnectorRef a = new org.fusebox.api.control.ConnectorRef("a", 1);
        Setpoints proposal = Setpoints.empty().withBatteryPower("bat", Power.ZERO).withChargerLimit(a, Current.ofAmps(16));

        PeakShaving p = PeakShavingTest.optimiser(30, 15, 3, "UTC");
        Setpoints out = p.optimise(withLoadForecast(s, 60_000, next, Duration.ofHours(1)), proposal);

        // (66 - 29.1) kW over the target, of which the 10 kW rating can give, for an hour, over sqrt(0.9)
        assertThat(p.reserve().keepWh()).isCloseTo(10_000 / Math.sqrt(0.9), within(1e-6));
        assertThat(p.reserve().floorWh()).isEqualTo(p.reserve().keepWh());
        assertThat(out.chargerLimit(a)).contains(Current.ZERO);
        // 27.6 kW uncontrolled alone is under the target: the battery is not needed once the EV is paused.
        assertThat(out.batteryPower("bat").orElseThrow().watts()).isEqualTo(0);

        SiteSnapshot higher = new TestSites().limits(TestSites.limits(100, 2)).uncontrolled(45, 45, 45)
                .charger("a", TestSites.THREE, 16, ConnectorState.CHARGING, 16).battery("bat", 60, 0).build();
        out = PeakShavingTest.optimiser(30, 15, 3, "UTC").optimise(withLoadForecast(higher, 60_000, next, Duration.ofHours(1)), proposal);
        // 31.05 kW uncontrolled: the EV paused and 1.95 kW from the energy kept, as without a forecast.
        assertThat(out.chargerLimit(a)).contains(Current.ZERO);
        assertThat(out.batteryPower("bat").orElseThrow().watts()).isCloseTo(-(31_050 - 29_100), within(1e-6));
    }

    @Test
    void theCurrentPeakUsesTheEnergyThatCanBeChargedBackBeforeTheForecastOneFirst() {
        // The same site with the forecast peak an hour away: 18:15-19:00 at 5 kW (5.5 kW with the factor) can charge
        // 3 x 10 kW x 0.25 h x sqrt(0.9) = 7.1 kWh back, so the battery gives the 9.54 kW now and the EV keeps its 16 A.
        SiteSnapshot s = new TestSites().limits(TestSites.limits(100, 2)).uncontrolled(40, 40, 40)
                .charger("a", TestSites.THREE, 16, ConnectorState.CHARGING, 16).battery("bat", 60, 0).build();
        org.fusebox.api.control.ConnectorRef a = new org.fusebox.api.control.ConnectorRef("a", 1);
        Setpoints proposal = Setpoints.empty().withBatteryPower("bat", Power.ZERO).withChargerLimit(a, Current.ofAmps(16));

        PeakShaving p = PeakShavingTest.optimiser(30, 15, 3, "UTC");
        Setpoints out = p.optimise(withLoadForecast(s, 60_000, TestSites.T0.plusSeconds(3600), Duration.ofHours(1)), proposal);

        assertThat(p.reserve().floorWh()).isCloseTo(10_000 / Math.sqrt(0.9) - 3 * 10_000 * 0.25 * Math.sqrt(0.9), within(1e-6));
        assertThat(out.chargerLimit(a)).contains(Current.ofAmps(16));
        assertThat(out.batteryPower("bat").orElseThrow().watts()).isCloseTo(-(27_600 + 11_040 - 29_100), within(1e-6));
    }

    @Test
    void aLookAheadOutsideItsRangeIsRefusedWithTheReason() {
        PeakShaving p = new PeakShaving();
        p.configure(PeakShavingTest.config(30, 15, 3, "UTC", true, 24, 1.1));
        p.configure(PeakShavingTest.config(30, 15, 3, "UTC", true, 0, 0.9));
        assertThat(p.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(String.join(" ", p.health().details())).contains("lookAheadHours must be within 1..48, got 0",
                "forecastSafetyFactor must be within 1..3", "got 0.9", "previous one stays");
        assertThat(p.settings().lookAhead().horizon()).isEqualTo(Duration.ofHours(24));
        p.configure(PeakShavingTest.config(30, 15, 3, "UTC", true, 49, Double.NaN));
        assertThat(String.join(" ", p.health().details())).contains("got 49", "got NaN");
        p.configure(PeakShavingTest.config(30, 15, 3, "UTC", false, 48, 3));
        assertThat(p.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(p.settings().lookAhead()).isEqualTo(new PeakShavingSettings.LookAhead(false, Duration.ofHours(48), 3));
    }

    @Test
    void theForecastIsAveragedOverEachIntervalAndUnknownWhereItSaysNothing() {
        PowerForecast f = new PowerForecast(ForecastKind.SITE_LOAD, "t", List.of(
                new PowerSlot(TestSites.T0, Duration.ofMinutes(5), Power.ofWatts(1_000)),
                new PowerSlot(TestSites.T0.plusSeconds(300), Duration.ofMinutes(10), Power.ofWatts(4_000))));
        assertThat(PeakReserve.average(f, TestSites.T0, TestSites.T0.plusSeconds(900))).isCloseTo(3_000, within(1e-9));
        assertThat(PeakReserve.average(f, TestSites.T0.plusSeconds(600), TestSites.T0.plusSeconds(1200))).isCloseTo(4_000, within(1e-9));
        assertThat(PeakReserve.average(f, TestSites.T0.plusSeconds(900), TestSites.T0.plusSeconds(1800))).isNaN();
    }

    /** The snapshot with a SITE_LOAD forecast of {@code baseW} everywhere except {@code peakW} over the given hour. */
    static SiteSnapshot withLoadForecast(SiteSnapshot s, double peakW, Instant peakStart, Duration peakLength) {
        List<PowerSlot> slots = new ArrayList<>();
        for (Instant t = s.timestamp(); t.isBefore(s.timestamp().plus(Duration.ofHours(24))); t = t.plus(Duration.ofMinutes(15))) {
            boolean peak = !t.isBefore(peakStart) && t.isBefore(peakStart.plus(peakLength));
            slots.add(new PowerSlot(t, Duration.ofMinutes(15), Power.ofWatts(peak ? peakW : 5_000)));
        }
        SiteSnapshot.Builder b = SiteSnapshot.builder(s.limits()).timestamp(s.timestamp()).grid(s.grid())
                .forecast(new PowerForecast(ForecastKind.SITE_LOAD, "test", slots));
        s.chargers().forEach(b::charger);
        s.batteries().forEach(b::battery);
        return b.build();
    }
}
