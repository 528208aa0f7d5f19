package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.apache.karaf.features.FeaturesService;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Intervention;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.SiteSnapshot;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The economic and safety optimisers at work in the demo distribution (simulator over Modbus and OCPP),
 * not just installed: the battery planner's plan reaches the battery within the SoC band, and peak shaving
 * keeps a whole billing interval under the contracted peak by cutting the chargers.
 *
 * <p>The site is set up so that both have something to do: the simulated clock starts at the most expensive
 * evening hour of today's replayed 2023 prices (discharging pays, PV is low), the battery starts just above
 * the core's minimum SoC (the limit is reached within seconds), and EVs arrive every half simulated minute
 * so the chargers ask for far more than the peak. The simulator runs at 20x so that a 15-minute interval
 * takes 45 s of real time. The tests share one container and run in name order (the peak test takes the
 * site as the battery test left it; it does not depend on it).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class OptimisersIT extends FuseboxKarafTestSupport {

    private static final String PRICES_PROPERTY = "fusebox.itest.prices.file";
    private static final String ZONE = "Europe/Brussels";
    private static final int SPEED = 20;
    private static final String BATTERY = "sim-battery";
    /** The core's batteryMinSocPercent in the distribution's etc/fusebox.core.cfg, also configured in the planner. */
    private static final double MIN_SOC = 20;
    /** Close above the minimum: at 25 kW the battery reaches it in under 4 simulated minutes. */
    private static final double INITIAL_SOC = 23;
    /** One step of the SoC register read over Modbus (SunSpec scale factor -1). */
    private static final double SOC_RESOLUTION = 0.1;
    private static final double PEAK_KW = 20;

    @Configuration
    public Option[] options() {
        File prices = new File(System.getProperty("fusebox.prices.file", "../../data/day-ahead-prices-BE-2023.csv"));
        if (!prices.isFile()) {
            throw new IllegalStateException("the day-ahead price data is missing at " + prices.getAbsolutePath());
        }
        LocalDate today = LocalDate.now(ZoneId.of(ZONE));
        String start = today + String.format(Locale.ROOT, "T%02d:00", dearestEveningHour(prices, today));
        return withOptions(demoSite(),
                editConfigurationFilePut("etc/system.properties", PRICES_PROPERTY, prices.getAbsolutePath()),
                editConfigurationFilePut("etc/fusebox.simulator.cfg", "startTime", start),
                editConfigurationFilePut("etc/fusebox.simulator.cfg", "timeZone", ZONE),
                editConfigurationFilePut("etc/fusebox.simulator.cfg", "speed", Integer.toString(SPEED)),
                editConfigurationFilePut("etc/fusebox.simulator.cfg", "batteryInitialSocPercent", Double.toString(INITIAL_SOC)),
                editConfigurationFilePut("etc/fusebox.simulator.cfg", "evArrivalMeanMinutes", "0.5"));
    }

    /**
     * The hour between 16:00 and 20:00 with the highest price on the 2023 day the CSV feed replays onto
     * {@code day} (same weekday, a whole number of weeks earlier, as the feed's shiftToCurrentYear does):
     * the battery planner then wants to sell now and buy back later, and PV is low.
     */
    static int dearestEveningHour(File prices, LocalDate day) {
        LocalDate jan1 = LocalDate.of(2023, 1, 1);
        long weeks = Math.round(ChronoUnit.DAYS.between(jan1, LocalDate.of(day.getYear(), 1, 1)) / 7.0);
        LocalDate source = day.minusWeeks(weeks);
        if (source.getYear() < 2023) {
            source = source.plusWeeks(52);
        } else if (source.getYear() > 2023) {
            source = source.minusWeeks(52);
        }
        String prefix = source.format(DateTimeFormatter.ofPattern("ddMMMyyyy", Locale.ENGLISH)).toLowerCase(Locale.ROOT);
        int best = 17;
        double bestPrice = Double.NEGATIVE_INFINITY;
        try {
            for (String line : Files.readAllLines(prices.toPath(), StandardCharsets.UTF_8)) {
                if (!line.startsWith(prefix + " ")) {
                    continue;
                }
                int hour = Integer.parseInt(line.substring(prefix.length() + 1, prefix.length() + 3));
                double price = Double.parseDouble(line.substring(line.indexOf(',') + 1).trim());
                if (hour >= 16 && hour <= 20 && price > bestPrice) {
                    best = hour;
                    bestPrice = price;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + prices + ": " + e, e);
        }
        return best;
    }

    // ------------------------------------------------------------------ battery

    @Test
    public void a_batteryFollowsItsPlanAndKeepsItsMinimumSoc() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        ConfigurationAdmin cm = awaitService(ConfigurationAdmin.class);
        for (String feature : List.of("fusebox-market-csv", "fusebox-forecast-simple", "fusebox-optimiser-battery")) {
            featuresService.installFeature(feature, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
        Hashtable<String, Object> csv = new Hashtable<>();
        csv.put("file", bundleContext.getProperty(PRICES_PROPERTY));
        csv.put("shiftToCurrentYear", "true");
        cm.getConfiguration("fusebox.market.csv", null).update(csv);
        Hashtable<String, Object> battery = new Hashtable<>();
        battery.put("mode", "arbitrage");
        battery.put("minSocPercent", Double.toString(MIN_SOC));
        // No wear cost: any spread between now (the day's dearest evening hour) and the night pays for a discharge
        battery.put("degradationCostPerMwh", "0");
        cm.getConfiguration("fusebox.optimiser.battery", null).update(battery);

        CycleWatcher watcher = CycleWatcher.start(loop);
        try {
            waitUntil("the battery planner planning sim-battery with prices", 90_000, () -> loop.lastCycle()
                    .filter(r -> !r.snapshot().prices().isEmpty() && batteryLine(r).isPresent()).isPresent(), loop);
            // Watch until the battery has come down to its minimum while the plan still wants to discharge,
            // then some cycles more: the guard must hold it there.
            long[] reachedAt = { -1 };
            waitUntil("sim-battery down at its minimum SoC while its plan discharges", 120_000, () -> {
                CycleReport r = loop.lastCycle().orElse(null);
                if (r == null) {
                    return false;
                }
                if (reachedAt[0] < 0 && soc(r) <= MIN_SOC + 0.5 && plannedNow(r).map(p -> p < 0).orElse(false)) {
                    reachedAt[0] = r.cycle();
                }
                return reachedAt[0] >= 0 && r.cycle() >= reachedAt[0] + 20;
            }, loop);
        } finally {
            watcher.stop();
        }

        List<CycleReport> planned = watcher.seen().stream().filter(r -> batteryLine(r).isPresent()).collect(Collectors.toList());
        assertTrue("too few cycles with a battery plan: " + planned.size(), planned.size() >= 10);
        int discharging = 0;
        int cutByGuard = 0;
        double lowestSoc = Double.MAX_VALUE;
        double deepest = 0;
        Plan plan = null;
        for (CycleReport r : planned) {
            plan = batteryPlan(r).orElseThrow();
            PlanLine line = batteryLine(r).orElseThrow();
            assertFalse("plan without slots in cycle " + r.cycle(), line.power().isEmpty());
            assertNotNull("battery plan without a cost although prices are known, cycle " + r.cycle(), line.expectedCost());
            assertNotNull("plan without a total cost, cycle " + r.cycle(), plan.expectedCost());
            double plannedW = plannedNow(r).orElseThrow(() -> new AssertionError("no slot of the plan covers the cycle's time " + describe(r)));
            double proposedW = r.proposed().batteryPower(BATTERY).map(p -> p.watts()).orElse(0.0);
            double appliedW = r.applied().batteryPower(BATTERY).map(p -> p.watts()).orElse(0.0);
            assertEquals("the proposal is not the plan's current slot in " + describe(r), plannedW, proposedW, 1.0);
            if (Math.abs(appliedW - plannedW) > 1.0) {
                // Anything applied other than the plan must be the guard's cut, towards zero, and said so
                boolean said = r.interventions().stream().anyMatch(i -> i.device().equals(BATTERY));
                assertTrue("applied " + appliedW + " W instead of the planned " + plannedW + " W without an intervention in " + describe(r), said);
                assertTrue("the guard raised the battery: " + plannedW + " -> " + appliedW + " W in " + describe(r),
                        Math.signum(appliedW) != -Math.signum(plannedW) && Math.abs(appliedW) <= Math.abs(plannedW) + 1.0);
                cutByGuard++;
            }
            if (plannedW < -100) {
                discharging++;
                deepest = Math.min(deepest, plannedW);
            }
            double soc = soc(r);
            if (!Double.isNaN(soc)) {
                lowestSoc = Math.min(lowestSoc, soc);
                assertTrue("sim-battery at " + soc + " % below the minimum " + MIN_SOC + " % in " + describe(r), soc >= MIN_SOC - SOC_RESOLUTION);
            }
        }
        assertTrue("the plan never discharged, so the minimum was never tested", discharging > 0);
        assertTrue("the battery never came near its minimum: lowest " + lowestSoc + " %", lowestSoc <= MIN_SOC + 0.5);
        PlanLine last = batteryLine(planned.get(planned.size() - 1)).orElseThrow();
        System.out.println(String.format(Locale.ROOT,
                "OptimisersIT battery: %d cycles planned, %d discharging (deepest %.0f W), %d cut by the guard, SoC %.1f -> lowest %.1f %% (min %.1f %%), "
                        + "plan %d slots, line cost %s, plan cost %s, notes %s",
                planned.size(), discharging, deepest, cutByGuard, soc(planned.get(0)), lowestSoc, MIN_SOC, last.power().size(),
                last.expectedCost(), plan.expectedCost(), plan.notes()));
    }

    private static Optional<Plan> batteryPlan(CycleReport r) {
        return r.plans().stream().filter(p -> p.optimiser().equals("battery")).findFirst();
    }

    private static Optional<PlanLine> batteryLine(CycleReport r) {
        return batteryPlan(r).flatMap(p -> p.lines().stream().filter(l -> l.deviceId().equals(BATTERY) && l.connectorId() == null).findFirst());
    }

    /** The planned power of the slot that holds the cycle's time. */
    private static Optional<Double> plannedNow(CycleReport r) {
        Instant now = r.snapshot().timestamp();
        return batteryLine(r).flatMap(l -> l.power().stream().filter(s -> s.contains(now)).findFirst()).map(s -> s.power().watts());
    }

    private static double soc(CycleReport r) {
        return r.snapshot().battery(BATTERY).map(BatteryState::reading).map(b -> b.soc().value()).orElse(Double.NaN);
    }

    // ------------------------------------------------------------------ peak shaving

    @Test
    public void b_peakShavingKeepsAWholeIntervalUnderThePeak() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        double peakW = PEAK_KW * 1000;
        // Without peak shaving the EVs take the site above the peak (else keeping under it proves nothing)
        waitUntil("the EVs taking the site above " + PEAK_KW + " kW", 60_000,
                () -> loop.lastCycle().filter(r -> gridW(r) > peakW * 1.2 && evW(r) > peakW / 2).isPresent(), loop);
        CycleReport before = loop.lastCycle().orElseThrow();
        double evBeforeW = evW(before);
        double gridBeforeW = gridW(before);
        double limitsBefore = pluggedLimits(before);

        try (EventRecorder events = EventRecorder.open(bundleContext)) {
            featuresService.installFeature("fusebox-optimiser-peak-shaving", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("peakKw", Double.toString(PEAK_KW));
            props.put("timeZone", ZONE);
            awaitService(ConfigurationAdmin.class).getConfiguration("fusebox.optimiser.peakshaving", null).update(props);

            CycleWatcher watcher = CycleWatcher.start(loop);
            Instant intervalStart;
            Instant intervalEnd;
            try {
                waitUntil("peak shaving running", 60_000, () -> loop.lastCycle().filter(r -> ran(r, "peak-shaving")).isPresent(), loop);
                Instant acting = loop.lastCycle().orElseThrow().snapshot().timestamp();
                // The first interval peak shaving sees whole, with a couple of simulated minutes to get the EVs down first
                intervalStart = nextQuarterHour(acting.plus(Duration.ofMinutes(2)));
                intervalEnd = intervalStart.plus(Duration.ofMinutes(15));
                long realMillis = Duration.between(acting, intervalEnd).toMillis() / SPEED;
                Instant end = intervalEnd;
                waitUntil("the interval from " + intervalStart + " watched to its end", realMillis + 60_000, () -> loop.lastCycle()
                        .filter(r -> r.snapshot().timestamp().isAfter(end)).isPresent(), loop);
                // one cycle after the boundary closes the interval; let its event arrive
                long closing = loop.lastCycle().orElseThrow().cycle();
                waitUntil("a cycle after the interval closed", 30_000, () -> loop.lastCycle().filter(r -> r.cycle() > closing + 1).isPresent(), loop);
            } finally {
                watcher.stop();
            }

            List<CycleReport> seen = watcher.seen();
            List<CycleReport> inside = seen.stream().filter(r -> !r.snapshot().timestamp().isBefore(intervalStart)
                    && !r.snapshot().timestamp().isAfter(intervalEnd)).collect(Collectors.toList());
            assertTrue("too few cycles inside the interval: " + inside.size(), inside.size() >= 20);
            for (CycleReport r : inside) {
                assertTrue("peak shaving did not run in " + describe(r), ran(r, "peak-shaving"));
            }

            // The average import over the interval, each reading standing for the step before it
            double wattSeconds = 0;
            double seconds = 0;
            Instant previous = null;
            for (CycleReport r : seen) {
                Instant t = r.snapshot().timestamp();
                if (previous != null && t.isAfter(intervalStart) && previous.isBefore(intervalEnd)) {
                    Instant from = previous.isBefore(intervalStart) ? intervalStart : previous;
                    Instant to = t.isAfter(intervalEnd) ? intervalEnd : t;
                    double s = Duration.between(from, to).toMillis() / 1000.0;
                    wattSeconds += Math.max(0, gridW(r)) * s;
                    seconds += s;
                }
                previous = t;
            }
            assertTrue("only " + seconds + " s of the interval covered by readings", seconds >= 0.9 * 900);
            double averageW = wattSeconds / seconds;
            // ... and by the meter's import register, over the cycles inside it
            CycleReport first = inside.get(0);
            CycleReport lastInside = inside.get(inside.size() - 1);
            double registerWh = importedWh(lastInside) - importedWh(first);
            // (the snapshots' site time: the Modbus driver stamps readings with the gateway's wall clock, not the simulated one)
            double registerHours = Duration.between(first.snapshot().timestamp(), lastInside.snapshot().timestamp()).toMillis() / 3.6e6;
            double registerW = registerWh / registerHours;

            String start = intervalStart.toString();
            List<EventRecorder.Seen> exceeded = events.topic("fusebox/peakshaving/PEAK_EXCEEDED").stream()
                    .filter(e -> start.equals(e.property("intervalStart"))).collect(Collectors.toList());
            List<String> health = healthDetails("peak-shaving");
            int cutCycles = 0;
            double evInsideW = 0;
            double limitsInside = 0;
            for (CycleReport r : inside) {
                evInsideW += evW(r);
                limitsInside += pluggedLimits(r);
                if (r.interventions().stream().anyMatch(i -> i.device().startsWith("sim-charger")) || pluggedLimits(r) < limitsBefore - 6) {
                    cutCycles++;
                }
            }
            evInsideW /= inside.size();
            limitsInside /= inside.size();
            String summary = String.format(Locale.ROOT,
                    "OptimisersIT peak shaving: peak %.1f kW, interval %s: average import %.2f kW from power, %.2f kW from the register, "
                            + "%d cycles; before: grid %.1f kW, EVs %.1f kW, plugged limits %.1f A; inside: EVs %.1f kW, plugged limits %.1f A on average, "
                            + "%d cycles cut; PEAK_EXCEEDED for it: %d, events %s, health %s",
                    PEAK_KW, intervalStart, averageW / 1000, registerW / 1000, inside.size(), gridBeforeW / 1000, evBeforeW / 1000, limitsBefore,
                    evInsideW / 1000, limitsInside, cutCycles, exceeded.size(),
                    events.all().stream().map(EventRecorder.Seen::topic).filter(t -> t.startsWith("fusebox/peakshaving")).collect(Collectors.toList()), health);
            System.out.println(summary);
            if (averageW > peakW || registerW > peakW) {
                System.out.println("OptimisersIT peak shaving: cycles watched\n" + compact(seen));
            }
            assertTrue("average import " + averageW + " W over the " + peakW + " W peak: " + summary, averageW <= peakW);
            assertTrue("register average " + registerW + " W over the " + peakW + " W peak: " + summary, registerW <= peakW);
            assertTrue("peak shaving reported the interval above the peak: " + summary, exceeded.isEmpty());
            assertTrue("peak shaving health names the interval: " + health, health.stream().noneMatch(d -> d.contains(start)));
            // It kept under the peak by cutting the chargers, not because the EVs stopped asking
            assertTrue("the chargers were not cut: " + summary, cutCycles >= inside.size() / 2);
            assertTrue("the EVs drew as much as before: " + summary, evInsideW < evBeforeW - 2000);
            // ... and it did not starve the site either: the allowance was used
            assertTrue("the interval averaged far below the peak: " + summary, averageW >= peakW / 2);
        }
    }

    private static Instant nextQuarterHour(Instant t) {
        Instant hour = t.truncatedTo(ChronoUnit.HOURS);
        long quarters = Duration.between(hour, t).toMinutes() / 15 + 1;
        return hour.plus(Duration.ofMinutes(15 * quarters));
    }

    private static double gridW(CycleReport r) {
        SiteSnapshot s = r.snapshot();
        return s.grid() == null || s.grid().reading() == null ? Double.NaN : s.grid().reading().power().watts();
    }

    private static double importedWh(CycleReport r) {
        return r.snapshot().grid().reading().importedTotal().wattHours();
    }

    private static double evW(CycleReport r) {
        double w = 0;
        for (ChargerState c : r.snapshot().chargers()) {
            if (c.reading() != null) {
                for (ConnectorReading cn : c.reading().connectors()) {
                    w += Math.max(0, cn.power().watts());
                }
            }
        }
        return w;
    }

    /** The sum of the applied limits of the connectors with an EV plugged in. */
    private static double pluggedLimits(CycleReport r) {
        double amps = 0;
        for (ChargerState c : r.snapshot().chargers()) {
            if (c.reading() == null) {
                continue;
            }
            for (ConnectorReading cn : c.reading().connectors()) {
                if (cn.session() != null) {
                    amps += r.applied().chargerLimit(new ConnectorRef(c.id(), cn.connectorId())).map(a -> a.amps()).orElse(0.0);
                }
            }
        }
        return amps;
    }

    // ------------------------------------------------------------------ helpers

    private static boolean ran(CycleReport r, String optimiser) {
        return r.optimisers().stream().anyMatch(n -> n.startsWith(optimiser + " (") && !n.contains(" failed"));
    }

    /** Polls with its own deadline (some waits span simulated quarter-hours); the last cycle goes into the failure. */
    private static void waitUntil(String what, long millis, BooleanSupplier condition, ControlLoop loop) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out after " + millis + " ms waiting for " + what + "; last " + describe(loop.lastCycle().orElse(null)));
            }
            Thread.sleep(50);
        }
    }

    private static String describe(CycleReport r) {
        if (r == null) {
            return "no cycle";
        }
        SiteSnapshot s = r.snapshot();
        return "cycle " + r.cycle() + " (" + r.trigger() + ", " + r.state().mode() + ") at " + s.timestamp() + ": grid " + s.grid()
                + "\n batteries " + s.batteries() + "\n optimisers " + r.optimisers() + "\n proposed " + r.proposed()
                + "\n applied " + r.applied() + "\n interventions " + r.interventions() + "\n plans " + r.plans();
    }

    /** One line per cycle: site time, grid power, EV draw and the applied limits. */
    private static String compact(List<CycleReport> cycles) {
        StringBuilder b = new StringBuilder();
        for (CycleReport r : cycles) {
            b.append(r.cycle()).append(' ').append(r.snapshot().timestamp()).append(String.format(Locale.ROOT, " grid %.0f W ev %.0f W soc %.1f",
                    gridW(r), evW(r), soc(r)));
            b.append(" -> ").append(r.applied().chargers().stream().map(c -> c.limit().toString()).collect(Collectors.toList()))
                    .append(' ').append(r.applied().batteries()).append(' ')
                    .append(r.interventions().stream().map(Intervention::rule).collect(Collectors.toList())).append('\n');
        }
        return b.toString();
    }
}
