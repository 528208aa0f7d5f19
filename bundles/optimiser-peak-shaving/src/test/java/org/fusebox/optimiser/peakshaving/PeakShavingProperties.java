package org.fusebox.optimiser.peakshaving;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Voltage;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.PowerSlot;

/**
 * Peak shaving over random load traces, fleets and proposals, on a simulated site that follows the
 * setpoints: while pausing EVs and discharging the battery can bring the import under the target, no
 * billing interval averages above the peak; nothing is raised above the proposal; an EV is paused or at
 * least at its minimum; the battery is never asked to discharge at or below the minimum SoC; a load forecast
 * that shows no peak changes none of it.
 */
class PeakShavingProperties {

    private static final Instant T0 = Instant.parse("2026-01-15T18:00:00Z");
    private static final Duration INTERVAL = Duration.ofMinutes(15);

    @Provide
    Arbitrary<Integer> periods() {
        return Arbitraries.of(1, 2, 5, 10);
    }

    @Property(tries = 80)
    void noIntervalAveragesAboveThePeakAndNothingIsRaised(@ForAll long seed, @ForAll("periods") int periodSeconds,
            @ForAll boolean register, @ForAll @IntRange(min = 0, max = 5) int evCount, @ForAll boolean needsBattery) {
        Random rnd = new Random(seed);
        double peakKw = 20 + rnd.nextDouble() * 180;
        double headroomPercent = 3;
        double targetW = peakKw * 1000 * (1 - headroomPercent / 100);
        Duration period = Duration.ofSeconds(periodSeconds);
        Instant start = T0.plusSeconds(rnd.nextInt(900));
        int cycles = (int) (INTERVAL.toSeconds() * 5 / 2 / periodSeconds);
        double simHours = cycles * periodSeconds / 3600.0;

        SimulatedSite site = new SimulatedSite(start, period, register);
        for (int i = 0; i < evCount; i++) {
            List<Phase> phases = rnd.nextBoolean() ? List.of(Phase.L1, Phase.L2, Phase.L3) : List.of(Phase.values()[rnd.nextInt(3)]);
            double max = rnd.nextBoolean() ? 16 : 32;
            double onboard = 6 + rnd.nextDouble() * (max - 6);
            site.ev(new SimulatedSite.Ev("ev" + i, phases, max, onboard, T0.minusSeconds(rnd.nextInt(36_000))));
        }
        double batteryMaxW = 5_000 + rnd.nextDouble() * 45_000;
        // The uncontrolled load alone stays under the target, or under it once the battery helps.
        double loadMaxW = needsBattery ? targetW + 0.7 * batteryMaxW : targetW * (0.3 + 0.7 * rnd.nextDouble());
        double loadMinW = loadMaxW - rnd.nextDouble() * (loadMaxW + 10_000);
        boolean battery = needsBattery || rnd.nextBoolean();
        if (battery) {
            double shortWh = Math.max(0, loadMaxW - targetW) * simHours;
            double capacityWh = Math.max(10_000, 1.5 * shortWh / 0.6);
            site.battery(capacityWh, batteryMaxW, 80);
        }

        PeakShaving optimiser = PeakShavingTest.optimiser(peakKw, 15, headroomPercent, "UTC");
        // Beside it, one that sees a load forecast never above the target (and PV): it must decide exactly the same.
        PeakShaving withQuietForecast = PeakShavingTest.optimiser(peakKw, 15, headroomPercent, "UTC");
        double quietW = targetW / 1.1 * rnd.nextDouble();
        List<PowerSlot> quiet = new ArrayList<>();
        List<PowerSlot> pv = new ArrayList<>();
        for (int q = -4; q < 4 * 30; q++) {
            Instant from = T0.plus(INTERVAL.multipliedBy(q));
            quiet.add(new PowerSlot(from, INTERVAL, Power.ofWatts(quietW * (0.5 + 0.5 * rnd.nextDouble()))));
            pv.add(new PowerSlot(from, INTERVAL, Power.ofWatts(0.2 * quietW * rnd.nextDouble())));
        }
        PowerForecast quietLoad = new PowerForecast(ForecastKind.SITE_LOAD, "quiet", quiet);
        PowerForecast somePv = new PowerForecast(ForecastKind.PV_PRODUCTION, "pv", pv);
        Map<Long, Double> trueWh = new TreeMap<>();
        double load = loadMinW + rnd.nextDouble() * (loadMaxW - loadMinW);
        Instant t = start;
        // The first reading describes the step before it.
        account(trueWh, t, period, site.step(site.defaultProposal(), load, period));
        t = t.plus(period);
        for (int k = 1; k < cycles; k++) {
            SiteSnapshot snapshot = site.snapshot(k);
            Setpoints proposal = randomProposal(site, rnd, needsBattery);
            Setpoints out = optimiser.optimise(snapshot, proposal);
            assertThat(withQuietForecast.optimise(SimulatedSite.withForecasts(snapshot, quietLoad, somePv), proposal))
                    .as("a forecast without peaks changes nothing").isEqualTo(out);
            for (SimulatedSite.Ev ev : site.evs) {
                double asked = proposal.chargerLimit(ev.ref()).map(Current::amps).orElse(ev.maxAmps);
                double given = out.chargerLimit(ev.ref()).map(Current::amps).orElse(ev.maxAmps);
                assertThat(given).as("%s never raised", ev.id).isLessThanOrEqualTo(asked + 1e-9);
                if (given != asked) {
                    assertThat(given == 0 || given >= 6).as("%s paused or at least 6 A, got %s", ev.id, given).isTrue();
                }
            }
            if (battery) {
                double asked = proposal.batteryPower("bat").map(Power::watts).orElse(0.0);
                double given = out.batteryPower("bat").map(Power::watts).orElse(0.0);
                assertThat(given).as("battery never raised").isLessThanOrEqualTo(asked + 1e-9);
                if (given < asked && given < 0) {
                    assertThat(site.soc).as("asked to discharge only above the minimum SoC").isGreaterThan(20);
                    double afterTwoCycles = site.soc + given * 2 * periodSeconds / 3600.0 / site.batteryCapacityWh * 100;
                    assertThat(afterTwoCycles).as("not below the minimum before the next cycle").isGreaterThanOrEqualTo(20 - 1e-9);
                }
            }
            // Loads change at random, now and then in a jump.
            load = rnd.nextInt(20) == 0 ? loadMinW + rnd.nextDouble() * (loadMaxW - loadMinW)
                    : Math.max(loadMinW, Math.min(loadMaxW, load + (rnd.nextDouble() - 0.5) * 0.1 * (loadMaxW - loadMinW)));
            account(trueWh, t, period, site.step(out, load, period));
            t = t.plus(period);
        }
        Instant end = t;
        for (Map.Entry<Long, Double> e : trueWh.entrySet()) {
            Instant from = Instant.ofEpochSecond(e.getKey() * INTERVAL.toSeconds());
            if (from.isBefore(start.plus(period)) || from.plus(INTERVAL).isAfter(end)) {
                continue; // only intervals watched from their first moment to their last
            }
            double averageW = e.getValue() * 3600 / INTERVAL.toSeconds();
            assertThat(averageW).as("interval from %s, peak %.1f kW", from, peakKw).isLessThanOrEqualTo(peakKw * 1000 + 1e-6);
        }
    }

