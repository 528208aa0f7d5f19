package org.fusebox.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.junit.jupiter.api.Test;

class DeviceRowTest {

    @Test
    void oneRowPerDeviceAndPerConnectorInSiteOrder() {
        List<DeviceRow> rows = DeviceRow.of(SampleSite.report());

        assertThat(rows).extracting(DeviceRow::device).containsExactly("grid", "pv-roof", "bat-1", "cp-1/1", "cp-1/2", "cp-2/1");
        assertThat(rows).extracting(DeviceRow::role).containsExactly("grid", "pv", "battery", "charger", "charger", "charger");
    }

    @Test
    void gridShowsImportAndNoSetpoint() {
        DeviceRow grid = DeviceRow.of(SampleSite.report()).get(0);

        assertThat(grid).isEqualTo(new DeviceRow("grid", "grid", "ONLINE", "import 7.36 kW", "-"));
    }

    @Test
    void pvShowsProductionAndItsCap() {
        DeviceRow pv = DeviceRow.of(SampleSite.report()).get(1);

        assertThat(pv.measurement()).isEqualTo("producing 4.20 kW");
        assertThat(pv.setpoint()).isEqualTo("cap 8.00 kW");
    }

    @Test
    void batteryShowsPowerInWordsWithSocAndItsSetpoint() {
        DeviceRow battery = DeviceRow.of(SampleSite.report()).get(2);

        assertThat(battery.measurement()).isEqualTo("discharging 1.50 kW, SoC 55.5 %");
        assertThat(battery.setpoint()).isEqualTo("discharge 2.00 kW");
    }

    @Test
    void aBatteryWithoutReadingOrSetpointSaysSo() {
        BatteryState b = SampleSite.battery();
        BatteryState silent = new BatteryState(b.id(), b.name(), DeviceStatus.fault("BMS alarm", SampleSite.T0),
                b.ratings(), null);

        DeviceRow row = DeviceRow.battery(silent, Setpoints.empty());

        assertThat(row).isEqualTo(new DeviceRow("bat-1", "battery", "FAULT: BMS alarm", "no reading", "-"));
    }

    @Test
    void connectorsShowStateSessionEnergyAndCurrentLimit() {
        List<DeviceRow> rows = DeviceRow.of(SampleSite.report());

        assertThat(rows.get(3)).isEqualTo(
                new DeviceRow("cp-1/1", "charger", "ONLINE", "CHARGING 11.04 kW, session 5.20 kWh", "20.0 A"));
        assertThat(rows.get(4)).isEqualTo(new DeviceRow("cp-1/2", "charger", "ONLINE", "AVAILABLE", "0 A (paused)"));
    }

    @Test
    void aPausedEvSaysWhichPlanHoldsItBackAndWhenItCharges() {
        org.fusebox.api.control.ConnectorRef cp11 = new org.fusebox.api.control.ConnectorRef("cp-1", 1);
        java.time.Instant t = SampleSite.snapshot().timestamp();
        org.fusebox.api.control.PlanLine line = new org.fusebox.api.control.PlanLine("cp-1", 1, List.of(
                new org.fusebox.api.units.PowerSlot(t.plus(java.time.Duration.ofHours(3)), java.time.Duration.ofMinutes(15), Power.ofKilowatts(11))),
                Energy.ofKilowattHours(12), Energy.ofKilowattHours(15), t.plus(java.time.Duration.ofHours(6)), null, false, "prices known until 23:00");
        Setpoints applied = SampleSite.applied().withChargerLimit(cp11, Current.ZERO);
        org.fusebox.api.control.CycleReport r = new org.fusebox.api.control.CycleReport(SampleSite.snapshot(), "period", List.of("ev-deadline"),
                applied, applied, List.of(), java.util.Map.of(), SampleSite.RUNNING, java.time.Duration.ofMillis(2),
                List.of(new org.fusebox.api.control.Plan("ev-deadline", t, List.of(line), null, List.of())));

        DeviceRow row = DeviceRow.of(r).get(3);

        assertThat(row.setpoint()).isEqualTo("0 A (paused: waiting for the ev-deadline plan: charging planned from "
                + t.plus(java.time.Duration.ofHours(3)) + ", 12.0 of 15.0 kWh by " + t.plus(java.time.Duration.ofHours(6))
                + ", target missed; prices known until 23:00 (site time))");
    }

    @Test
    void anOfflineChargerStillListsItsConnectors() {
        DeviceRow row = DeviceRow.of(SampleSite.report()).get(5);

        assertThat(row).isEqualTo(new DeviceRow("cp-2/1", "charger", "OFFLINE: no heartbeat", "no reading", "-"));
    }

    @Test
    void aConnectorTheChargerDidNotDeclareIsStillShown() {
        ChargerState c = SampleSite.charger();
        ConnectorReading stray = new ConnectorReading(3, ConnectorState.SUSPENDED_EV, Power.ZERO, PhaseCurrents.ZERO,
                Current.ofAmps(6), Energy.ZERO, null);
        List<ConnectorReading> readings = new ArrayList<>(c.reading().connectors());
        readings.add(stray);
        ChargerState charger = new ChargerState(c.id(), c.name(), c.status(), c.connectors(),
                new ChargerReading(SampleSite.NOW, readings));

        List<DeviceRow> rows = DeviceRow.connectors(charger, Setpoints.empty());

        assertThat(rows).extracting(DeviceRow::device).containsExactly("cp-1/1", "cp-1/2", "cp-1/3");
        assertThat(rows.get(2).measurement()).isEqualTo("SUSPENDED_EV");
    }
}
