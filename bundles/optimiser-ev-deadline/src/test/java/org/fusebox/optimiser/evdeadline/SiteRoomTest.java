package org.fusebox.optimiser.evdeadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.PowerSlot;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;

/**
 * The site's room for EVs per slot. A 63 A fuse with a 3 A margin leaves 60 A per phase: 41.4 kW over
 * three phases at 230 V; every 10 A per phase is 6.9 kW.
 */
class SiteRoomTest {

    private static final Instant T0 = TestSites.T0; // 18:00 UTC
    private static final Duration QUARTER = Duration.ofMinutes(15);

    /** Quarter-hour slots from T0 for {@code hours}. */
    private static List<Instant[]> quarters(int hours) {
        List<Instant[]> out = new ArrayList<>();
        for (int k = 0; k < hours * 4; k++) {
            out.add(new Instant[] { T0.plus(QUARTER.multipliedBy(k)), T0.plus(QUARTER.multipliedBy(k + 1)) });
        }
        return out;
    }

    /** A snapshot at T0 with the given uncontrolled current per phase, the forecasts and batteries. */
    private static SiteSnapshot site(double uncontrolledAmps, List<PowerForecast> forecasts, List<BatteryState> batteries) {
        TestSites t = new TestSites().limits(TestSites.limits(63, 3)).uncontrolled(uncontrolledAmps, uncontrolledAmps, uncontrolledAmps);
        SiteSnapshot s = t.build();
        SiteSnapshot.Builder b = SiteSnapshot.builder(s.limits()).timestamp(T0).grid(s.grid());
        forecasts.forEach(b::forecast);
        batteries.forEach(b::battery);
        return b.build();
    }

    private static PowerSlot hour(int fromHour, double kw) {
        return new PowerSlot(T0.plus(Duration.ofHours(fromHour)), Duration.ofHours(1), Power.ofKilowatts(kw));
    }

    private static PowerForecast load(PowerSlot... slots) {
        return new PowerForecast(ForecastKind.SITE_LOAD, "simple-load", List.of(slots));
    }

    private static PowerForecast pv(PowerSlot... slots) {
        return new PowerForecast(ForecastKind.PV_PRODUCTION, "simple-pv", List.of(slots));
    }

    private static Plan batteryPlan(Instant computedAt, String batteryId, PowerSlot... power) {
        return new Plan("battery", computedAt, List.of(new PlanLine(batteryId, null, List.of(power), Energy.ZERO, null, null,
                null, true, "")), null, List.of());
    }

    /** A battery with the given number of phases, idle now. */
    private static BatteryState battery(String id, int phases) {
        BatteryRatings ratings = new BatteryRatings(Energy.ofKilowattHours(20), Power.ofKilowatts(10), Power.ofKilowatts(10),
                Percent.of(90), phases);
        return new BatteryState(id, id, DeviceStatus.online(T0), ratings, new BatteryReading(T0, Power.ZERO, Percent.of(50), Power.ZERO));
    }

    private static SiteRoom.Result room(SiteSnapshot site, List<Instant[]> bounds, List<Plan> plans) {
        return room(site, bounds, plans, Setpoints.empty());
    }

    private static SiteRoom.Result room(SiteSnapshot site, List<Instant[]> bounds, List<Plan> plans, Setpoints proposal) {
        return SiteRoom.of(site, org.fusebox.api.site.PhaseBudget.uncontrolled(site).orElseThrow(), bounds, proposal, plans,
                QUARTER, ZoneOffset.UTC);
    }

    private static double cap(SiteRoom.Result r, int slot) {
        return r.rooms().get(slot).capKw();
    }

    @Test
    void withoutForecastsEverySlotHasTheRoomMeasuredNow() {
        SiteRoom.Result r = room(site(10, List.of(), List.of()), quarters(2), List.of());
        for (int t = 0; t < 8; t++) {
            assertThat(cap(r, t)).as("slot %d", t).isCloseTo(34.5, within(1e-9));
        }
        assertThat(r.notes()).containsExactly("no site load forecast: the load measured now is assumed for every slot",
                "no battery plan: no battery charging assumed after now");
    }

    @Test
    void laterSlotsUseLoadLessPvWhileTheCurrentSlotKeepsTheMeasuredLoad() {
        // Measured now 20 A per phase; forecast over both hours: load 6.9 kW less PV 2.07 kW = 7 A per phase.
        SiteRoom.Result r = room(site(20, List.of(load(hour(0, 6.9), hour(1, 6.9)), pv(hour(0, 2.07), hour(1, 2.07))), List.of()),
                quarters(2), List.of());
        assertThat(cap(r, 0)).isCloseTo(40 * 0.69, within(1e-9));
        for (int t = 1; t < 8; t++) {
            assertThat(cap(r, t)).as("slot %d", t).isCloseTo(53 * 0.69, within(1e-9));
        }
        assertThat(r.notes()).contains("site load forecast: simple-load", "PV forecast: simple-pv");
    }

