package org.fusebox.shell;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
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

/** A small site built by hand: grid meter, PV, battery, a two-connector charger and an offline charger. */
final class SampleSite {

    static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
    static final Instant NOW = T0.plusMillis(1500);

    static final SiteLimits LIMITS = new SiteLimits(Current.ofAmps(40), Current.ofAmps(3), 3, Voltage.NOMINAL_230,
            Percent.of(10), Percent.of(95), Duration.ofSeconds(1));

    static final ControlState RUNNING = new ControlState(ControlMode.RUNNING, List.of(), T0.minusSeconds(60));

    private SampleSite() {
    }

    static GridState grid(PhaseCurrents currents, Power power) {
        return new GridState("grid", "Grid meter", DeviceStatus.online(T0),
                new MeterReading(NOW, power, currents, Voltage.ofVolts(231), Energy.ZERO, Energy.ZERO));
    }

    static GridState grid() {
        return grid(PhaseCurrents.ofAmps(31.25, 28, 30.5), Power.ofWatts(7359.999));
    }

    static PvState pv() {
        return new PvState("pv-roof", "Roof PV", DeviceStatus.online(T0), Power.ofKilowatts(10), true,
                new PvReading(NOW, Power.ofWatts(4200), Power.ofKilowatts(10), Energy.ZERO));
    }

    static BatteryState battery() {
        return new BatteryState("bat-1", "Battery", DeviceStatus.online(T0),
                new BatteryRatings(Energy.ofKilowattHours(13.5), Power.ofKilowatts(5), Power.ofKilowatts(5), Percent.of(90), 3),
                new BatteryReading(NOW, Power.ofWatts(-1500), Percent.of(55.5), Power.ofWatts(-1500)));
    }

    static ChargerState charger() {
        ConnectorInfo c1 = new ConnectorInfo(1, List.of(Phase.L1, Phase.L2, Phase.L3), Current.ofAmps(6),
                Current.ofAmps(32), Current.ofAmps(6));
        ConnectorInfo c2 = new ConnectorInfo(2, List.of(Phase.L2), Current.ofAmps(6), Current.ofAmps(16), Current.ZERO);
        EvSession session = new EvSession("tx-42", null, T0.minusSeconds(1800), Energy.ofWattHours(5200), null, null,
                null, null);
        ConnectorReading r1 = new ConnectorReading(1, ConnectorState.CHARGING, Power.ofWatts(11040),
                PhaseCurrents.ofAmps(16, 16, 16), Current.ofAmps(16), Energy.ZERO, session);
        ConnectorReading r2 = new ConnectorReading(2, ConnectorState.AVAILABLE, Power.ZERO, PhaseCurrents.ZERO,
                Current.ofAmps(16), Energy.ZERO, null);
        return new ChargerState("cp-1", "Charger 1", DeviceStatus.online(T0), List.of(c1, c2),
                new ChargerReading(NOW, List.of(r1, r2)));
    }

    static ChargerState offlineCharger() {
        ConnectorInfo c1 = new ConnectorInfo(1, List.of(Phase.L1), Current.ofAmps(6), Current.ofAmps(16), Current.ofAmps(6));
        return new ChargerState("cp-2", "Charger 2", DeviceStatus.offline("no heartbeat", T0), List.of(c1), null);
    }

    static SiteSnapshot snapshot() {
        return SiteSnapshot.builder(LIMITS).cycle(1234).timestamp(NOW).grid(grid()).pv(pv()).battery(battery())
                .charger(charger()).charger(offlineCharger()).build();
    }

    static Setpoints applied() {
        return Setpoints.empty()
                .withChargerLimit(new ConnectorRef("cp-1", 1), Current.ofAmps(20))
                .withChargerLimit(new ConnectorRef("cp-1", 2), Current.ZERO)
                .withBatteryPower("bat-1", Power.ofWatts(-2000))
                .withPvLimit("pv-roof", Power.ofKilowatts(8));
    }

    static CycleReport report(SiteSnapshot snapshot) {
        return new CycleReport(snapshot, "period", List.of("fuse"), applied(), applied(), List.of(), Map.of(), RUNNING,
                Duration.ofNanos(3_250_000));
    }

    static CycleReport report() {
        return report(snapshot());
    }

    static ControlLoop loop(ControlState state, CycleReport last) {
        return new ControlLoop() {
            @Override
            public void requestCycle(String reason) {
            }

            @Override
            public ControlState state() {
                return state;
            }

            @Override
            public Optional<CycleReport> lastCycle() {
                return Optional.ofNullable(last);
            }
        };
    }
}
