package org.fusebox.optimiser.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.Power;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;

class FuseSharingTest {

    private final FuseSharing sharing = new FuseSharing();
    private static final FuseSettings NO_HYSTERESIS = new FuseSettings(Map.of(), 0, 0);

    private static double amps(Setpoints s, String id) {
        return s.chargerLimit(new ConnectorRef(id, 1)).orElseThrow().amps();
    }

    private static Setpoints everyoneAtRating(SiteSnapshot site) {
        Setpoints s = Setpoints.empty();
        for (var c : site.chargers()) {
            s = s.withChargerLimit(new ConnectorRef(c.id(), 1), c.connectors().get(0).maxCurrent());
        }
        return s;
    }

    @Test
    void equalSharesUnderTheFuse() {
        SiteSnapshot site = new TestSites().uncontrolled(8, 8, 8)
                .charger("a", TestSites.THREE, 32, ConnectorState.CHARGING, 0)
                .charger("b", TestSites.THREE, 32, ConnectorState.CHARGING, 0)
                .charger("c", TestSites.THREE, 32, ConnectorState.CHARGING, 0).build();

        Setpoints out = sharing.share(site, everyoneAtRating(site), NO_HYSTERESIS);

        // 40 - 2 - 8 = 30 A for three: 10 A each.
        assertThat(List.of(amps(out, "a"), amps(out, "b"), amps(out, "c"))).containsOnly(10.0);
    }

    @Test
    void whatASmallEvLeavesGoesToTheOthers() {
        SiteSnapshot site = new TestSites().uncontrolled(8, 8, 8)
                .charger("small", TestSites.THREE, 32, ConnectorState.CHARGING, 0)
                .charger("b", TestSites.THREE, 32, ConnectorState.CHARGING, 0).build();
        Setpoints asked = everyoneAtRating(site).withChargerLimit(new ConnectorRef("small", 1), Current.ofAmps(7));

        Setpoints out = sharing.share(site, asked, NO_HYSTERESIS);

        assertThat(amps(out, "small")).isEqualTo(7.0);
        assertThat(amps(out, "b")).isEqualTo(23.0);
    }

    @Test
    void weightsSplitTheCurrentInProportion() {
        SiteSnapshot site = new TestSites().uncontrolled(8, 8, 8)
                .charger("vip", TestSites.THREE, 32, ConnectorState.CHARGING, 0)
                .charger("b", TestSites.THREE, 32, ConnectorState.CHARGING, 0).build();

        Setpoints out = sharing.share(site, everyoneAtRating(site), new FuseSettings(Map.of("vip", 2), 0, 0));

        assertThat(amps(out, "vip")).isEqualTo(20.0);
        assertThat(amps(out, "b")).isEqualTo(10.0);
    }

    @Test
    void singlePhaseEvsFillTheirOwnPhase() {
        SiteSnapshot site = new TestSites().uncontrolled(20, 8, 8)
                .charger("l1", List.of(Phase.L1), 32, ConnectorState.CHARGING, 0)
                .charger("l2", List.of(Phase.L2), 32, ConnectorState.CHARGING, 0)
                .charger("tri", TestSites.THREE, 32, ConnectorState.CHARGING, 0).build();

        Setpoints out = sharing.share(site, everyoneAtRating(site), NO_HYSTERESIS);

        // L1 has 18 A for l1 and tri: 9 A each. tri stops there; l2 takes the rest of L2: 30 - 9 = 21 A.
        assertThat(amps(out, "l1")).isEqualTo(9.0);
        assertThat(amps(out, "tri")).isEqualTo(9.0);
        assertThat(amps(out, "l2")).isEqualTo(21.0);
    }

    @Test
    void pausesTheLastArrivedWhenNotEveryoneCanGetTheMinimum() {
        Instant early = TestSites.T0.minusSeconds(3600);
        Instant late = TestSites.T0.minusSeconds(60);
        // 11 A of room: one EV at 6 A fits, two do not.
        SiteSnapshot site = new TestSites().uncontrolled(27, 27, 27)
                .charger("late", TestSites.THREE, 32, ConnectorState.CHARGING, 0, 0, session("s1", late))
                .charger("early", TestSites.THREE, 32, ConnectorState.CHARGING, 0, 0, session("s2", early)).build();

        Setpoints out = sharing.share(site, everyoneAtRating(site), NO_HYSTERESIS);

        assertThat(amps(out, "early")).isEqualTo(11.0);
        assertThat(amps(out, "late")).isEqualTo(0.0);
    }

