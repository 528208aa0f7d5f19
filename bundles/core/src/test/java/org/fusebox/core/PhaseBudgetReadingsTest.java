package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.GridState;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;

/** PhaseBudget believes a measured draw only while it can be true now. */
class PhaseBudgetReadingsTest {

    private static final Instant NOW = TestSites.T0;
    private static final SiteLimits LIMITS = new SiteLimits(Current.ofAmps(63), Current.ofAmps(2), 3, Voltage.NOMINAL_230,
            Percent.of(20), Percent.of(100), Duration.ofSeconds(1), Duration.ofSeconds(3));
    private static final ConnectorInfo INFO = new ConnectorInfo(1, TestSites.THREE, Current.ofAmps(6), Current.ofAmps(32),
            Current.ofAmps(6));

    /** A 40 A grid reading and one connector reporting 16 A per phase in {@code state}, measured {@code ageSeconds} ago. */
    private static SiteSnapshot site(ConnectorState state, long ageSeconds, DeviceStatus chargerStatus) {
        ConnectorReading c = new ConnectorReading(1, state, Power.ofWatts(16 * 690), PhaseCurrents.ofAmps(16, 16, 16), Current.ofAmps(16),
                Energy.ZERO, null, NOW.minusSeconds(ageSeconds));
        return SiteSnapshot.builder(LIMITS).timestamp(NOW)
                .grid(new GridState("grid", "grid", DeviceStatus.online(NOW), new MeterReading(NOW, Power.ofWatts(40 * 690),
                        PhaseCurrents.ofAmps(40, 40, 40), Voltage.NOMINAL_230, Energy.ZERO, Energy.ZERO)))
                .charger(new ChargerState("c", "c", chargerStatus, List.of(INFO), new ChargerReading(NOW, List.of(c))))
                .build();
    }

    private static double uncontrolledL1(SiteSnapshot s) {
        return PhaseBudget.uncontrolled(s).orElseThrow().l1().amps();
    }

    @Test
    void aChargingConnectorsFreshCurrentsAreSubtracted() {
        assertThat(uncontrolledL1(site(ConnectorState.CHARGING, 0, DeviceStatus.online(NOW)))).isEqualTo(24.0);
        assertThat(uncontrolledL1(site(ConnectorState.SUSPENDED_EV, 3, DeviceStatus.online(NOW)))).isEqualTo(24.0);
    }

    @Test
    void currentsOlderThanTheBoundAreNoMeasuredDraw() {
        assertThat(uncontrolledL1(site(ConnectorState.CHARGING, 4, DeviceStatus.online(NOW)))).isEqualTo(40.0);
    }

    @Test
    void aConnectorThatCannotDrawKeepsNoPhantomAmps() {
        for (ConnectorState st : List.of(ConnectorState.FINISHING, ConnectorState.AVAILABLE, ConnectorState.PREPARING, ConnectorState.RESERVED,
                ConnectorState.UNAVAILABLE, ConnectorState.FAULTED)) {
            assertThat(uncontrolledL1(site(st, 0, DeviceStatus.online(NOW)))).as("%s", st).isEqualTo(40.0);
        }
    }

    @Test
    void aStaleChargersCurrentsAreNoMeasuredDraw() {
        assertThat(uncontrolledL1(site(ConnectorState.CHARGING, 0, DeviceStatus.stale("poll failed", NOW)))).isEqualTo(40.0);
    }

    @Test
    void aLeftOverReadingStillCountsAtItsLimitWhenPlanned() {
        SiteSnapshot s = site(ConnectorState.FINISHING, 60, DeviceStatus.online(NOW));
        ConnectorRef ref = new ConnectorRef("c", 1);

        assertThat(PhaseBudget.planned(s, Setpoints.builder().chargerLimit(ref, Current.ofAmps(10)).build()).orElseThrow().l1().amps())
                .isEqualTo(50.0);
        // without a setpoint it counts as what it is believed to draw: nothing beyond what the meter shows
        assertThat(PhaseBudget.planned(s, Setpoints.empty()).orElseThrow().l1().amps()).isEqualTo(40.0);
    }

    @Test
    void aStaleBatteryKeepsItsDischargeButNotItsCharging() {
        BatteryRatings ratings = new BatteryRatings(Energy.ofKilowattHours(20), Power.ofKilowatts(10), Power.ofKilowatts(10), Percent.of(90), 3);
        for (double watts : new double[] { 6900, -6900 }) {
            BatteryState stale = new BatteryState("b", "b", DeviceStatus.stale("poll failed", NOW), ratings,
                    new BatteryReading(NOW, Power.ofWatts(watts), Percent.of(50), Power.ofWatts(watts)));
            SiteSnapshot s = SiteSnapshot.builder(LIMITS).timestamp(NOW)
                    .grid(new GridState("grid", "grid", DeviceStatus.online(NOW), new MeterReading(NOW, Power.ZERO,
                            PhaseCurrents.ofAmps(40, 40, 40), Voltage.NOMINAL_230, Energy.ZERO, Energy.ZERO)))
                    .battery(stale).build();
            // 6.9 kW over three phases at 230 V is 10 A per phase
            assertThat(uncontrolledL1(s)).as("%s W", watts).isEqualTo(watts > 0 ? 40.0 : 50.0);
        }
    }
}
