package org.fusebox.optimiser.peakshaving;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.PowerSlot;

/**
 * Runs a simulated site through a day of quarter-hour load and PV values, each held for its whole quarter,
 * with or without the forecasts of exactly those values in the snapshots, and counts what was imported in
 * each billing interval (quarter-hours from {@link #start}).
 */
final class SimulatedDay {

    static final Duration QUARTER = Duration.ofMinutes(15);

    /** What a cycle saw and did, for assertions on every cycle. */
    interface Watch {
        void cycle(SiteSnapshot snapshot, Setpoints proposal, Setpoints out);
    }

    final Instant start;
    final double[] loadW;
    final double[] pvW;

    SimulatedDay(Instant start, double[] loadW, double[] pvW) {
        this.start = start;
        this.loadW = loadW.clone();
        this.pvW = pvW.clone();
    }

    Instant quarter(int k) {
        return start.plus(QUARTER.multipliedBy(k));
    }

    int quarters() {
        return loadW.length;
    }

    PowerForecast loadForecast() {
        return forecast(ForecastKind.SITE_LOAD, loadW);
    }

    PowerForecast pvForecast() {
        return forecast(ForecastKind.PV_PRODUCTION, pvW);
    }

    private PowerForecast forecast(ForecastKind kind, double[] w) {
        List<PowerSlot> slots = new ArrayList<>();
        for (int k = 0; k < w.length; k++) {
            slots.add(new PowerSlot(quarter(k), QUARTER, Power.ofWatts(w[k])));
        }
        return new PowerForecast(kind, "test", slots);
    }

    /** What a run found. */
    record Result(Map<Instant, Double> averageW, Map<Instant, Double> socAt) {
        double highestAverageW() {
            return averageW.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }

        long intervalsAbove(double w) {
            return averageW.values().stream().filter(a -> a > w).count();
        }
    }

    /**
     * @param site       a site starting at {@link #start}
     * @param forecasts  whether the snapshots carry the forecasts
     * @param economic   the proposal each cycle, from the site as it is
     */
    Result run(SimulatedSite site, PeakShaving optimiser, boolean forecasts, Function<SimulatedSite, Setpoints> economic, Watch watch) {
        if (forecasts) {
            site.forecast(loadForecast()).forecast(pvForecast());
        }
        Duration period = site.limits.cyclePeriod();
        Map<Instant, Double> wh = new TreeMap<>();
        Map<Instant, Double> soc = new TreeMap<>();
        Instant end = quarter(quarters());
        // The first reading describes the step before it.
        Instant t = start;
        wh.merge(start, site.step(site.defaultProposal(), netW(t), period), Double::sum);
        t = t.plus(period);
        long cycle = 1;
        while (t.isBefore(end)) {
            int k = (int) (Duration.between(start, t).toSeconds() / QUARTER.toSeconds());
            soc.putIfAbsent(quarter(k), site.soc);
            SiteSnapshot snapshot = site.snapshot(cycle++);
            Setpoints proposal = economic.apply(site);
            Setpoints out = optimiser.optimise(snapshot, proposal);
            watch.cycle(snapshot, proposal, out);
            wh.merge(quarter(k), site.step(out, netW(t), period), Double::sum);
            t = t.plus(period);
        }
        Map<Instant, Double> average = new TreeMap<>();
        wh.forEach((from, e) -> average.put(from, e * 3600 / QUARTER.toSeconds()));
        return new Result(average, soc);
    }

    /** The uncontrolled load less PV during the step starting at {@code t}. */
    private double netW(Instant t) {
        int k = (int) Math.min(quarters() - 1, Duration.between(start, t).toSeconds() / QUARTER.toSeconds());
        return loadW[k] - pvW[k];
    }

    /** An economic optimiser that does nothing with the battery. */
    static Setpoints idle(SimulatedSite site) {
        return site.defaultProposal();
    }

    /** Self-consumption: the battery covers what the site imports and stores what it exports, within its rating. */
    static Setpoints selfConsumption(SimulatedSite site) {
        double w = Math.max(-site.batteryMaxW, Math.min(site.batteryMaxW, site.batteryW - site.gridW));
        return site.defaultProposal().withBatteryPower("bat", Power.ofWatts(w));
    }
}
