package org.fusebox.optimiser.ffr;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.GridState;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;
import org.fusebox.testing.TestSites;

/** Snapshots for the tests: {@link TestSites} with the grid meter measuring a frequency. */
final class Sites {

    private Sites() {
    }

    /** 40 A fuse, 2 A margin, SoC 20..90 %, 1 s cycles. */
    static SiteLimits limits() {
        return new SiteLimits(Current.ofAmps(40), Current.ofAmps(2), 3, Voltage.NOMINAL_230, Percent.of(20), Percent.of(90),
                Duration.ofSeconds(1));
    }

    /** The site with its meter reading {@code hz} (NaN: not measured), measured {@code age} before the snapshot. */
    static SiteSnapshot at(TestSites site, double hz, Duration age) {
        SiteSnapshot s = site.build();
        GridState g = s.grid();
        GridState measured = new GridState(g.id(), g.name(), g.status(),
                g.reading().withFrequency(hz));
        return new SiteSnapshot(s.cycle(), s.timestamp().plus(age), s.limits(), measured, s.pv(), s.batteries(), s.chargers(),
                s.prices(), s.forecasts(), s.spotPrices(), s.exportPrices(), s.zone());
    }

    static SiteSnapshot at(TestSites site, double hz) {
        return at(site, hz, Duration.ZERO);
    }

    /** The site with one more battery of its own ratings (3-phase, 90 % efficient, 20 kWh). */
    static SiteSnapshot withBattery(SiteSnapshot s, String id, double chargeKw, double dischargeKw, double soc) {
        BatteryRatings r = new BatteryRatings(Energy.ofKilowattHours(20), Power.ofKilowatts(chargeKw), Power.ofKilowatts(dischargeKw),
                Percent.of(90), 3);
        BatteryState b = new BatteryState(id, id, DeviceStatus.online(TestSites.T0), r,
                new BatteryReading(TestSites.T0, Power.ZERO, Percent.of(soc), Power.ZERO));
        List<BatteryState> all = new java.util.ArrayList<>(s.batteries());
        all.add(b);
        return new SiteSnapshot(s.cycle(), s.timestamp(), s.limits(), s.grid(), s.pv(), all, s.chargers(), s.prices(),
                s.forecasts(), s.spotPrices(), s.exportPrices(), s.zone());
    }

    static Map<String, Object> props(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
