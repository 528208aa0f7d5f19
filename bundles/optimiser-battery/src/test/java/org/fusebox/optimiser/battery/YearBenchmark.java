package org.fusebox.optimiser.battery;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.Voltage;
import org.fusebox.market.csv.PriceCsvParser;

/**
 * Quality benchmark on the real 2023 Belgian day-ahead prices: a 50 kWh / 25 kW battery (90 % round trip)
 * beside a house load and 10 kWp of PV, the whole year, in three tariffs. Compares no battery, a naive rule
 * and the planner as the module runs it: re-planned at every slot over the prices known then (day-ahead
 * prices for tomorrow appear at 13:00 Brussels time), following the first slot of each plan. Forecasts are
 * the profiles themselves (perfect), so the gap to the rule is the planning, not the forecasting.
 *
 * <p>Not a unit test; run with the module's {@code bench} profile. Arguments: price file, slot minutes
 * (default 60; the prices are hourly).
 */
public final class YearBenchmark {

    static final ZoneId ZONE = ZoneId.of("Europe/Brussels");
    static final double CAPACITY_KWH = 50;
    static final double POWER_KW = 25;
    static final double DEGRADATION_PER_MWH = 50;

    record Outcome(double gridCost, double degradation, double throughputKwh, long[] planNanos) {
        double total() {
            return gridCost + degradation;
        }
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "../../data/day-ahead-prices-BE-2023.csv");
        int slotMinutes = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        List<PriceSlot> prices = new PriceCsvParser().parse(file).curve().slots();
        Instant start = prices.get(0).start();
        Instant end = prices.get(prices.size() - 1).end().minus(Duration.ofDays(1)); // the last day has no tomorrow
        Duration slot = Duration.ofMinutes(slotMinutes);
        int n = (int) (Duration.between(start, end).toMinutes() / slotMinutes);
        double[] load = new double[n];
        double[] pv = new double[n];
        profiles(start, slot, load, pv);
        double hours = slotMinutes / 60.0;
        System.out.printf(Locale.ROOT, "%s: %d slots of %d min from %s; house %.0f kWh, PV %.0f kWh (10 kWp); battery %.0f kWh / %.0f kW, "
                + "90 %% round trip, SoC 20..100 %%, degradation %.0f EUR/MWh cycled%n", file.getFileName(), n, slotMinutes, start,
                Arrays.stream(load).sum() * hours, Arrays.stream(pv).sum() * hours, CAPACITY_KWH, POWER_KW, DEGRADATION_PER_MWH);
        String[][] scenarios = {
            { "arbitrage, spot both ways", "arbitrage", "0", "spot", "0" },
            { "arbitrage, spot + 150 import", "arbitrage", "150", "spot", "0" },
            { "self-consumption, spot + 150 import, 30 feed-in", "self-consumption", "150", "fixed", "30" } };
        for (String[] sc : scenarios) {
            Map<String, Object> config = new HashMap<>(Map.of("mode", sc[1], "importMarkupPerMwh", Double.parseDouble(sc[2]),
                    "exportPrice", sc[3], "feedInPerMwh", Double.parseDouble(sc[4]), "slotMinutes", slotMinutes,
                    "degradationCostPerMwh", DEGRADATION_PER_MWH));
            BatterySettings settings = BatterySettings.from(Configs.of(BatteryConfig.class, config));
            Outcome none = simulate(prices, start, slot, load, pv, settings, Strategy.NONE);
            Outcome naive = simulate(prices, start, slot, load, pv, settings,
                    settings.mode() == BatterySettings.Mode.ARBITRAGE ? Strategy.NIGHT_EVENING : Strategy.GREEDY);
            Outcome planned = simulate(prices, start, slot, load, pv, settings, Strategy.PLANNER);
            long[] t = planned.planNanos().clone();
            Arrays.sort(t);
            System.out.printf(Locale.ROOT, "%n%s%n", sc[0]);
            row("no battery", none, none);
            row(settings.mode() == BatterySettings.Mode.ARBITRAGE ? "naive: charge 00-06, discharge 17-22" : "naive: greedy self-consumption", naive, none);
            row("planner", planned, none);
            System.out.printf(Locale.ROOT, "  planner vs naive: %.0f EUR better; plan time mean %.2f ms, p99 %.2f ms, max %.2f ms over %d plans%n",
                    naive.total() - planned.total(), Arrays.stream(t).average().orElse(0) / 1e6, t[(int) (t.length * 0.99)] / 1e6,
                    t[t.length - 1] / 1e6, t.length);
        }
        worstCaseTiming();
    }

    static void row(String name, Outcome o, Outcome none) {
        System.out.printf(Locale.ROOT, "  %-38s grid %9.0f EUR  degradation %6.0f EUR  total %9.0f EUR  saves %7.0f EUR  cycled %6.0f kWh%n",
                name, o.gridCost(), o.degradation(), o.total(), none.total() - o.total(), o.throughputKwh());
    }

    enum Strategy {
        NONE, NIGHT_EVENING, GREEDY, PLANNER
    }

    /** House and PV in kW per slot: a seeded synthetic year for Brussels. */
    static void profiles(Instant start, Duration slot, double[] load, double[] pv) {
        Random rnd = new Random(2023);
        Map<LocalDate, double[]> days = new HashMap<>();
        for (int i = 0; i < load.length; i++) {
            Instant t = start.plus(slot.multipliedBy(i)).plus(slot.dividedBy(2));
            ZonedDateTime local = t.atZone(ZONE);
            double[] day = days.computeIfAbsent(local.toLocalDate(), d -> new double[] { 0.85 + 0.3 * rnd.nextDouble(), 0.15 + 0.85 * rnd.nextDouble() });
            int doy = local.getDayOfYear();
            double h = local.getHour() + local.getMinute() / 60.0;
            double winter = 1 + 0.3 * Math.cos(2 * Math.PI * (doy - 15) / 365.0);
            double bumps = 0.3 + 0.8 * bump(h, 7.5, 1) + 1.5 * bump(h, 19.5, 2.5);
            load[i] = bumps * winter * day[0];
            double season = Math.sin(2 * Math.PI * (doy - 80) / 365.0);
            double daylight = 12 + 4.3 * season;
            double utcHours = t.atZone(ZoneId.of("UTC")).getHour() + t.atZone(ZoneId.of("UTC")).getMinute() / 60.0;
            double x = (utcHours - (11.8 - daylight / 2)) / daylight; // solar noon near 11:50 UTC in Brussels
            double peak = 10 * (0.45 + 0.35 * season) * day[1];
            pv[i] = x <= 0 || x >= 1 ? 0 : peak * Math.sin(Math.PI * x);
        }
    }

    private static double bump(double h, double centre, double halfWidth) {
        double d = Math.abs(h - centre);
        return d >= halfWidth ? 0 : Math.cos(Math.PI / 2 * d / halfWidth);
    }

    static Outcome simulate(List<PriceSlot> prices, Instant start, Duration slot, double[] load, double[] pv, BatterySettings s,
            Strategy strategy) {
        SiteLimits limits = new SiteLimits(Current.ofAmps(80), Current.ofAmps(2), 3, Voltage.NOMINAL_230, Percent.of(20), Percent.of(100),
                Duration.ofSeconds(1));
        BatteryRatings ratings = new BatteryRatings(Energy.ofKilowattHours(CAPACITY_KWH), Power.ofKilowatts(POWER_KW),
                Power.ofKilowatts(POWER_KW), Percent.of(90), 3);
        SocPlanner planner = new SocPlanner();
        double stored = 0.5 * CAPACITY_KWH;
        double grid = 0;
        double wear = 0;
        double through = 0;
        long[] nanos = new long[strategy == Strategy.PLANNER ? load.length : 0];
        int k = 0;
        for (int i = 0; i < load.length; i++) {
            Instant now = start.plus(slot.multipliedBy(i));
            ZonedDateTime local = now.atZone(ZONE);
            // Prices known now: today's, and tomorrow's from 13:00.
            Instant known = local.toLocalDate().plusDays(local.getHour() >= 13 ? 2 : 1).atStartOfDay(ZONE).toInstant();
            while (k < prices.size() && !prices.get(k).end().isAfter(now)) {
                k++;
            }
            List<SitePlanning.Frame> frames = new ArrayList<>();
            List<PriceSlot> visible = new ArrayList<>();
            for (int j = k; j < prices.size() && prices.get(j).start().isBefore(known); j++) {
                visible.add(prices.get(j));
            }
            SitePlanning.frames(new PriceCurve(visible), now, s, frames);
            BatteryState battery = new BatteryState("bat", "bat", DeviceStatus.online(now), ratings,
                    new BatteryReading(now, Power.ZERO, Percent.clamped(100 * stored / CAPACITY_KWH), Power.ZERO));
            SiteSnapshot site = SiteSnapshot.builder(limits).timestamp(now).battery(battery).build();
            BatteryModel m = SitePlanning.model(battery, site, s, frames);
            double[] net = new double[frames.size()];
            double[][] base = new double[frames.size()][];
            for (int t = 0; t < net.length; t++) {
                net[t] = i + t < load.length ? load[i + t] - pv[i + t] : load[i] - pv[i];
                base[t] = SitePlanning.spread(net[t], 230, 3);
            }
            SitePlanning.SiteProblem problem = new SitePlanning.SiteProblem(frames, null, net, base, List.of());
            List<Slot> slots = SitePlanning.slots(problem, net, base, battery, site, s);
            Slot first = slots.get(0);
            double h = first.hours();
            double kw = switch (strategy) {
                case NONE -> 0;
                case PLANNER -> {
                    long t0 = System.nanoTime();
                    Schedule plan = planner.plan(slots, m, stored);
                    nanos[i] = System.nanoTime() - t0;
                    yield plan.firstKw();
                }
                case NIGHT_EVENING -> local.getHour() < 6 ? first.maxKw() : local.getHour() >= 17 && local.getHour() < 22 ? first.minKw() : 0;
                case GREEDY -> Math.max(first.minKw(), Math.min(first.maxKw(), -first.netLoadKw()));
            };
            // Within the SoC band, whatever the strategy asked (the core's guard does the same).
            double delta = m.storedChange(kw, h);
            delta = Math.max(Math.min(delta, Math.max(0, m.maxKwh() - stored)), -Math.max(0, stored - m.minKwh()));
            kw = m.acPower(delta, h);
            grid += first.gridCost(kw);
            wear += m.degradation(delta);
            through += Math.abs(delta);
            stored += delta;
        }
        return new Outcome(grid, wear, through, nanos);
    }

    /** The module's largest routine problem: 48 h of 15-minute slots, timed on its own. */
    static void worstCaseTiming() {
        SocPlanner planner = new SocPlanner();
        Random rnd = new Random(7);
        List<Slot> slots = new ArrayList<>();
        Instant t = Instant.parse("2023-06-01T00:00:00Z");
        for (int i = 0; i < 192; i++) {
            slots.add(new Slot(t, Duration.ofMinutes(15), 0.05 + 0.3 * rnd.nextDouble(), 0.05, -5 + 10 * rnd.nextDouble(), -POWER_KW, POWER_KW));
            t = t.plus(Duration.ofMinutes(15));
        }
        double eta = Math.sqrt(0.9);
        BatteryModel m = new BatteryModel(CAPACITY_KWH, eta, eta, 10, 50, 0.25, 0.05, 0.02);
        long[] ns = new long[200];
        for (int i = 0; i < ns.length; i++) {
            long t0 = System.nanoTime();
            planner.plan(slots, m, 25);
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        System.out.printf(Locale.ROOT, "%n48 h of 15-min slots (192 slots, 161 SoC levels, 25 kW / 50 kWh): median %.1f ms, max %.1f ms over %d runs "
                + "(first runs include JIT warm-up)%n", ns[ns.length / 2] / 1e6, ns[ns.length - 1] / 1e6, ns.length);
    }
}
