package org.fusebox.core;

import org.fusebox.testing.TestSites;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.Power;
import org.junit.jupiter.api.Test;

class SafetyGuardTest {

    private final SafetyGuard guard = new SafetyGuard();
    private static final Duration H = Duration.ofSeconds(2);

    private static ConnectorRef ref(String id) {
        return new ConnectorRef(id, 1);
    }

    @Test
    void sharesTheFuseEquallyWhenEveryoneAsksForTheirRating() {
        // 40 A fuse, 2 A margin, 10 A uncontrolled: 28 A left for three 32 A chargers.
        SiteSnapshot site = new TestSites().uncontrolled(10, 10, 10)
                .charger("a", TestSites.THREE, 32, ConnectorState.CHARGING, 0)
                .charger("b", TestSites.THREE, 32, ConnectorState.CHARGING, 0)
                .charger("c", TestSites.THREE, 32, ConnectorState.CHARGING, 0).build();
        Setpoints asked = ControlCycle.defaultProposal(site);

        SafetyGuard.Result r = guard.apply(site, asked, H);

        // 28 A / 3 = 9.33 A each, rounded down to 9.3 A.
        for (String id : List.of("a", "b", "c")) {
            assertThat(r.applied().chargerLimit(ref(id)).orElseThrow().amps()).isEqualTo(9.3);
        }
        assertThat(PhaseBudget.planned(site, r.applied()).orElseThrow().max().amps()).isLessThanOrEqualTo(38.0);
        assertThat(r.interventions()).extracting(i -> i.rule()).contains("fuse");
    }

    @Test
    void pausesConnectorsThatCannotGetTheirMinimum() {
        // 13 A left: two chargers cannot both get 6 A... they can (12 A); three cannot.
        SiteSnapshot site = new TestSites().uncontrolled(25, 25, 25)
                .charger("a", TestSites.THREE, 32, ConnectorState.CHARGING, 0)
                .charger("b", TestSites.THREE, 16, ConnectorState.CHARGING, 0)
                .charger("c", TestSites.THREE, 32, ConnectorState.CHARGING, 0).build();

        SafetyGuard.Result r = guard.apply(site, ControlCycle.defaultProposal(site), H);

        List<Double> amps = List.of("a", "b", "c").stream().map(id -> r.applied().chargerLimit(ref(id)).orElseThrow().amps()).toList();
        assertThat(amps).allSatisfy(a -> assertThat(a == 0 || a >= 6).isTrue());
        assertThat(amps.stream().filter(a -> a == 0).count()).isEqualTo(1);
        assertThat(amps.stream().mapToDouble(Double::doubleValue).sum()).isLessThanOrEqualTo(13.0);
    }

    @Test
    void onlyCutsThePhaseThatIsOverloaded() {
        SiteSnapshot site = new TestSites().uncontrolled(30, 5, 5)
                .charger("l1", List.of(Phase.L1), 32, ConnectorState.CHARGING, 0)
                .charger("l2", List.of(Phase.L2), 32, ConnectorState.CHARGING, 0).build();

        SafetyGuard.Result r = guard.apply(site, ControlCycle.defaultProposal(site), H);

        assertThat(r.applied().chargerLimit(ref("l1")).orElseThrow().amps()).isEqualTo(8.0);
        assertThat(r.applied().chargerLimit(ref("l2")).orElseThrow().amps()).isEqualTo(32.0);
    }

    @Test
    void cutsBatteryChargingBeforeEvs() {
        SiteSnapshot site = new TestSites().uncontrolled(20, 20, 20).battery("bat", 50, 0)
                .charger("a", TestSites.THREE, 16, ConnectorState.CHARGING, 0).build();
        Setpoints asked = ControlCycle.defaultProposal(site).withBatteryPower("bat", Power.ofKilowatts(6.9)); // 10 A per phase

        SafetyGuard.Result r = guard.apply(site, asked, H);

        // 18 A room: the EV keeps its 16 A, the battery gets the 2 A left (3 x 230 V x 2 A = 1380 W).
        assertThat(r.applied().chargerLimit(ref("a")).orElseThrow().amps()).isEqualTo(16.0);
        assertThat(r.applied().batteryPower("bat").orElseThrow().watts()).isCloseTo(1380, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void neverDischargesAtOrBelowMinimumSoc() {
        SiteSnapshot site = new TestSites().battery("bat", 20, 0).build();
        SafetyGuard.Result r = guard.apply(site, Setpoints.empty().withBatteryPower("bat", Power.ofKilowatts(-5)), H);
        assertThat(r.applied().batteryPower("bat").orElseThrow()).isEqualTo(Power.ZERO);
        assertThat(r.interventions()).extracting(i -> i.rule()).containsExactly("min-soc");
    }

    @Test
    void limitsDischargeSoTheMinimumHoldsOverTheHorizon() {
        // 0.01 % of 20 kWh above the minimum = 2 Wh; over 2 s that allows 3.6 kW.
        SiteSnapshot site = new TestSites().battery("bat", 20.01, 0).build();
        SafetyGuard.Result r = guard.apply(site, Setpoints.empty().withBatteryPower("bat", Power.ofKilowatts(-10)), H);
        assertThat(r.applied().batteryPower("bat").orElseThrow().watts()).isCloseTo(-3600, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void clampsToRatingsAndPausesBelowMinimumCurrent() {
        SiteSnapshot site = new TestSites().charger("a", TestSites.THREE, 16, ConnectorState.CHARGING, 0)
                .charger("b", TestSites.THREE, 16, ConnectorState.CHARGING, 0).build();
        Setpoints asked = Setpoints.empty().withChargerLimit(ref("a"), Current.ofAmps(80)).withChargerLimit(ref("b"), Current.ofAmps(3));

        SafetyGuard.Result r = guard.apply(site, asked, H);

        assertThat(r.applied().chargerLimit(ref("a")).orElseThrow().amps()).isEqualTo(16.0);
        assertThat(r.applied().chargerLimit(ref("b")).orElseThrow().amps()).isEqualTo(0.0);
    }

    @Test
    void addsNothingWhenTheUncontrolledLoadAloneIsOverTheFuse() {
        SiteSnapshot site = new TestSites().uncontrolled(45, 10, 10).battery("bat", 60, 0)
                .charger("a", TestSites.THREE, 16, ConnectorState.CHARGING, 0).build();
        Setpoints asked = ControlCycle.defaultProposal(site).withBatteryPower("bat", Power.ofKilowatts(3));

        SafetyGuard.Result r = guard.apply(site, asked, H);

        assertThat(r.applied().chargerLimit(ref("a")).orElseThrow()).isEqualTo(Current.ZERO);
        assertThat(r.applied().batteryPower("bat").orElseThrow()).isEqualTo(Power.ZERO);
        assertThat(r.interventions()).anySatisfy(i -> assertThat(i.detail()).contains("uncontrolled load alone"));
    }

    @Test
    void withoutAGridReadingNothingIsAdded() {
        SiteSnapshot full = new TestSites().charger("a", TestSites.THREE, 16, ConnectorState.CHARGING, 10).build();
        SiteSnapshot site = new SiteSnapshot(1, TestSites.T0, full.limits(), null, List.of(), List.of(), full.chargers(), null);

        SafetyGuard.Result r = guard.apply(site, ControlCycle.defaultProposal(site), H);

        assertThat(r.applied().chargerLimit(ref("a")).orElseThrow()).isEqualTo(Current.ZERO);
    }
}