    @Test
    void aPausedEvResumesOnlyWithHeadroomBeyondItsMinimum() {
        // 7 A free: enough for 6 A, not for 6 A + 2 A hysteresis.
        SiteSnapshot paused = new TestSites().uncontrolled(31, 31, 31)
                .charger("a", TestSites.THREE, 32, ConnectorState.SUSPENDED_EVSE, 0, 0, null).build();
        SiteSnapshot running = new TestSites().uncontrolled(31, 31, 31)
                .charger("a", TestSites.THREE, 32, ConnectorState.CHARGING, 6, 6, null).build();
        FuseSettings settings = new FuseSettings(Map.of(), 2, 0);

        assertThat(amps(sharing.share(paused, everyoneAtRating(paused), settings), "a")).isEqualTo(0.0);
        // Running at 6 A with 6 A drawn: the uncontrolled part is 31 A, room 7 A: it keeps running.
        assertThat(amps(sharing.share(running, everyoneAtRating(running), settings), "a")).isEqualTo(7.0);
    }

    @Test
    void smallRaisesAreHeldBackButCutsAreNot() {
        SiteSnapshot site = new TestSites().uncontrolled(20, 20, 20)
                .charger("a", TestSites.THREE, 32, ConnectorState.CHARGING, 17.5, 17.5, null).build();
        FuseSettings settings = new FuseSettings(Map.of(), 0, 1.0);
        // Room 18 A: a raise of 0.5 A is not worth a write.
        assertThat(amps(sharing.share(site, everyoneAtRating(site), settings), "a")).isEqualTo(17.5);

        SiteSnapshot tighter = new TestSites().uncontrolled(23, 23, 23)
                .charger("a", TestSites.THREE, 32, ConnectorState.CHARGING, 17.5, 17.5, null).build();
        assertThat(amps(sharing.share(tighter, everyoneAtRating(tighter), settings), "a")).isEqualTo(15.0);
    }

    @Test
    void batteryChargingGivesWayToEvs() {
        SiteSnapshot site = new TestSites().uncontrolled(20, 20, 20).battery("bat", 50, 0)
                .charger("a", TestSites.THREE, 16, ConnectorState.CHARGING, 0).build();
        Setpoints asked = everyoneAtRating(site).withBatteryPower("bat", Power.ofKilowatts(10));

        Setpoints out = sharing.share(site, asked, NO_HYSTERESIS);

        // 18 A room: the battery is cut to fit first, then the EV gets what is left.
        assertThat(out.batteryPower("bat").orElseThrow().watts()).isLessThanOrEqualTo(18 * 230 * 3 + 1e-6);
        double batteryAmps = out.batteryPower("bat").orElseThrow().watts() / (230 * 3);
        assertThat(amps(out, "a") + batteryAmps).isLessThanOrEqualTo(18.0 + 1e-6);
    }

    @Test
    void connectorsWithoutAnEvGetNothing() {
        SiteSnapshot site = new TestSites().charger("idle", TestSites.THREE, 32, ConnectorState.AVAILABLE, 0).build();
        assertThat(amps(sharing.share(site, everyoneAtRating(site), NO_HYSTERESIS), "idle")).isEqualTo(0.0);
    }

    @Test
    void refusesBadSettingsWithEveryReason() {
        FuseConfig bad = new FuseConfig() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return FuseConfig.class;
            }

            @Override
            public String[] priorities() {
                return new String[] { "a=0", "b", "c=x" };
            }

            @Override
            public double resumeHysteresisAmps() {
                return -1;
            }

            @Override
            public double minIncreaseAmps() {
                return 1;
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FuseSettings.from(bad))
                .hasMessageContaining("priorities weight for a must be within 1..100, got 0")
                .hasMessageContaining("priorities entry 'b' must look like chargerId=weight")
                .hasMessageContaining("priorities weight for c must be a whole number, got 'x'")
                .hasMessageContaining("resumeHysteresisAmps must be within 0..32, got -1.0");
    }

    private static EvSession session(String id, Instant started) {
        return new EvSession(id, null, started, Energy.ZERO, null, null, null, null);
    }
}