    @Provide
    Arbitrary<Integer> dayPeriods() {
        return Arbitraries.of(10, 30, 60);
    }

    /**
     * A generated afternoon and evening (12:00-22:00, quarter-hours held constant) with one or two forecast peaks
     * over the target, a battery large enough for them (energy, power, and room enough to charge before the
     * first), a self-consuming or idle economic optimiser, and a planning limit that may leave less room than the
     * peak. With the right forecasts no interval averages above the peak; the charging for the peaks never takes
     * the site over the planning limit or the battery out of its SoC band. The same day without the forecasts
     * goes over on part of the days (checked as coverage).
     */
    @Property(tries = 40)
    void withRightForecastsAndABatteryLargeEnoughNoIntervalAveragesAboveThePeak(@ForAll long seed,
            @ForAll("dayPeriods") int periodSeconds, @ForAll boolean selfConsuming, @ForAll boolean twoPeaks) {
        Random rnd = new Random(seed);
        double peakKw = 20 + rnd.nextDouble() * 80;
        double targetW = peakKw * 1000 * 0.97;
        double factor = 1.1;
        double eta = Math.sqrt(0.9);
        int quarters = 40;
        double[] load = new double[quarters];
        double[] pv = new double[quarters];
        double base = targetW * (0.2 + 0.4 * rnd.nextDouble());
        for (int k = 0; k < quarters; k++) {
            base = Math.max(0.2 * targetW, Math.min(0.6 * targetW, base + (rnd.nextDouble() - 0.5) * 0.1 * targetW));
            load[k] = base;
            // some PV in the early afternoon
            pv[k] = k < 16 ? 0.3 * targetW * rnd.nextDouble() * Math.sin(Math.PI * (k + 0.5) / 16) : 0;
        }
        int first = 16 + rnd.nextInt(12);
        int length = 2 + rnd.nextInt(5);
        for (int k = first; k < first + length; k++) {
            load[k] = targetW * (1.02 + 0.38 * rnd.nextDouble());
        }
        if (twoPeaks) {
            int second = first + length + 1 + rnd.nextInt(6);
            for (int k = second; k < Math.min(quarters, second + 1 + rnd.nextInt(3)); k++) {
                load[k] = targetW * (1.02 + 0.38 * rnd.nextDouble());
            }
        }
        // What the look-ahead counts, without any recharge between peaks: an upper bound of what it keeps.
        double keptWh = 0;
        double excessW = 0;
        for (int k = 0; k < quarters; k++) {
            double net = load[k] * factor - pv[k] / factor;
            excessW = Math.max(excessW, net - targetW);
            keptWh += Math.max(0, net - targetW) * 0.25 / eta;
        }
        double batteryW = 1.3 * excessW;
        double capacityWh = 1.2 * keptWh / 0.8;
        // A planning limit between 0.6 and 2 x the target's current: in the afternoon it may leave less room than the peak.
        double planningAmps = targetW * (0.6 + 1.4 * rnd.nextDouble()) / (3 * SimulatedSite.VOLTS);
        double chargeableWh = 0;
        for (int k = 0; k < first; k++) {
            double roomW = Math.min(targetW, planningAmps * 3 * SimulatedSite.VOLTS) - (load[k] * factor - pv[k] / factor);
            chargeableWh += Math.min(batteryW, Math.max(0, roomW)) * 0.25 * eta;
        }
        // Start with what charging before the first peak (at 80 %, for the cycles' lag) cannot bring, or more.
        double startWh = Math.max(0, keptWh - 0.8 * chargeableWh) + rnd.nextDouble() * 0.5 * keptWh;
        double startSoc = Math.min(100, 20 + startWh / capacityWh * 100);
        SiteLimits limits = new SiteLimits(Current.ofAmps(planningAmps + 2), Current.ofAmps(2), 3, Voltage.NOMINAL_230,
                Percent.of(20), Percent.of(100), Duration.ofSeconds(periodSeconds));
        SimulatedDay day = new SimulatedDay(T0.minusSeconds(6 * 3600), load, pv);
        Function<SimulatedSite, Setpoints> economic = selfConsuming ? SimulatedDay::selfConsumption : SimulatedDay::idle;

        SimulatedDay.Result with = day.run(new SimulatedSite(day.start, true, limits).battery(capacityWh, batteryW, startSoc),
                PeakShavingTest.optimiser(peakKw, 15, 3, "UTC"), true, economic, (snapshot, proposal, out) -> {
                    double asked = proposal.batteryPower("bat").map(Power::watts).orElse(0.0);
                    double given = out.batteryPower("bat").map(Power::watts).orElse(0.0);
                    double soc = snapshot.batteries().get(0).reading().soc().value();
                    if (given > asked && given > 0) {
                        assertThat(PhaseBudget.planned(snapshot, out).orElseThrow().max().amps())
                                .as("charging for a peak stays under the planning limit").isLessThanOrEqualTo(planningAmps + 1e-6);
                        assertThat(soc + given * 2 * periodSeconds / 3600.0 / capacityWh * 100)
                                .as("charging for a peak stays under the maximum SoC").isLessThanOrEqualTo(100 + 1e-9);
                    }
                    if (given < 0 && given < asked) {
                        assertThat(soc).as("discharged only above the minimum SoC").isGreaterThan(20);
                    }
                });
        assertThat(with.averageW()).allSatisfy((from, averageW) -> assertThat(averageW)
                .as("interval from %s, peak %.1f kW", from, peakKw).isLessThanOrEqualTo(peakKw * 1000 + 1e-6));

        SimulatedDay.Result without = day.run(new SimulatedSite(day.start, true, limits).battery(capacityWh, batteryW, startSoc),
                PeakShavingTest.optimiser(peakKw, 15, 3, "UTC"), false, economic, (snapshot, proposal, out) -> { });
        boolean over = without.intervalsAbove(peakKw * 1000 + 1e-6) > 0;
        Statistics.label("without forecasts some interval is above the peak").collect(over);
        Statistics.label("without forecasts some interval is above the peak")
                .coverage(c -> c.check(true).percentage((Predicate<Double>) p -> p >= 50));
    }

