package org.fusebox.optimiser.peakshaving;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.fusebox.api.device.EvSession;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.GridState;
import org.fusebox.api.site.PhaseBudget;
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
 * A small site that follows setpoints: EVs draw the lower of their limit and what their on-board charger
 * takes (nothing under 6 A), the battery holds its power within its rating and SoC, and the grid meter
 * reports, at each snapshot, the average power of the step that just ended and an import register.
 */
final class SimulatedSite {

    static final double VOLTS = 230;

    static final class Ev {
        final String id;
        final List<Phase> phases;
        final double maxAmps;
        final double onboardAmps;
        final Instant arrived;
        double limit;
        double drawW;

        Ev(String id, List<Phase> phases, double maxAmps, double onboardAmps, Instant arrived) {
            this.id = id;
            this.phases = List.copyOf(phases);
            this.maxAmps = maxAmps;
            this.onboardAmps = onboardAmps;
            this.arrived = arrived;
            this.limit = maxAmps;
        }

        ConnectorRef ref() {
            return new ConnectorRef(id, 1);
        }

        ConnectorInfo info() {
            return new ConnectorInfo(1, phases, Current.ofAmps(6), Current.ofAmps(maxAmps), Current.ofAmps(6));
        }

        double drawFor(double limitAmps) {
            return limitAmps < 6 ? 0 : Math.min(limitAmps, onboardAmps) * VOLTS * phases.size();
        }
    }

    final List<Ev> evs = new ArrayList<>();
    final SiteLimits limits;
    final boolean withRegister;
    // battery
    boolean hasBattery;
    double batteryCapacityWh;
    double batteryMaxW;
    double soc;
    double batteryW;
    // meter
    double uncontrolledW;
    double gridW;
    double registerWh = 1_234_567_000;
    Instant now;

    final List<PowerForecast> forecasts = new ArrayList<>();

    SimulatedSite(Instant start, Duration period, boolean withRegister) {
        this(start, withRegister, new SiteLimits(Current.ofAmps(1000), Current.ofAmps(2), 3, Voltage.NOMINAL_230, Percent.of(20),
                Percent.of(100), period));
    }

    SimulatedSite(Instant start, boolean withRegister, SiteLimits limits) {
        this.now = start;
        this.withRegister = withRegister;
        this.limits = limits;
    }

    /** Puts the forecast into every snapshot from now on. */
    SimulatedSite forecast(PowerForecast forecast) {
        forecasts.removeIf(f -> f.kind() == forecast.kind());
        forecasts.add(forecast);
        return this;
    }

    SimulatedSite battery(double capacityWh, double maxW, double socPercent) {
        hasBattery = true;
        batteryCapacityWh = capacityWh;
        batteryMaxW = maxW;
        soc = socPercent;
        return this;
    }

    SimulatedSite ev(Ev ev) {
        evs.add(ev);
        ev.drawW = ev.drawFor(ev.limit);
        return this;
    }

    /** The proposal the core would start from: every EV at its rating, the battery idle. */
    Setpoints defaultProposal() {
        Setpoints.Builder b = Setpoints.builder();
        for (Ev ev : evs) {
            b.chargerLimit(ev.ref(), Current.ofAmps(ev.maxAmps));
        }
        if (hasBattery) {
            b.batteryPower("bat", Power.ZERO);
        }
        return b.build();
    }

    /** Battery power the device can hold for one step: its rating, and no lower than the minimum SoC. */
    double batteryFollows(double askedW, Duration step) {
        double hours = step.toNanos() / 3.6e12;
        double w = Math.max(-batteryMaxW, Math.min(batteryMaxW, askedW));
        double floorW = -Math.max(0, (soc - limits.batteryMinSoc().value()) / 100 * batteryCapacityWh) / hours;
        double ceilW = Math.max(0, (limits.batteryMaxSoc().value() - soc) / 100 * batteryCapacityWh) / hours;
        return Math.max(floorW, Math.min(ceilW, w));
    }

    /**
     * Applies setpoints and lets {@code step} pass with {@code loadW} uncontrolled.
     *
     * @return the energy imported during the step, Wh
     */
    double step(Setpoints applied, double loadW, Duration step) {
        double hours = step.toNanos() / 3.6e12;
        double total = loadW;
        for (Ev ev : evs) {
            ev.limit = applied.chargerLimit(ev.ref()).map(Current::amps).orElse(ev.limit);
            ev.drawW = ev.drawFor(ev.limit);
            total += ev.drawW;
        }
        if (hasBattery) {
            batteryW = batteryFollows(applied.batteryPower("bat").map(Power::watts).orElse(0.0), step);
            soc += batteryW * hours / batteryCapacityWh * 100;
            total += batteryW;
        }
        uncontrolledW = loadW;
        gridW = total;
        double importWh = Math.max(0, total) * hours;
        registerWh += importWh;
        now = now.plus(step);
        return importWh;
    }

    /** The snapshot with these forecasts as well. */
    static SiteSnapshot withForecasts(SiteSnapshot s, PowerForecast... forecasts) {
        SiteSnapshot.Builder b = SiteSnapshot.builder(s.limits()).cycle(s.cycle()).timestamp(s.timestamp()).grid(s.grid()).zone(s.zone());
        s.pv().forEach(b::pv);
        s.batteries().forEach(b::battery);
        s.chargers().forEach(b::charger);
        s.forecasts().values().forEach(b::forecast);
        for (PowerForecast f : forecasts) {
            b.forecast(f);
        }
        return b.build();
    }

    SiteSnapshot snapshot(long cycle) {
        double perPhase = gridW / (3 * VOLTS);
        MeterReading meter = new MeterReading(now, Power.ofWatts(gridW), PhaseCurrents.ofAmps(perPhase, perPhase, perPhase),
                Voltage.NOMINAL_230, Energy.ofWattHours(withRegister ? registerWh : 0), Energy.ZERO);
        SiteSnapshot.Builder b = SiteSnapshot.builder(limits).cycle(cycle).timestamp(now)
                .grid(new GridState("grid", "grid", DeviceStatus.online(now), meter));
        forecasts.forEach(b::forecast);
        for (Ev ev : evs) {
            ConnectorInfo info = ev.info();
            double amps = ev.drawW / (VOLTS * ev.phases.size());
            ConnectorReading r = new ConnectorReading(1, ConnectorState.CHARGING, Power.ofWatts(ev.drawW),
                    PhaseBudget.connectorDraw(info, Current.ofAmps(amps)), Current.ofAmps(ev.limit), Energy.ZERO,
                    new EvSession("s-" + ev.id, null, ev.arrived, Energy.ZERO, null, null, null, null));
            b.charger(new ChargerState(ev.id, ev.id, DeviceStatus.online(now), List.of(info), new ChargerReading(now, List.of(r))));
        }
        if (hasBattery) {
            BatteryRatings ratings = new BatteryRatings(Energy.ofWattHours(batteryCapacityWh), Power.ofWatts(batteryMaxW),
                    Power.ofWatts(batteryMaxW), Percent.of(90), 3);
            b.battery(new BatteryState("bat", "bat", DeviceStatus.online(now), ratings,
                    new BatteryReading(now, Power.ofWatts(batteryW), Percent.clamped(soc), Power.ofWatts(batteryW))));
        }
        return b.build();
    }
}
