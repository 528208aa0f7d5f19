package org.fusebox.grid.openadr;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.GridState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;
import org.fusebox.testing.TestSites;

/**
 * A control loop whose last cycle shows a site the test drives: a grid meter (power and an import register
 * that runs with it) and one 10 kWh battery. {@link #run} advances the clock in sample steps, sampling as the
 * VEN's thread would.
 */
final class TestSite implements ControlLoop {

    private final Clock clock;
    volatile double gridWatts;
    volatile double importedWh = 1_000_000;
    volatile double socPercent = 50;
    volatile boolean meter = true;
    volatile boolean meterFresh = true;
    volatile boolean battery = true;

    TestSite(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void requestCycle(String reason) {
    }

    @Override
    public ControlState state() {
        return new ControlState(ControlMode.RUNNING, List.of(), clock.instant());
    }

    @Override
    public Optional<CycleReport> lastCycle() {
        Instant now = clock.instant();
        SiteSnapshot.Builder b = SiteSnapshot.builder(TestSites.limits(63, 2)).cycle(1).timestamp(now);
        if (meter) {
            Instant measured = meterFresh ? now : now.minusSeconds(120);
            b.grid(new GridState("meter-1", "grid meter", new DeviceStatus(DeviceStatus.State.ONLINE, "", measured),
                    new MeterReading(measured, Power.ofWatts(gridWatts), PhaseCurrents.ZERO, Voltage.NOMINAL_230,
                            Energy.ofWattHours(importedWh), Energy.ofWattHours(0))));
        }
        if (battery) {
            b.battery(new BatteryState("battery-1", "battery", new DeviceStatus(DeviceStatus.State.ONLINE, "", now),
                    new BatteryRatings(Energy.ofWattHours(10_000), Power.ofWatts(5_000), Power.ofWatts(4_000), Percent.of(90), 3),
                    new BatteryReading(now, Power.ZERO, Percent.of(socPercent), Power.ZERO)));
        }
        return Optional.of(new CycleReport(b.build(), "period", List.of(), Setpoints.empty(), Setpoints.empty(), List.of(), Map.of(),
                state(), Duration.ZERO));
    }

    /**
     * Holds {@code watts} at the grid for {@code d}, sampling as the VEN's thread does: a sample now, then one
     * after each sample period but the last (the next run takes the sample at its start, with its power); the
     * import register runs at that power.
     */
    void run(org.fusebox.testing.MutableClock c, SiteSamples samples, double watts, Duration d) {
        gridWatts = watts;
        long steps = d.toMillis() / SiteSamples.PERIOD.toMillis();
        for (long i = 0; i < steps; i++) {
            samples.sampleOnce();
            c.advance(SiteSamples.PERIOD);
            importedWh += Math.max(0, watts) * SiteSamples.PERIOD.toSeconds() / 3600.0;
        }
    }
}
