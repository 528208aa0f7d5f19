package org.fusebox.vpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.site.GridLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Power;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;

class SiteModelTest {

    static final java.time.Instant T0 = TestSites.T0;

    private static EvSession session(Double wantedKwh, Integer departureHours) {
        return new EvSession("s1", null, T0.minusSeconds(3600), Energy.ofKilowattHours(4),
                wantedKwh == null ? null : Energy.ofKilowattHours(wantedKwh), departureHours == null ? null : T0.plusSeconds(departureHours * 3600L),
                null, null);
    }

    @Test
    void batteriesAndEvsThatSayWhatTheyNeedMayMoveTheRestIsUncontrolled() {
        SiteSnapshot s = new TestSites().uncontrolled(10, 10, 10).battery("bat", 50, 2000)
                .charger("cp", TestSites.THREE, 16, ConnectorState.CHARGING, 16, 16, session(24.0, 3))
                .charger("anon", TestSites.THREE, 16, ConnectorState.CHARGING, 10, 10, session(null, null)).build();
        FlexSite site = SiteModel.from(s).orElseThrow();
        // the grid sees 6.9 + 2 + 11.04 + 6.9 kW; the EV that says nothing stays in the uncontrolled part
        assertThat(site.uncontrolledKw()).isCloseTo(6.9 + 6.9, within(1e-9));
        assertThat(site.planningLimitKw()).isCloseTo(38 * 690 / 1000.0, within(1e-9));
        assertThat(site.batteries()).singleElement().satisfies(b -> {
            assertThat(b.storedKwh()).isCloseTo(10, within(1e-9));
            assertThat(b.minKwh()).isCloseTo(4, within(1e-9));
            assertThat(b.maxKwh()).isCloseTo(20, within(1e-9));
            assertThat(b.powerKw()).isEqualTo(2);
            assertThat(b.chargeEfficiency()).isCloseTo(Math.sqrt(0.9), within(1e-12));
        });
        assertThat(site.evs()).singleElement().satisfies(ev -> {
            assertThat(ev.id()).isEqualTo("cp/1");
            assertThat(ev.neededKwh()).isCloseTo(20, within(1e-9));
            assertThat(ev.powerKw()).isCloseTo(11.04, within(1e-9));
            assertThat(ev.minKw()).isCloseTo(4.14, within(1e-9));
            assertThat(ev.maxKw()).isCloseTo(11.04, within(1e-9));
            assertThat(ev.departure()).isEqualTo(T0.plusSeconds(3 * 3600));
        });
    }

    @Test
    void aBatteryFollowsItsPlanFromTheCycleUnlessThePlanIsStale() {
        SiteSnapshot s = new TestSites().uncontrolled(10, 10, 10).battery("bat", 50, 0).build();
        var line = new org.fusebox.api.control.PlanLine("bat", null,
                java.util.List.of(new org.fusebox.api.units.PowerSlot(T0.plusSeconds(900), java.time.Duration.ofMinutes(15), Power.ofKilowatts(-5))),
                Energy.ZERO, null, null, null, true, "");
        var fresh = new org.fusebox.api.control.Plan("battery", T0.minusSeconds(60), java.util.List.of(line), null, java.util.List.of());
        var old = new org.fusebox.api.control.Plan("battery", T0.minusSeconds(3600), java.util.List.of(line), null, java.util.List.of());
        FlexSite planned = SiteModel.from(withPlans(s, fresh), java.time.Duration.ofMinutes(15)).orElseThrow();
        assertThat(planned.batteries().get(0).expectedKw(T0)).isZero();
        assertThat(planned.batteries().get(0).expectedKw(T0.plusSeconds(900))).isEqualTo(-5);
        FlexSite stale = SiteModel.from(withPlans(s, old), java.time.Duration.ofMinutes(15)).orElseThrow();
        assertThat(stale.batteries().get(0).plan()).isEmpty();
        // the reference follows it: the import drops by 5 kW in the second quarter
        var calc = new FlexibilityCalculator(planned, Slot.aligned(T0, java.time.Duration.ofMinutes(15), java.time.Duration.ofHours(1)));
        assertThat(calc.referenceImportKw(0)).isCloseTo(6.9, within(1e-9));
        assertThat(calc.referenceImportKw(1)).isCloseTo(1.9, within(1e-9));
    }

