package org.fusebox.optimiser.evdeadline;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.control.Tier;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Phase;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;

class EvDeadlineChargingTest {

    private static final Instant T0 = TestSites.T0;
    private static final ConnectorRef EV = new ConnectorRef("ev", 1);
    private static final ConnectorRef EV2 = new ConnectorRef("ev2", 1);

    private static PriceCurve hourlyPrices(String... perMwh) {
        List<PriceSlot> slots = new ArrayList<>();
        for (int h = 0; h < perMwh.length; h++) {
            slots.add(new PriceSlot(T0.plus(Duration.ofHours(h)), Duration.ofHours(1), EnergyPrice.perMegawattHour(perMwh[h], "EUR")));
        }
        return new PriceCurve(slots);
    }

    private static EvSession session(double requestedKwh, Instant departure) {
        return new EvSession("s1", null, T0.minus(Duration.ofHours(1)), Energy.ZERO, Energy.ofKilowattHours(requestedKwh),
                departure, null, null);
    }

    private static SiteSnapshot site(PriceCurve prices, EvSession session, List<Phase> phases) {
        SiteSnapshot s = new TestSites().limits(TestSites.limits(63, 3)).uncontrolled(10, 10, 10)
                .charger("ev", phases, 16, ConnectorState.CHARGING, 0, 16, session).build();
        return SiteSnapshot.builder(s.limits()).timestamp(s.timestamp()).grid(s.grid()).charger(s.chargers().get(0))
                .prices(prices).build();
    }

    static EvDeadlineConfig config(int slotMinutes, double departureHours, double energyKwh) {
        return config(slotMinutes, departureHours, energyKwh, true, 4, 8, 0.1, "");
    }

    static EvDeadlineConfig config(int slotMinutes, double departureHours, double energyKwh, boolean reserve, int weeks,
            int minObservations, double margin, String zone) {
        return new EvDeadlineConfig() {
            @Override
            public boolean arrivalReserve() {
                return reserve;
            }

            @Override
            public int arrivalLearningWeeks() {
                return weeks;
            }

            @Override
            public int arrivalMinObservations() {
                return minObservations;
            }

            @Override
            public double arrivalSafetyMargin() {
                return margin;
            }

            @Override
            public String siteZone() {
                return zone;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return EvDeadlineConfig.class;
            }

            @Override
            public int slotMinutes() {
                return slotMinutes;
            }

            @Override
            public double defaultDepartureHours() {
                return departureHours;
            }

            @Override
            public double defaultEnergyKwh() {
                return energyKwh;
            }
        };
    }

    private static EvDeadlineCharging optimiser() {
        EvDeadlineCharging o = new EvDeadlineCharging();
        o.configure(config(15, 10, 30));
        return o;
    }

