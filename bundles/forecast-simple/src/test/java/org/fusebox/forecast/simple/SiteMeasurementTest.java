package org.fusebox.forecast.simple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.PvReading;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Power;
import org.fusebox.api.site.PvState;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;

class SiteMeasurementTest {

    static PvState pv(String id, double watts, double limit) {
        return new PvState(id, id, DeviceStatus.online(TestSites.T0), Power.ofWatts(10_000), true,
                new PvReading(TestSites.T0, Power.ofWatts(watts), Power.ofWatts(limit), Energy.ZERO));
    }

    /** A TestSites snapshot with PV added; the meter already nets PV out of its "uncontrolled" current. */
    static SiteSnapshot withPv(SiteSnapshot s, PvState... pvs) {
        SiteSnapshot.Builder b = SiteSnapshot.builder(s.limits()).timestamp(s.timestamp()).grid(s.grid());
        s.batteries().forEach(b::battery);
        s.chargers().forEach(b::charger);
        for (PvState p : pvs) {
            b.pv(p);
        }
        return b.build();
    }

    @Test
    void loadIsGridPlusPvLessBatteryChargingLessChargers() {
        // House 6 kW, PV 4 kW: the uncontrolled current is (6 - 4) kW over three phases at 230 V.
        double amps = 2000.0 / 3 / 230;
        SiteSnapshot s = withPv(new TestSites().uncontrolled(amps, amps, amps)
                .battery("bat", 50, 3000) // charging 3 kW: the meter reads it as import
                .charger("ev", TestSites.THREE, 16, ConnectorState.CHARGING, 10) // 6.9 kW drawn
                .build(), pv("pv", 4000, 10_000));
        double grid = s.grid().reading().power().watts();
        assertThat(grid).isCloseTo(2000 + 3000 + 6900, within(1e-6));
        assertThat(SiteMeasurement.of(ForecastKind.SITE_LOAD, s).getAsDouble()).isCloseTo(6000, within(1e-6));
        assertThat(SiteMeasurement.of(ForecastKind.PV_PRODUCTION, s).getAsDouble()).isCloseTo(4000, within(1e-9));
    }

    @Test
    void dischargingBatteryAndExportAreCountedWithTheirSigns() {
        // House 1 kW, PV 5 kW, battery discharging 2 kW: the meter exports 6 kW.
        double amps = -4000.0 / 3 / 230;
        SiteSnapshot s = withPv(new TestSites().uncontrolled(amps, amps, amps).battery("bat", 50, -2000).build(),
                pv("roof", 3000, 10_000), pv("carport", 2000, 10_000));
        assertThat(s.grid().reading().power().watts()).isCloseTo(-6000, within(1e-6));
        assertThat(SiteMeasurement.of(ForecastKind.SITE_LOAD, s).getAsDouble()).isCloseTo(1000, within(1e-6));
        assertThat(SiteMeasurement.of(ForecastKind.PV_PRODUCTION, s).getAsDouble()).isCloseTo(5000, within(1e-9));
    }

    @Test
    void curtailedPvIsNotLearnedButStillCountsInTheLoad() {
        SiteSnapshot s = withPv(new TestSites().uncontrolled(0, 0, 0).build(), pv("pv", 3000, 3000));
        assertThat(SiteMeasurement.of(ForecastKind.PV_PRODUCTION, s)).isEmpty();
        assertThat(SiteMeasurement.of(ForecastKind.SITE_LOAD, s).getAsDouble()).isCloseTo(3000, within(1e-9));
    }

    @Test
    void missingReadingsGiveNoSample() {
        SiteSnapshot s = new TestSites().uncontrolled(5, 5, 5).battery("bat", 50, 0).build();
        BatteryState blind = new BatteryState("bat", "bat", s.batteries().get(0).status(), s.batteries().get(0).ratings(), null);
        SiteSnapshot noBatteryReading = SiteSnapshot.builder(s.limits()).timestamp(s.timestamp()).grid(s.grid()).battery(blind).build();
        assertThat(SiteMeasurement.of(ForecastKind.SITE_LOAD, noBatteryReading)).isEmpty();
        SiteSnapshot noMeter = SiteSnapshot.builder(s.limits()).timestamp(s.timestamp()).build();
        assertThat(SiteMeasurement.of(ForecastKind.SITE_LOAD, noMeter)).isEmpty();
        // A site without PV inverters produces nothing, which is a measurement.
        assertThat(SiteMeasurement.of(ForecastKind.PV_PRODUCTION, noMeter).getAsDouble()).isZero();
        PvState dark = new PvState("pv", "pv", DeviceStatus.online(TestSites.T0), Power.ofWatts(5000), false, null);
        assertThat(SiteMeasurement.of(ForecastKind.PV_PRODUCTION, withPv(s, dark))).isEmpty();
    }

    @Test
    void smallNegativeLoadFromUnalignedReadingsIsZero() {
        double amps = -1000.0 / 3 / 230;
        SiteSnapshot s = withPv(new TestSites().uncontrolled(amps, amps, amps).build(), pv("pv", 900, 10_000));
        assertThat(SiteMeasurement.of(ForecastKind.SITE_LOAD, s).getAsDouble()).isZero();
    }

    @Test
    void aChargerWithoutAReadingDoesNotStopLearningTheLoadAndIsNamed() {
        double amps = 3000.0 / 3 / 230;
        SiteSnapshot s = new TestSites().uncontrolled(amps, amps, amps)
                .charger("ev-1", TestSites.THREE, 16, ConnectorState.CHARGING, 10).build();
        org.fusebox.api.site.ChargerState seen = s.chargers().get(0);
        org.fusebox.api.site.ChargerState offline = new org.fusebox.api.site.ChargerState("ev-2", "ev-2",
                DeviceStatus.offline("connection lost", TestSites.T0), seen.connectors(), null);
        SiteSnapshot.Builder b = SiteSnapshot.builder(s.limits()).timestamp(s.timestamp()).grid(s.grid()).charger(seen).charger(offline);

        SiteMeasurement.Sample sample = SiteMeasurement.sample(ForecastKind.SITE_LOAD, b.build());

        assertThat(sample.watts().getAsDouble()).isCloseTo(3000, within(1e-6));
        assertThat(sample.gap()).isEqualTo("learning without charger ev-2 (no reading: counted as drawing nothing)");
    }

    @Test
    void aMissingMeterOrInverterIsNamedAsTheReasonNothingIsLearned() {
        SiteSnapshot s = new TestSites().uncontrolled(5, 5, 5).build();
        SiteSnapshot noMeter = SiteSnapshot.builder(s.limits()).timestamp(s.timestamp()).build();
        assertThat(SiteMeasurement.sample(ForecastKind.SITE_LOAD, noMeter).gap()).isEqualTo("not learning: the grid meter has no reading");
        PvState dark = new PvState("roof", "roof", DeviceStatus.online(TestSites.T0), Power.ofWatts(5000), false, null);
        SiteMeasurement.Sample pv = SiteMeasurement.sample(ForecastKind.PV_PRODUCTION, withPv(s, dark));
        assertThat(pv.watts()).isEmpty();
        assertThat(pv.gap()).isEqualTo("not learning: PV inverter roof has no reading");
        assertThat(SiteMeasurement.sample(ForecastKind.PV_PRODUCTION, withPv(s, pv("roof", 100, 10_000))).gap()).isNull();
    }
}