    @Test
    void whereTheLoadForecastSaysNothingTheMeasuredLoadIsAssumedAndTheNoteSaysFromWhen() {
        // Load forecast for 18:00-19:00 only (34.5 kW = 50 A per phase); from 19:00 the measured 10 A.
        SiteRoom.Result r = room(site(10, List.of(load(hour(0, 34.5))), List.of()), quarters(2), List.of());
        assertThat(cap(r, 2)).isCloseTo(10 * 0.69, within(1e-9));
        assertThat(cap(r, 4)).isCloseTo(50 * 0.69, within(1e-9));
        assertThat(r.notes()).contains(
                "site load forecast: simple-load; where it says nothing (first at 19:00) the load measured now is assumed",
                "no PV forecast: no PV counted after the current slot");
    }

    @Test
    void aPvForecastWithoutALoadForecastIsNotUsed() {
        SiteRoom.Result r = room(site(10, List.of(pv(hour(0, 20), hour(1, 20))), List.of()), quarters(2), List.of());
        assertThat(cap(r, 5)).isCloseTo(34.5, within(1e-9));
        assertThat(r.notes()).contains("no site load forecast: the load measured now is assumed for every slot (PV forecast simple-pv not used without it)");
    }

    @Test
    void aPvSurplusIsRoomNowButNotInLaterSlots() {
        // Measured now: a 10 A surplus per phase. Later: forecast load 2 kW, PV 8 kW.
        SiteRoom.Result r = room(site(-10, List.of(load(hour(1, 2)), pv(hour(1, 8))), List.of()), quarters(2), List.of());
        assertThat(cap(r, 0)).isCloseTo(70 * 0.69, within(1e-9));
        assertThat(cap(r, 2)).as("no forecast: the surplus measured now is not carried on").isCloseTo(41.4, within(1e-9));
        assertThat(cap(r, 5)).as("forecast surplus: the fuse, not more").isCloseTo(41.4, within(1e-9));
    }

    @Test
    void aForecastPvSurplusCoversTheBatterysChargingFirst() {
        Plan charging5 = batteryPlan(T0, "bat", hour(1, 5));
        Plan charging10 = batteryPlan(T0, "bat", hour(1, 10));
        List<PowerForecast> sunny = List.of(load(hour(1, 2)), pv(hour(1, 8)));
        // 2 - 8 + 5 < 0: the battery soaks up surplus only.
        assertThat(cap(room(site(0, sunny, List.of(battery("bat", 3))), quarters(2), List.of(charging5)), 5)).isCloseTo(41.4, within(1e-9));
        // 2 - 8 + 10 = 4 kW from the grid.
        assertThat(cap(room(site(0, sunny, List.of(battery("bat", 3))), quarters(2), List.of(charging10)), 5)).isCloseTo(37.4, within(1e-9));
    }

    @Test
    void theBatterysPlannedChargingIsTakenOffAndItsDischargingIsNotAdded() {
        Plan plan = batteryPlan(T0, "bat", hour(0, 6.9), hour(1, -6.9));
        SiteRoom.Result r = room(site(10, List.of(), List.of(battery("bat", 3))), quarters(2), List.of(plan));
        assertThat(cap(r, 0)).isCloseTo(40 * 0.69, within(1e-9));
        assertThat(cap(r, 3)).isCloseTo(40 * 0.69, within(1e-9));
        assertThat(cap(r, 4)).isCloseTo(34.5, within(1e-9));
        assertThat(r.rooms().get(3).beforeBatteryKw()).isCloseTo(34.5, within(1e-9));
        assertThat(r.notes()).contains("battery plan: battery (computed at 18:00)");
    }

    @Test
    void aSinglePhaseBatteryTakesItsChargingFromOnePhase() {
        // 2.3 kW on L1 alone is 10 A there; the fullest phase counts for all three.
        Plan plan = batteryPlan(T0, "bat", hour(0, 2.3));
        SiteRoom.Result r = room(site(0, List.of(), List.of(battery("bat", 1))), quarters(1), List.of(plan));
        assertThat(cap(r, 1)).isCloseTo(50 * 0.69, within(1e-9));
    }

    @Test
    void aBatteryPlanOlderThanOneSlotIsIgnored() {
        PowerSlot charging = new PowerSlot(T0.minus(Duration.ofHours(1)), Duration.ofHours(3), Power.ofKilowatts(6.9));
        SiteSnapshot s = site(10, List.of(), List.of(battery("bat", 3)));
        SiteRoom.Result stale = room(s, quarters(2), List.of(batteryPlan(T0.minus(Duration.ofMinutes(16)), "bat", charging)));
        SiteRoom.Result fresh = room(s, quarters(2), List.of(batteryPlan(T0.minus(Duration.ofMinutes(14)), "bat", charging)));
        assertThat(cap(stale, 4)).isCloseTo(34.5, within(1e-9));
        assertThat(stale.notes()).contains("battery plan of battery ignored: computed at 17:44, more than one slot ago");
        assertThat(cap(fresh, 4)).isCloseTo(27.6, within(1e-9));
    }