    @Test
    void isAnEconomicOptimiser() {
        assertThat(optimiser().tier()).isEqualTo(Tier.ECONOMIC);
        assertThat(optimiser().health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void withoutPricesTheProposalIsKept() {
        Setpoints proposal = Setpoints.empty().withChargerLimit(EV, Current.ofAmps(16));
        Setpoints out = optimiser().optimise(site(PriceCurve.EMPTY, session(10, T0.plus(Duration.ofHours(4))), TestSites.THREE), proposal);
        assertThat(out).isEqualTo(proposal);
    }

    @Test
    void waitsForTheCheapHourWhenTheDeadlineAllows() {
        // 11 kW three-phase EV, 10 kWh by T0+3h; the second hour is cheapest.
        SiteSnapshot s = site(hourlyPrices("200", "50", "150"), session(10, T0.plus(Duration.ofHours(3))), TestSites.THREE);
        Setpoints out = optimiser().optimise(s, Setpoints.empty().withChargerLimit(EV, Current.ofAmps(16)));
        assertThat(out.chargerLimit(EV)).contains(Current.ZERO);
    }

    @Test
    void chargesNowWhenNowIsCheapestAndTurnsPowerIntoCurrentPerPhase() {
        // 30 kWh by T0+3h at 11 kW: the cheap first hour is used to the full 16 A.
        SiteSnapshot s = site(hourlyPrices("20", "150", "150"), session(30, T0.plus(Duration.ofHours(3))), TestSites.THREE);
        Setpoints out = optimiser().optimise(s, Setpoints.empty());
        assertThat(out.chargerLimit(EV).orElseThrow().amps()).isEqualTo(16.0);
    }

    @Test
    void aSinglePhaseEvGetsPowerOverOnePhase() {
        SiteSnapshot s = site(hourlyPrices("20", "150"), session(0.5, T0.plus(Duration.ofHours(2))), List.of(Phase.L2));
        Setpoints out = optimiser().optimise(s, Setpoints.empty());
        // 0.5 kWh in the first 15-minute slot = 2 kW = 8.69 A on its one phase, rounded down to 0.1 A.
        assertThat(out.chargerLimit(EV).orElseThrow().amps()).isEqualTo(8.6);
    }

    @Test
    void anEvPastItsDepartureChargesAtOnce() {
        SiteSnapshot s = site(hourlyPrices("300", "10"), session(30, T0.minus(Duration.ofMinutes(5))), TestSites.THREE);
        Setpoints out = optimiser().optimise(s, Setpoints.empty());
        assertThat(out.chargerLimit(EV).orElseThrow().amps()).isEqualTo(16.0);
    }

    @Test
    void aConnectorWithoutAnEvIsLeftAlone() {
        SiteSnapshot base = new TestSites().uncontrolled(5, 5, 5)
                .charger("ev2", TestSites.THREE, 16, ConnectorState.AVAILABLE, 0, 0, null).build();
        SiteSnapshot s = SiteSnapshot.builder(base.limits()).timestamp(T0).grid(base.grid()).charger(base.chargers().get(0))
                .prices(hourlyPrices("10")).build();
        Setpoints proposal = Setpoints.empty().withChargerLimit(EV2, Current.ofAmps(7));
        assertThat(optimiser().optimise(s, proposal)).isEqualTo(proposal);
    }

    @Test
    void aBadConfigurationIsRefusedWithEveryReasonAndThePreviousOneStays() {
        EvDeadlineCharging o = optimiser();
        o.configure(config(30, 8, 40));
        o.configure(config(7, 0, -1));
        assertThat(o.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(String.join(" ", o.health().details())).contains("slotMinutes", "defaultDepartureHours", "defaultEnergyKwh");
        assertThat(o.settings()).isEqualTo(new EvDeadlineSettings(Duration.ofMinutes(30), Duration.ofHours(8), 40));
        o.configure(config(60, 12, 20));
        assertThat(o.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(o.settings().slotLength()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void slotsStartNowAndFollowTheClockUntilPricesEnd() {
        Instant now = T0.plus(Duration.ofMinutes(7));
        List<Slot> slots = SitePlanning.slots(hourlyPrices("10", "20"), now, Duration.ofMinutes(15), 5);
        assertThat(slots).hasSize(8);
        assertThat(slots.get(0).length()).isEqualTo(Duration.ofMinutes(8));
        assertThat(slots.get(4).pricePerKwh()).isEqualTo(0.02);
        assertThat(slots.get(7).end()).isEqualTo(T0.plus(Duration.ofHours(2)));
    }

    @Test
    void defaultsFillWhatTheSessionDoesNotSay() {
        EvDeadlineSettings settings = new EvDeadlineSettings(Duration.ofMinutes(15), Duration.ofHours(8), 25);
        EvSession unknown = new EvSession("s", null, T0, Energy.ofKilowattHours(5), null, null, null, null);
        assertThat(SitePlanning.energyKwh(unknown, settings)).isEqualTo(20.0);
        assertThat(SitePlanning.departure(unknown, T0.plusSeconds(60), settings)).isEqualTo(T0.plus(Duration.ofHours(8)));
        assertThat(SitePlanning.energyKwh(null, settings)).isEqualTo(25.0);
    }
}
