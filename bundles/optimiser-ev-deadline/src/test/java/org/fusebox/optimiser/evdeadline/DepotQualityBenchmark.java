package org.fusebox.optimiser.evdeadline;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.market.csv.PriceCsvParser;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * Quality benchmark on the real 2023 Belgian day-ahead prices: a depot of 50 EVs arriving 17:00-21:00
 * (Brussels), leaving at 06:00, every night of 2023. Compares the cost of charging on arrival, of the
 * planner as the module runs it (re-planned at each arrival, knowing only the EVs plugged in), and of the
 * exact offline optimum (LP without the minimum power; MILP with it on a few nights).
 *
 * <p>Not a unit test (surefire only runs *Test and *Properties); run with the module's {@code bench}
 * profile, see docs/benchmarks.md. Arguments: price file, nights step (7 = one a week, 1 = every night),
 * MILP nights (0..4; the MILP of the full depot ran out of the default heap), MILP time limit in seconds.
 */
public final class DepotQualityBenchmark {

    static final ZoneId ZONE = ZoneId.of("Europe/Brussels");
    static final int EVS = 50;
    static final double MAX_KW = 16 * 3 * 0.230;
    static final double MIN_KW = 6 * 3 * 0.230;
    /** Power all EVs together may draw (the depot's connection for charging); the fifth argument, default 250. */
    static double capKw = 250;
    static final long SEED = 2023L;

    /** Price per kWh for every hour of the year, by start instant. */
    private final List<PriceSlot> prices;

    private DepotQualityBenchmark(List<PriceSlot> prices) {
        this.prices = prices;
    }

    record Ev(Instant arrival, Instant departure, double energyKwh) {
    }