    /** An economic optimiser asking anything: EVs paused, under the minimum, or anywhere up to the rating; the battery charging. */
    private static Setpoints randomProposal(SimulatedSite site, Random rnd, boolean batteryOnlyCharges) {
        Setpoints.Builder b = Setpoints.builder();
        for (SimulatedSite.Ev ev : site.evs) {
            int pick = rnd.nextInt(10);
            double amps = pick == 0 ? 0 : pick == 1 ? 3 : pick < 5 ? ev.maxAmps : 6 + rnd.nextDouble() * (ev.maxAmps - 6);
            b.chargerLimit(ev.ref(), Current.ofAmps(amps));
        }
        if (site.hasBattery) {
            double w = rnd.nextInt(3) == 0 ? rnd.nextDouble() * site.batteryMaxW
                    : batteryOnlyCharges ? 0 : -rnd.nextDouble() * site.batteryMaxW * 0.2;
            b.batteryPower("bat", Power.ofWatts(w));
        }
        return b.build();
    }

    /** Adds a step's energy to the intervals it spans, in proportion to time. */
    private static void account(Map<Long, Double> wh, Instant from, Duration step, double energyWh) {
        long len = INTERVAL.toSeconds();
        Instant to = from.plus(step);
        Instant cursor = from;
        while (cursor.isBefore(to)) {
            long index = Math.floorDiv(cursor.getEpochSecond(), len);
            Instant boundary = Instant.ofEpochSecond((index + 1) * len);
            Instant until = boundary.isBefore(to) ? boundary : to;
            double share = Duration.between(cursor, until).toNanos() / (double) step.toNanos();
            wh.merge(index, energyWh * share, Double::sum);
            cursor = until;
        }
    }
}
