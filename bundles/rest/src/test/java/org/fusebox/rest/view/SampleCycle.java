package org.fusebox.rest.view;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Intervention;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.device.PvReading;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.GridState;
import org.fusebox.api.site.PvState;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;

/**
 * A small depot, built by hand: a grid meter, a PV inverter, a battery and a two-connector charger with
 * one EV charging, plus a charger that is offline.
 */
public final class SampleCycle {

    public static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
    public static final Instant NOW = T0.plusMillis(1500);

    public static final SiteLimits LIMITS = new SiteLimits(Current.ofAmps(40), Current.ofAmps(3), 3,
            Voltage.NOMINAL_230, Percent.of(10), Percent.of(95), Duration.ofSeconds(1));

    public static final ConnectorRef CP1_1 = new ConnectorRef("cp-1", 1);
    public static final ConnectorRef CP1_2 = new ConnectorRef("cp-1", 2);

    private SampleCycle() {
    }

    public static GridState grid() {
        return new GridState("grid", "Grid meter", DeviceStatus.online(T0.minusSeconds(3600)),
                new MeterReading(NOW, Power.ofWatts(7359.999999999), PhaseCurrents.ofAmps(31.25, 28, 30.5),
                        Voltage.ofVolts(231.4), Energy.ofKilowattHours(12_345.6), Energy.ofWattHours(789)));
    }

    public static PvState pv() {
        return new PvState("pv-roof", "Roof PV", DeviceStatus.online(T0), Power.ofKilowatts(10), true,
                new PvReading(NOW, Power.ofWatts(4200), Power.ofKilowatts(10), Energy.ofKilowattHours(3210)));
    }

    public static BatteryState battery() {
        return new BatteryState("bat-1", "Basement battery", DeviceStatus.online(T0),
                new BatteryRatings(Energy.ofKilowattHours(13.5), Power.ofKilowatts(5), Power.ofKilowatts(5),
                        Percent.of(90), 3),
                new BatteryReading(NOW, Power.ofWatts(-1500), Percent.of(55.5), Power.ofWatts(-1500)));
    }

    public static final EvSession SESSION = new EvSession("tx-42", "TAG-7", T0.minusSeconds(1800),
            Energy.ofWattHours(5200), Energy.ofKilowattHours(20), T0.plusSeconds(3 * 3600), Percent.of(41), null);

    public static ChargerState charger() {
        ConnectorInfo c1 = new ConnectorInfo(1, List.of(Phase.L1, Phase.L2, Phase.L3), Current.ofAmps(6),
                Current.ofAmps(32), Current.ofAmps(6));
        ConnectorInfo c2 = new ConnectorInfo(2, List.of(Phase.L2), Current.ofAmps(6), Current.ofAmps(16),
                Current.ofAmps(0));
        ConnectorReading r1 = new ConnectorReading(1, ConnectorState.CHARGING, Power.ofWatts(11040),
                PhaseCurrents.ofAmps(16, 16, 16), Current.ofAmps(16), Energy.ofKilowattHours(1500), SESSION);
        ConnectorReading r2 = new ConnectorReading(2, ConnectorState.AVAILABLE, Power.ZERO, PhaseCurrents.ZERO,
                Current.ofAmps(16), Energy.ofKilowattHours(900), null);
        return new ChargerState("cp-1", "Charger 1", DeviceStatus.online(T0), List.of(c1, c2),
                new ChargerReading(NOW, List.of(r1, r2)));
    }

    public static ChargerState offlineCharger() {
        ConnectorInfo c1 = new ConnectorInfo(1, List.of(Phase.L1), Current.ofAmps(6), Current.ofAmps(16),
                Current.ofAmps(6));
        return new ChargerState("cp-2", "Charger 2", DeviceStatus.offline("no heartbeat for 60 s", T0), List.of(c1), null);
    }

    public static SiteSnapshot snapshot() {
        return SiteSnapshot.builder(LIMITS).cycle(1234).timestamp(NOW).grid(grid()).pv(pv()).battery(battery())
                .charger(charger()).charger(offlineCharger()).build();
    }

    public static Setpoints proposed() {
        return Setpoints.empty()
                .withChargerLimit(CP1_2, Current.ofAmps(16))
                .withChargerLimit(CP1_1, Current.ofAmps(32))
                .withBatteryPower("bat-1", Power.ofWatts(-2000))
                .withPvLimit("pv-roof", Power.ofKilowatts(10));
    }

    public static Setpoints applied() {
        return proposed().withChargerLimit(CP1_1, Current.ofAmps(20));
    }

    public static CycleReport report() {
        return report(snapshot());
    }

    public static CycleReport report(SiteSnapshot snapshot) {
        ControlState state = new ControlState(ControlMode.RUNNING, List.of(), T0.minusSeconds(60));
        return new CycleReport(snapshot, "period", List.of("fuse", "self-consumption"), proposed(), applied(),
                List.of(new Intervention("cp-1/1", "fuse", "asked 32 A, allowed 20 A")),
                Map.of("cp-1/1", WriteResult.accepted(), "bat-1", WriteResult.rejected("busy"),
                        "cp-2/1", WriteResult.failed("timeout")),
                state, Duration.ofNanos(3_250_000));
    }
}
