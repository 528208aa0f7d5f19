package org.fusebox.optimiser.evdeadline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.PowerSlot;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;

/** The plan under the load forecast and the battery's plan, and the component reading the latest cycle. */
class EvDeadlineRoomPlanTest {

    private static final Instant T0 = TestSites.T0; // 18:00 UTC
    private static final ConnectorRef EV = new ConnectorRef("a", 1);

    /** A control loop whose latest cycle carries the given plans. */
    static class LoopWithPlans implements ControlLoop {
        private final SiteSnapshot snapshot;
        volatile List<Plan> plans;

        LoopWithPlans(SiteSnapshot snapshot, List<Plan> plans) {
            this.snapshot = snapshot;
            this.plans = plans;
        }

        @Override
        public void requestCycle(String reason) {
        }

        @Override
        public ControlState state() {
            return new ControlState(ControlMode.RUNNING, List.of(), T0);
        }

        @Override
        public Optional<CycleReport> lastCycle() {
            return Optional.of(new CycleReport(snapshot, "period", List.of(), Setpoints.empty(), Setpoints.empty(), List.of(),
                    Map.of(), state(), Duration.ZERO, plans));
        }
    }

    private static PriceCurve flatPrices(int hours) {
        List<PriceSlot> slots = new ArrayList<>();
        for (int h = 0; h < hours; h++) {
            slots.add(new PriceSlot(T0.plus(Duration.ofHours(h)), Duration.ofHours(1), EnergyPrice.perMegawattHour("100", "EUR")));
        }
        return new PriceCurve(slots);
    }

    /** One three-phase 16 A EV (11.04 kW) wanting {@code kwh} by 20:00, 5 A of uncontrolled load per phase. */
    private static SiteSnapshot site(double kwh, PowerForecast... forecasts) {
        EvSession session = new EvSession("s", null, T0.minus(Duration.ofHours(1)), Energy.ZERO, Energy.ofKilowattHours(kwh),
                T0.plus(Duration.ofHours(2)), null, null);
        SiteSnapshot s = new TestSites().limits(TestSites.limits(63, 3)).uncontrolled(5, 5, 5)
                .charger("a", TestSites.THREE, 16, ConnectorState.CHARGING, 0, 16, session).build();
        SiteSnapshot.Builder b = SiteSnapshot.builder(s.limits()).timestamp(T0).grid(s.grid()).charger(s.chargers().get(0))
                .prices(flatPrices(3));
        for (PowerForecast f : forecasts) {
            b.forecast(f);
        }
        return b.build();
    }

    private static Plan batteryPlan(Instant computedAt, PowerSlot... power) {
        return new Plan("battery", computedAt, List.of(new PlanLine("bat", null, List.of(power), Energy.ZERO, null, null, null,
                true, "")), null, List.of());
    }

    private static EvDeadlineCharging optimiser() {
        EvDeadlineCharging o = new EvDeadlineCharging(ZoneOffset.UTC);
        o.configure(EvDeadlineChargingTest.config(15, 10, 30));
        return o;
    }

    private static PowerSlot from19(double kw) {
        return new PowerSlot(T0.plus(Duration.ofHours(1)), Duration.ofHours(1), Power.ofKilowatts(kw));
    }

    @Test
    void aTargetMissedBecauseOfTheLoadForecastSaysSo() {
        // 20 kWh by 20:00 at 11.04 kW would fit (22.08 kWh), but from 19:00 the load forecast leaves 6.9 kW.
        PowerForecast load = new PowerForecast(ForecastKind.SITE_LOAD, "simple-load", List.of(from19(34.5)));
        EvDeadlineCharging o = optimiser();
        o.optimise(site(20, load), Setpoints.empty());
        Plan plan = o.plan().orElseThrow();
        PlanLine a = plan.lines().get(0);
        assertThat(a.targetMet()).isFalse();
        assertThat(a.note()).isEqualTo("needs 20.0 kWh, can get 17.9 by 20:00 because the site load forecast leaves 6.9 kW for EVs from 19:00");
        assertThat(a.power()).last().satisfies(p -> assertThat(p.power().kilowatts()).isLessThanOrEqualTo(6.9 + 1e-9));
        assertThat(plan.notes()).contains("site load forecast: simple-load; where it says nothing (first at 18:15) the load measured now is assumed",
                "no PV forecast: no PV counted after the current slot", "no battery plan: no battery charging assumed after now");
    }

