package org.fusebox.vpp;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.site.GridState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;

/** Cycle reports as the control loop would hand them out, for a site taken at another time and grid import. */
final class Cycles {

    private Cycles() {
    }

    /** {@code base} as if taken at {@code t} (cycle {@code n}) with the grid meter importing {@code gridKw}. */
    static CycleReport at(SiteSnapshot base, long n, Instant t, double gridKw) {
        MeterReading m = new MeterReading(t, Power.ofKilowatts(gridKw), PhaseCurrents.uniform(Current.ofAmps(gridKw * 1000 / 690)),
                Voltage.NOMINAL_230, Energy.ZERO, Energy.ZERO);
        SiteSnapshot s = new SiteSnapshot(n, t, base.limits(), new GridState("grid", "grid", DeviceStatus.online(t), m), base.pv(),
                base.batteries(), base.chargers(), base.prices(), base.forecasts(), base.spotPrices(), base.exportPrices(), base.zone());
        return report(s);
    }

    static CycleReport report(SiteSnapshot s) {
        return new CycleReport(s, "period", List.of(), Setpoints.empty(), Setpoints.empty(), List.of(), Map.of(),
                new ControlState(ControlMode.RUNNING, List.of(), s.timestamp()), Duration.ofMillis(2));
    }
}