    record Night(LocalDate date, Instant start, Instant end, List<Slot> hourly, List<Ev> evs) {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "../../data/day-ahead-prices-BE-2023.csv");
        int step = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int milpNights = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        long milpSeconds = args.length > 3 ? Long.parseLong(args[3]) : 20;
        capKw = args.length > 4 ? Double.parseDouble(args[4]) : 250;
        List<PriceSlot> slots = new PriceCsvParser().parse(file).curve().slots();
        new DepotQualityBenchmark(slots).run(step, milpNights, milpSeconds);
    }

    Night night(LocalDate date) {
        Instant start = date.atTime(LocalTime.of(17, 0)).atZone(ZONE).toInstant();
        Instant end = date.plusDays(1).atTime(LocalTime.of(6, 0)).atZone(ZONE).toInstant();
        List<Slot> hourly = new ArrayList<>();
        for (PriceSlot p : prices) {
            if (!p.start().isBefore(start) && !p.end().isAfter(end)) {
                hourly.add(new Slot(p.start(), p.length(), p.price().perKilowattHour(), capKw));
            }
        }
        if (hourly.isEmpty() || !hourly.get(0).start().equals(start) || !hourly.get(hourly.size() - 1).end().equals(end)) {
            return null; // the price file does not cover this night (the last night of the year)
        }
        Random rnd = new Random(SEED * 1000 + date.getDayOfYear());
        List<Ev> evs = new ArrayList<>();
        for (int i = 0; i < EVS; i++) {
            Instant arrival = start.plusSeconds(60L * rnd.nextInt(4 * 60));
            double energy = Math.round((10 + 40 * rnd.nextDouble()) * 10) / 10.0;
            evs.add(new Ev(arrival, end, energy));
        }
        return new Night(date, start, end, hourly, evs);
    }

    static double priceAt(List<Slot> hourly, Instant t) {
        for (Slot s : hourly) {
            if (!t.isBefore(s.start()) && t.isBefore(s.end())) {
                return s.pricePerKwh();
            }
        }
        throw new IllegalArgumentException("no price at " + t);
    }

    record Outcome(double cost, double[] delivered, double clampedKwh, long planNanos) {
        double energy() {
            return Arrays.stream(delivered).sum();
        }
    }

    /** Charging on arrival: every EV at full power from its arrival, earliest arrivals first under the cap. */
    static Outcome onArrival(Night n) {
        List<Ev> evs = n.evs();
        Integer[] order = new Integer[evs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> evs.get(a).arrival().compareTo(evs.get(b).arrival()));
        double[] got = new double[evs.size()];
        double cost = 0;
        // Minute steps: arrivals are on whole minutes, so this is exact up to EVs finishing mid-minute.
        for (Instant t = n.start(); t.isBefore(n.end()); t = t.plusSeconds(60)) {
            double price = priceAt(n.hourly(), t);
            double capLeft = capKw;
            for (int i : order) {
                Ev ev = evs.get(i);
                double need = ev.energyKwh() - got[i];
                if (ev.arrival().isAfter(t) || need <= 1e-9) {
                    continue;
                }
                double kw = Math.min(MAX_KW, capLeft);
                if (kw < MIN_KW) {
                    continue; // an AC charger cannot run below 6 A
                }
                double e = Math.min(need, kw / 60.0);
                got[i] += e;
                capLeft -= e * 60.0;
                cost += e * price;
            }
        }
        return new Outcome(cost, got, 0, 0);
    }

    /**
     * The planner as the module uses it: at every arrival, plan all EVs plugged in for their remaining
     * energy over the known prices (first slot from now to the next hour), and follow that plan until the
     * next arrival.
     */
    static Outcome planned(Night n) {
        List<Ev> evs = n.evs();
        TreeSet<Instant> replans = new TreeSet<>();
        evs.forEach(e -> replans.add(e.arrival()));
        double[] got = new double[evs.size()];
        double cost = 0;
        double clamped = 0;
        long nanos = 0;
        DeadlinePlanner planner = new DeadlinePlanner();
        for (Instant now : replans) {
            Instant until = replans.higher(now) == null ? n.end() : replans.higher(now);
            List<Slot> slots = new ArrayList<>();
            for (Slot s : n.hourly()) {
                if (s.end().isAfter(now)) {
                    Instant from = s.start().isBefore(now) ? now : s.start();
                    slots.add(new Slot(from, Duration.between(from, s.end()), s.pricePerKwh(), capKw));
                }
            }
            List<EvDemand> demands = new ArrayList<>();
            List<Integer> index = new ArrayList<>();
            for (int i = 0; i < evs.size(); i++) {
                Ev ev = evs.get(i);
                double need = ev.energyKwh() - got[i];
                if (!ev.arrival().isAfter(now) && need > 1e-9) {
                    demands.add(new EvDemand("ev" + i, need, ev.departure(), MAX_KW, MIN_KW));
                    index.add(i);
                }
            }
            long t0 = System.nanoTime();
            ChargePlan plan = planner.plan(slots, demands);
            nanos += System.nanoTime() - t0;
            for (int k = 0; k < demands.size(); k++) {
                int i = index.get(k);
                for (int t = 0; t < slots.size(); t++) {
                    Slot s = slots.get(t);
                    Instant a = s.start();
                    Instant b = s.end().isBefore(until) ? s.end() : until;
                    if (!b.isAfter(a)) {
                        continue;
                    }
                    double e = plan.kw(k, t) * Duration.between(a, b).toNanos() / 3.6e12;
                    // The session stops at the requested energy; rounding up to the minimum may plan a bit more.
                    double need = evs.get(i).energyKwh() - got[i];
                    if (e > need) {
                        clamped += e - need;
                        e = Math.max(0, need);
                    }
                    got[i] += e;
                    cost += e * s.pricePerKwh();
                }
            }
        }
        return new Outcome(cost, got, clamped, nanos);
    }

    /**
     * Exact offline optimum with every arrival known in advance: time split at hours and arrivals, each EV
     * gets exactly its energy. With {@code minPower}, each EV's power per interval is 0 or at least 6 A.
     */
    static Optimisation.Result optimum(Night n, boolean minPower, long timeLimitMillis, double[] costOut) {
        TreeSet<Instant> cuts = new TreeSet<>();
        n.hourly().forEach(s -> cuts.add(s.start()));
        cuts.add(n.end());
        n.evs().forEach(e -> cuts.add(e.arrival()));
        List<Instant> c = new ArrayList<>(cuts);
        ExpressionsBasedModel model = new ExpressionsBasedModel();
        if (timeLimitMillis > 0) {
            model.options.time_abort = timeLimitMillis;
        }
        int m = c.size() - 1;
        List<Variable[]> xs = new ArrayList<>();
        double[] price = new double[m];
        double[] hours = new double[m];
        for (int t = 0; t < m; t++) {
            price[t] = priceAt(n.hourly(), c.get(t));
            hours[t] = Duration.between(c.get(t), c.get(t + 1)).toNanos() / 3.6e12;
        }
        for (int i = 0; i < n.evs().size(); i++) {
            Ev ev = n.evs().get(i);
            Variable[] x = new Variable[m];
            Expression need = model.newExpression("need" + i).level(ev.energyKwh());
            for (int t = 0; t < m; t++) {
                boolean here = !c.get(t).isBefore(ev.arrival());
                double upper = here ? MAX_KW * hours[t] : 0;
                x[t] = model.newVariable("x" + i + "_" + t).lower(0).upper(upper).weight(price[t]);
                need.set(x[t], 1);
                if (minPower && upper > 0) {
                    Variable on = model.newVariable("b" + i + "_" + t).binary();
                    model.newExpression("lo" + i + "_" + t).lower(0).set(x[t], 1).set(on, -MIN_KW * hours[t]);
                    model.newExpression("hi" + i + "_" + t).upper(0).set(x[t], 1).set(on, -upper);
                }
            }
            xs.add(x);
        }
        for (int t = 0; t < m; t++) {
            Expression cap = model.newExpression("cap" + t).upper(capKw * hours[t]);
            for (Variable[] x : xs) {
                cap.set(x[t], 1);
            }
        }
        Optimisation.Result r = model.minimise();
        double cost = 0;
        for (Variable[] x : xs) {
            for (int t = 0; t < m; t++) {
                cost += x[t].getValue().doubleValue() * price[t];
            }
        }
        costOut[0] = cost;
        return r;
    }

    static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** Median and p95 of {@code runs} plans of 50 EVs over {@code slots}, after warm-up. */
    static String timing(List<Slot> slots, List<EvDemand> evs, int runs) {
        DeadlinePlanner planner = new DeadlinePlanner();
        for (int k = 0; k < 200; k++) {
            planner.plan(slots, evs);
        }
        long[] t = new long[runs];
        for (int k = 0; k < runs; k++) {
            long t0 = System.nanoTime();
            planner.plan(slots, evs);
            t[k] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        return String.format("median %.2f ms, p95 %.2f ms, max %.2f ms (%d runs)", percentile(t, 0.5), percentile(t, 0.95),
                t[runs - 1] / 1e6, runs);
    }

    static List<Slot> split(Night n, Duration length, Instant horizonEnd) {
        List<Slot> out = new ArrayList<>();
        for (Instant t = n.start(); t.isBefore(horizonEnd); t = t.plus(length)) {
            double price = t.isBefore(n.end()) ? priceAt(n.hourly(), t) : n.hourly().get(n.hourly().size() - 1).pricePerKwh();
            out.add(new Slot(t, length, price, capKw));
        }
        return out;
    }

    void run(int step, int milpNights, long milpSeconds) {
        System.out.printf("Depot: %d EVs, arrivals 17:00-21:00, departure 06:00 (Europe/Brussels), 10-50 kWh, %.2f..%.2f kW, cap %.0f kW, seed %d%n",
                EVS, MIN_KW, MAX_KW, capKw, SEED);
        System.out.println("date        slots  energy_kWh  arrival_EUR  plan_EUR  lp_EUR  plan-lp_EUR  arrival-plan_EUR  replan_ms");
        double sumArrival = 0;
        double sumPlan = 0;
        double sumLp = 0;
        double sumEnergy = 0;
        double sumClamped = 0;
        int nights = 0;
        int negativeNights = 0;
        int planBelowLp = 0;
        List<Double> gapsAboveLp = new ArrayList<>();
        List<Long> replanNanos = new ArrayList<>();
        for (LocalDate d = LocalDate.of(2023, 1, 1); d.getYear() == 2023; d = d.plusDays(step)) {
            Night n = night(d);
            if (n == null) {
                continue;
            }
            Outcome a = onArrival(n);
            Outcome p = planned(n);
            double[] lpCost = new double[1];
            Optimisation.Result lp = optimum(n, false, 0, lpCost);
            if (lp.getState() != Optimisation.State.OPTIMAL && lp.getState() != Optimisation.State.DISTINCT) {
                throw new IllegalStateException(d + ": LP not solved: " + lp.getState());
            }
            double want = n.evs().stream().mapToDouble(Ev::energyKwh).sum();
            // Like with like: every method must deliver every EV's energy, no more, no less.
            for (int i = 0; i < EVS; i++) {
                double e = n.evs().get(i).energyKwh();
                if (Math.abs(a.delivered()[i] - e) > 1e-6 || Math.abs(p.delivered()[i] - e) > 1e-6) {
                    throw new IllegalStateException(d + ": ev" + i + " wanted " + e + " kWh, on arrival " + a.delivered()[i]
                            + ", planned " + p.delivered()[i]);
                }
            }
            nights++;
            sumArrival += a.cost();
            sumPlan += p.cost();
            sumLp += lpCost[0];
            sumEnergy += want;
            sumClamped += p.clampedKwh();
            replanNanos.add(p.planNanos());
            if (lpCost[0] < 0) {
                negativeNights++;
            }
            if (p.cost() < lpCost[0] - 1e-6) {
                planBelowLp++;
            }
            gapsAboveLp.add((p.cost() - lpCost[0]) / want); // EUR per kWh, meaningful with any sign of the cost
            System.out.printf("%s  %5d  %10.1f  %11.2f  %8.2f  %6.2f  %11.2f  %16.2f  %9.2f%n", d, n.hourly().size(), want,
                    a.cost(), p.cost(), lpCost[0], p.cost() - lpCost[0], a.cost() - p.cost(), p.planNanos() / 1e6);
        }
        System.out.println();
        System.out.printf("Nights: %d; energy %.0f kWh in total, identical for all methods (checked per EV)%n", nights, sumEnergy);
        System.out.printf("Charge on arrival: %.2f EUR (%.4f EUR/kWh)%n", sumArrival, sumArrival / sumEnergy);
        System.out.printf("Planner (re-planned at each arrival, 6 A minimum): %.2f EUR (%.4f EUR/kWh)%n", sumPlan, sumPlan / sumEnergy);
        System.out.printf("LP optimum (arrivals known, no 6 A minimum): %.2f EUR (%.4f EUR/kWh)%n", sumLp, sumLp / sumEnergy);
        System.out.printf("Planner above LP: %.2f EUR = %.2f%% of the LP cost%n", sumPlan - sumLp, 100 * (sumPlan - sumLp) / Math.abs(sumLp));
        System.out.printf("Planner below charge on arrival: %.2f EUR = %.2f%% of the on-arrival cost%n", sumArrival - sumPlan,
                100 * (sumArrival - sumPlan) / Math.abs(sumArrival));
        gapsAboveLp.sort(null);
        System.out.printf("Per night, planner minus LP in EUR/kWh: median %.5f, p95 %.5f, max %.5f; nights with a negative LP cost: %d; planner below LP: %d%n",
                gapsAboveLp.get(gapsAboveLp.size() / 2), gapsAboveLp.get((int) Math.ceil(0.95 * gapsAboveLp.size()) - 1),
                gapsAboveLp.get(gapsAboveLp.size() - 1), negativeNights, planBelowLp);
        System.out.printf("Energy planned beyond the request and not delivered (session stops at its target): %.3f kWh in total%n", sumClamped);
        long[] rp = replanNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("Re-planning per night (one plan per arrival, up to 50 plans, first run included): median %.1f ms, p95 %.1f ms%n",
                percentile(rp, 0.5), percentile(rp, 0.95));

        Night t = night(LocalDate.of(2023, 6, 14));
        List<EvDemand> all = new ArrayList<>();
        for (int i = 0; i < EVS; i++) {
            all.add(new EvDemand("ev" + i, t.evs().get(i).energyKwh(), t.end(), MAX_KW, MIN_KW));
        }
        System.out.println();
        System.out.println("Planning time, 50 EVs all plugged in at 17:00, night of 2023-06-14:");
        System.out.println("  13 hourly slots to 06:00:                               " + timing(t.hourly(), all, 2000));
        System.out.println("  52 quarter-hour slots to 06:00:                         "
                + timing(split(t, Duration.ofMinutes(15), t.end()), all, 1000));
        System.out.println("  96 quarter-hour slots (24 h horizon, leave at 06:00):   "
                + timing(split(t, Duration.ofMinutes(15), t.start().plus(Duration.ofHours(24))), all, 1000));
        List<EvDemand> stay = new ArrayList<>();
        for (EvDemand e : all) {
            stay.add(new EvDemand(e.id(), e.energyKwh(), t.start().plus(Duration.ofHours(24)), MAX_KW, MIN_KW));
        }
        System.out.println("  96 quarter-hour slots, all usable (leave at +24 h):    "
                + timing(split(t, Duration.ofMinutes(15), t.start().plus(Duration.ofHours(24))), stay, 1000));

        System.out.println();
        System.out.printf("MILP (with the 6 A minimum, arrivals known), %d s limit per night:%n", milpSeconds);
        for (LocalDate d : List.of(LocalDate.of(2023, 1, 2), LocalDate.of(2023, 4, 12), LocalDate.of(2023, 7, 5),
                LocalDate.of(2023, 10, 18)).subList(0, Math.min(4, milpNights))) {
            Night n = night(d);
            double[] milpCost = new double[1];
            double[] lpCost = new double[1];
            optimum(n, false, 0, lpCost);
            long t0 = System.nanoTime();
            Optimisation.Result r;
            try {
                r = optimum(n, true, milpSeconds * 1000, milpCost);
            } catch (OutOfMemoryError e) {
                // Seen with the default heap on the full depot: report it rather than lose the rest.
                System.out.printf("  %s: MILP ran out of memory after %.1f s%n", d, (System.nanoTime() - t0) / 1e9);
                continue;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            Outcome p = planned(n);
            System.out.printf("  %s: state %s in %.1f s; MILP %.2f EUR, LP %.2f EUR, planner %.2f EUR%n", d, r.getState(), secs,
                    milpCost[0], lpCost[0], p.cost());
        }
    }
}