    @Test
    void onlyOtherOptimisersBatteryLinesCount() {
        PlanLine evLine = new PlanLine("charger", 1, List.of(hour(0, 20)), Energy.ZERO, null, null, null, true, "");
        Plan evPlanOfOthers = new Plan("other", T0, List.of(evLine), null, List.of());
        Plan own = new Plan(SitePlanning.NAME, T0, List.of(new PlanLine("bat", null, List.of(hour(0, 20)), Energy.ZERO, null,
                null, null, true, "")), null, List.of());
        SiteRoom.Result r = room(site(10, List.of(), List.of()), quarters(1), List.of(evPlanOfOthers, own));
        assertThat(cap(r, 2)).isCloseTo(34.5, within(1e-9));
        assertThat(r.notes()).contains("no battery plan: no battery charging assumed after now");
    }

    @Test
    void twoPlansForTheSameBatteryAreNotAddedUp() {
        Plan a = batteryPlan(T0, "bat", hour(0, 6.9));
        Plan b = new Plan("peak", T0, a.lines(), null, List.of());
        SiteRoom.Result r = room(site(10, List.of(), List.of(battery("bat", 3))), quarters(1), List.of(a, b));
        assertThat(cap(r, 2)).isCloseTo(27.6, within(1e-9));
    }

    @Test
    void aChargingSetpointAlreadyProposedThisCycleCountsInTheCurrentSlot() {
        Setpoints proposal = Setpoints.empty().withBatteryPower("bat", Power.ofKilowatts(6.9));
        SiteRoom.Result r = room(site(10, List.of(), List.of(battery("bat", 3))), quarters(1), List.of(), proposal);
        assertThat(cap(r, 0)).isCloseTo(27.6, within(1e-9));
        assertThat(cap(r, 1)).isCloseTo(34.5, within(1e-9));
    }

    @Test
    void aSlotTakesItsWorstMoment() {
        // An hourly slot over quarter-hour forecasts: the one quarter at 6.9 kW decides the hour.
        PowerForecast quarters = load(new PowerSlot(T0.plus(Duration.ofMinutes(60)), QUARTER, Power.ZERO),
                new PowerSlot(T0.plus(Duration.ofMinutes(75)), QUARTER, Power.ofKilowatts(6.9)),
                new PowerSlot(T0.plus(Duration.ofMinutes(90)), QUARTER, Power.ZERO));
        List<Instant[]> hours = List.of(new Instant[] { T0, T0.plus(Duration.ofHours(1)) },
                new Instant[] { T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)) });
        SiteRoom.Result r = room(site(0, List.of(quarters), List.of()), hours, List.of());
        assertThat(cap(r, 1)).isCloseTo(34.5, within(1e-9));
    }

    @Test
    void theRoomIsNeverNegative() {
        SiteRoom.Result r = room(site(70, List.of(load(hour(1, 60))), List.of(battery("bat", 3))), quarters(2),
                List.of(batteryPlan(T0, "bat", hour(0, 10), hour(1, 10))));
        for (SiteRoom.Room room : r.rooms()) {
            assertThat(room.capKw()).isZero();
            assertThat(room.measuredKw()).isZero();
            assertThat(room.beforeBatteryKw()).isZero();
        }
    }

    @Test
    void aSinglePhaseSiteCountsItsOnePhase() {
        TestSites t = new TestSites().limits(new org.fusebox.api.site.SiteLimits(org.fusebox.api.units.Current.ofAmps(40),
                org.fusebox.api.units.Current.ofAmps(0), 1, org.fusebox.api.units.Voltage.NOMINAL_230, Percent.of(20),
                Percent.of(100), Duration.ofSeconds(1))).uncontrolled(10, 0, 0);
        SiteSnapshot base = t.build();
        SiteSnapshot s = SiteSnapshot.builder(base.limits()).timestamp(T0).grid(base.grid()).forecast(load(hour(1, 4.6))).build();
        SiteRoom.Result r = room(s, quarters(2), List.of());
        assertThat(cap(r, 0)).isCloseTo(30 * 0.23, within(1e-9));
        assertThat(cap(r, 4)).isCloseTo(20 * 0.23, within(1e-9));
    }

    @Test
    void chargersDrawingNowAreNotPartOfTheLoad() {
        // An EV drawing 16 A is controllable: the room is the fuse less the 10 A of uncontrolled load only.
        SiteSnapshot base = new TestSites().limits(TestSites.limits(63, 3)).uncontrolled(10, 10, 10)
                .charger("c", TestSites.THREE, 16, ConnectorState.CHARGING, 16).build();
        SiteRoom.Result r = room(base, quarters(1), List.of());
        assertThat(cap(r, 0)).isCloseTo(34.5, within(1e-9));
    }
}