    @Test
    void aTargetMissedBecauseOfTheBatterysChargingSaysSo() {
        // Measured room 55 A x 0.69 = 37.95 kW; the battery charges 31.05 kW from 19:00, leaving 6.9 kW.
        EvDeadlineCharging o = optimiser();
        SiteSnapshot site = site(20);
        o.setControlLoop(new LoopWithPlans(site, List.of(batteryPlan(T0, from19(31.05)))));
        o.optimise(site, Setpoints.empty());
        Plan plan = o.plan().orElseThrow();
        assertThat(plan.lines().get(0).note())
                .isEqualTo("needs 20.0 kWh, can get 17.9 by 20:00 because the battery's planned charging leaves 6.9 kW for EVs from 19:00");
        assertThat(plan.notes()).contains("battery plan: battery (computed at 18:00)",
                "no site load forecast: the load measured now is assumed for every slot");
    }

    @Test
    void theComponentReadsTheBatteryPlanOfTheLatestCycleWhileTheControlLoopIsThere() {
        // The battery charges 35 kW now: 2.95 kW are left, below the 4.14 kW minimum, so the EV waits.
        EvDeadlineCharging o = optimiser();
        SiteSnapshot site = site(5);
        LoopWithPlans loop = new LoopWithPlans(site, List.of(batteryPlan(T0, new PowerSlot(T0, Duration.ofHours(1),
                Power.ofKilowatts(35)))));
        Setpoints without = o.optimise(site, Setpoints.empty());
        assertThat(without.chargerLimit(EV).orElseThrow().amps()).isEqualTo(16.0);

        o.setControlLoop(loop);
        assertThat(o.optimise(site, Setpoints.empty()).chargerLimit(EV).orElseThrow().amps()).isZero();
        assertThat(o.plan().orElseThrow().lines().get(0).targetMet()).isTrue();

        // A plan computed more than one slot ago no longer counts.
        loop.plans = List.of(batteryPlan(T0.minus(Duration.ofMinutes(20)), new PowerSlot(T0, Duration.ofHours(1), Power.ofKilowatts(35))));
        assertThat(o.optimise(site, Setpoints.empty()).chargerLimit(EV).orElseThrow().amps()).isEqualTo(16.0);
        assertThat(o.plan().orElseThrow().notes()).contains("battery plan of battery ignored: computed at 17:40, more than one slot ago");

        loop.plans = List.of(batteryPlan(T0, new PowerSlot(T0, Duration.ofHours(1), Power.ofKilowatts(35))));
        o.unsetControlLoop(loop);
        assertThat(o.optimise(site, Setpoints.empty()).chargerLimit(EV).orElseThrow().amps()).isEqualTo(16.0);
    }

    @Test
    void aFailingControlLoopCostsOnlyTheBatteryPlan() {
        EvDeadlineCharging o = optimiser();
        SiteSnapshot site = site(5);
        o.setControlLoop(new LoopWithPlans(site, List.of()) {
            @Override
            public Optional<CycleReport> lastCycle() {
                throw new IllegalStateException("core stopping");
            }
        });
        assertThat(o.optimise(site, Setpoints.empty()).chargerLimit(EV).orElseThrow().amps()).isEqualTo(16.0);
        assertThat(o.plan().orElseThrow().notes()).contains("no battery plan: no battery charging assumed after now");
    }
}
