package org.fusebox.optimiser.peakshaving;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.Power;

/**
 * Peak shaving over random load traces, fleets and proposals, on a simulated site that follows the
 * setpoints: while pausing EVs and discharging the battery can bring the import under the target, no
 * billing interval averages above the peak; nothing is raised above the proposal; an EV is paused or at
 * least at its minimum; the battery is never asked to discharge at or below the minimum SoC.
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