    @Test
    void anEvFollowsTheDeadlinePlannersLineForItsConnector() {
        SiteSnapshot s = new TestSites().charger("cp", TestSites.THREE, 16, ConnectorState.CHARGING, 16, 16, session(24.0, 3)).build();
        var line = new org.fusebox.api.control.PlanLine("cp", 1,
                java.util.List.of(new org.fusebox.api.units.PowerSlot(T0, java.time.Duration.ofMinutes(30), Power.ofKilowatts(0)),
                        new org.fusebox.api.units.PowerSlot(T0.plusSeconds(1800), java.time.Duration.ofMinutes(30), Power.ofKilowatts(7))),
                Energy.ZERO, Energy.ofKilowattHours(20), T0.plusSeconds(3 * 3600), null, true, "");
        var plan = new org.fusebox.api.control.Plan("ev-deadline", T0, java.util.List.of(line), null, java.util.List.of());
        FlexSite site = SiteModel.from(withPlans(s, plan), java.time.Duration.ofMinutes(15)).orElseThrow();
        var calc = new FlexibilityCalculator(site, Slot.aligned(T0, java.time.Duration.ofMinutes(15), java.time.Duration.ofHours(2)));
        // paused by its plan for half an hour: nothing to shed then, 7 kW after, 11.04 kW where the plan ends
        assertThat(calc.evReferenceKw(0, 0)).isZero();
        assertThat(calc.evReferenceKw(0, 2)).isEqualTo(7);
        assertThat(calc.evReferenceKw(0, 4)).isCloseTo(11.04, within(1e-9));
        assertThat(calc.offer().get(0).shedKw()).isZero();
    }

    private static org.fusebox.api.control.CycleReport withPlans(SiteSnapshot s, org.fusebox.api.control.Plan plan) {
        var r = Cycles.report(s);
        return new org.fusebox.api.control.CycleReport(s, r.trigger(), r.optimisers(), r.proposed(), r.applied(), r.interventions(),
                r.writeResults(), r.state(), r.duration(), java.util.List.of(plan));
    }

    @Test
    void aGridImportLimitLowersThePlanningLimit() {
        SiteSnapshot s = new TestSites().uncontrolled(10, 10, 10).build();
        SiteSnapshot limited = new SiteSnapshot(s.cycle(), s.timestamp(), s.limits().withGrid(new GridLimits(Power.ofKilowatts(15), null, "dso")),
                s.grid(), s.pv(), s.batteries(), s.chargers(), s.prices());
        assertThat(SiteModel.from(limited).orElseThrow().planningLimitKw()).isCloseTo(15 - 2 * 0.69, within(1e-9));
    }

    @Test
    void withoutAGridReadingNothingIsKnown() {
        SiteSnapshot s = new TestSites().build();
        SiteSnapshot blind = new SiteSnapshot(s.cycle(), s.timestamp(), s.limits(), null, s.pv(), s.batteries(), s.chargers(), s.prices());
        assertThat(SiteModel.from(blind)).isEmpty();
    }

    @Test
    void anEvThatIsNotDrawingOrWhoseDepartureIsPastOffersNothing() {
        SiteSnapshot s = new TestSites().charger("done", TestSites.THREE, 16, ConnectorState.FINISHING, 0, 0, session(24.0, 3))
                .charger("late", TestSites.THREE, 16, ConnectorState.CHARGING, 16, 16, session(24.0, -1)).build();
        assertThat(SiteModel.from(s).orElseThrow().evs()).isEmpty();
    }
}
