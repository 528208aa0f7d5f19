package org.fusebox.optimiser.evdeadline;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.market.csv.PriceCsvParser;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * Quality benchmark on a real price file: a depot of 50 EVs arriving 17:00-21:00 local time, leaving at
 * 06:00, every night of a date range, at several caps for all EVs together. Compares, per night: charging on
 * arrival; the planner as the module runs it (re-planned at each arrival) without the arrival reserve, with
 * a reserve that knows the night's arrivals exactly, and with a reserve learned by {@link ArrivalProfile} from
 * the nights before; and the offline optimum (LP without the minimum power, every arrival known), a bound.
 *
 * <p>Not a unit test (surefire only runs *Test and *Properties); run with the module's {@code bench} profile,
 * see docs/benchmarks.md. Arguments are {@code key=value}:
 * <ul>
 * <li>{@code prices=} a price file in the format {@code PriceCsvParser} reads (required), {@code zone=} its and
 * the depot's zone (Europe/Brussels), {@code currency=} (EUR);</li>
 * <li>{@code from=}, {@code to=} the first and last night (default: every night the file covers), {@code step=}
 * nights between two benchmarked ones (1);</li>
 * <li>{@code slotMinutes=} the planner's slots (60: the hourly prices as they are; the module plans in 15);</li>
 * <li>{@code caps=} kW for all EVs, comma separated (150,250,400);</li>
 * <li>a tariff on top of spot, applied before planning and costing: {@code energyCharge=} per kWh (0),
 * {@code gridFees=} local-hour bands {@code from-to:fee per kWh}, comma separated (none), {@code vat=} a
 * fraction (0): price = (spot + energy charge + grid fee) x (1 + VAT);</li>
 * <li>or {@code tariff=} a file in the format of {@code etc/fusebox.tariff.cfg}: the tariff bundle itself prices
 * every slot, (spot + energy charge + grid fee by time band + levies) x (1 + VAT) ({@link TariffedPrices}); not
 * together with the three above;</li>
 * <li>{@code csv=} where to write one row per night, method and cap (target/depot-quality-nights.csv);
 * {@code lpCheck=} check the flow LP against ojAlgo every this many nights (30, 0 = never); {@code milp=}
 * nights (0..4) to also solve with the 6 A minimum, {@code milpSeconds=} (10); {@code timing=true} to time
 * single plans as well.</li>
 * </ul>
 */
public final class DepotQualityBenchmark {

    static final int EVS = 50;
    static final double MAX_KW = 16 * 3 * 0.230;
    static final double MIN_KW = 6 * 3 * 0.230;
    static final long SEED = 2023L;

    static ZoneId zone = ZoneId.of("Europe/Brussels");
    /** The planner's slot length; the price file's own by default (the module plans in 15 minutes). */
    static Duration slotLength = Duration.ofHours(1);
    private static final String[] METHODS = { "arrival", "none", "exact", "learned" };

    private final List<PriceSlot> prices;
    private final Tariff tariff;
    /** What the prices are: spot, spot with the simple tariff above, or the tariff bundle's import prices. */
    private final String pricing;

    private DepotQualityBenchmark(List<PriceSlot> prices, Tariff tariff, String pricing) {
        this.prices = prices;
        this.tariff = tariff;
        this.pricing = pricing;
    }

    record Ev(Instant arrival, Instant departure, double energyKwh) {
    }

    record Night(LocalDate date, Instant start, Instant end, List<Slot> hourly, List<Ev> evs) {
    }

    /** What a site pays per kWh on top of spot: (spot + energy charge + grid fee of the local hour) x (1 + VAT). */
    record Tariff(BigDecimal energyCharge, BigDecimal[] feeByHour, BigDecimal vat) {

        static Tariff parse(String energyCharge, String bands, String vat) {
            BigDecimal[] fees = new BigDecimal[24];
            Arrays.fill(fees, BigDecimal.ZERO);
            if (bands != null && !bands.isBlank()) {
                for (String band : bands.split(",")) {
                    String[] kv = band.trim().split(":");
                    String[] hours = kv[0].split("-");
                    int from = Integer.parseInt(hours[0]);
                    int to = Integer.parseInt(hours[1]);
                    if (kv.length != 2 || from < 0 || to > 24 || from >= to) {
                        throw new IllegalArgumentException("grid fee band must be from-to:fee with 0 <= from < to <= 24, got " + band);
                    }
                    for (int h = from; h < to; h++) {
                        fees[h] = new BigDecimal(kv[1]);
                    }
                }
            }
            return new Tariff(new BigDecimal(energyCharge), fees, new BigDecimal(vat));
        }

        boolean isNone() {
            return energyCharge.signum() == 0 && vat.signum() == 0 && Arrays.stream(feeByHour).allMatch(f -> f.signum() == 0);
        }

        /** The price per kWh paid for an hour starting at {@code start}, from the spot price per kWh. */
        BigDecimal apply(BigDecimal spotPerKwh, Instant start) {
            int hour = start.atZone(zone).getHour();
            return spotPerKwh.add(energyCharge).add(feeByHour[hour]).multiply(BigDecimal.ONE.add(vat));
        }

        @Override
        public String toString() {
            if (isNone()) {
                return "spot only";
            }
            StringBuilder bands = new StringBuilder();
            for (int h = 0; h < 24;) {
                int to = h;
                while (to < 24 && feeByHour[to].compareTo(feeByHour[h]) == 0) {
                    to++;
                }
                bands.append(bands.length() == 0 ? "" : ", ").append(h).append('-').append(to).append(' ').append(feeByHour[h].toPlainString());
                h = to;
            }
            return "(spot + " + energyCharge.toPlainString() + " energy charge + grid fee [" + bands + "]) x (1 + " + vat.toPlainString() + ")";
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("arguments are key=value, got '" + arg + "'");
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        if (!a.containsKey("prices")) {
            throw new IllegalArgumentException("prices=<file> is required");
        }
        zone = ZoneId.of(a.getOrDefault("zone", "Europe/Brussels"));
        slotLength = Duration.ofMinutes(Integer.parseInt(a.getOrDefault("slotMinutes", "60")));
        Currency currency = Currency.getInstance(a.getOrDefault("currency", "EUR"));
        PriceCurve spot = new PriceCsvParser(zone, currency, null).parse(Path.of(a.get("prices"))).curve();
        List<PriceSlot> slots = spot.slots();
        Tariff tariff = Tariff.parse(a.getOrDefault("energyCharge", "0"), a.get("gridFees"), a.getOrDefault("vat", "0"));
        String pricing = tariff.toString();
        if (a.containsKey("tariff")) {
            if (!tariff.isNone()) {
                throw new IllegalArgumentException("tariff= is the tariff bundle's configuration; energyCharge=, gridFees= and vat= may not be given with it");
            }
            Path cfg = Path.of(a.get("tariff"));
            List<PriceSlot> imports = TariffedPrices.importPrices(cfg, spot, zone);
            pricing = "fusebox-tariff, " + cfg + " {" + TariffedPrices.describe(cfg) + "}, " + imports.size() + " import slots from " + slots.size() + " spot slots";
            slots = imports;
        }
        LocalDate first = a.containsKey("from") ? LocalDate.parse(a.get("from")) : slots.get(0).start().atZone(zone).toLocalDate();
        LocalDate last = a.containsKey("to") ? LocalDate.parse(a.get("to"))
                : slots.get(slots.size() - 1).end().atZone(zone).toLocalDate().minusDays(1);
        double[] caps = Arrays.stream(a.getOrDefault("caps", "150,250,400").split(",")).mapToDouble(Double::parseDouble).toArray();
        DepotQualityBenchmark b = new DepotQualityBenchmark(slots, tariff, pricing);
        b.run(a.get("prices"), first, last, Integer.parseInt(a.getOrDefault("step", "1")), caps,
                Path.of(a.getOrDefault("csv", "target/depot-quality-nights.csv")), Integer.parseInt(a.getOrDefault("lpCheck", "30")));
        if (Boolean.parseBoolean(a.getOrDefault("timing", "false"))) {
            b.timings(first, caps[0]);
        }
        int milp = Integer.parseInt(a.getOrDefault("milp", "0"));
        if (milp > 0) {
            b.milp(first, milp, Long.parseLong(a.getOrDefault("milpSeconds", "10")), caps[0]);
        }
    }

    /** The night from 17:00 to 06:00 local time, its prices with the tariff, and its EVs; null when prices are missing. */
    Night night(LocalDate date, double capKw) {
        Instant start = date.atTime(LocalTime.of(17, 0)).atZone(zone).toInstant();
        Instant end = date.plusDays(1).atTime(LocalTime.of(6, 0)).atZone(zone).toInstant();
        List<Slot> hourly = new ArrayList<>();
        for (PriceSlot p : prices) {
            if (!p.start().isBefore(start) && !p.end().isAfter(end)) {
                double price = tariff.apply(p.price().perMegawattHour().amount().movePointLeft(3), p.start()).doubleValue();
                hourly.add(new Slot(p.start(), p.length(), price, capKw));
            }
        }
        Instant at = start;
        for (Slot s : hourly) {
            if (!s.start().equals(at)) {
                return null; // a gap in the prices
            }
            at = s.end();
        }
        if (!at.equals(end)) {
            return null; // the file does not cover this night
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
    }

    /** Charging on arrival: every EV at full power from its arrival, earliest arrivals first under the cap. */
    static Outcome onArrival(Night n, double capKw) {
        List<Ev> evs = n.evs();
        Integer[] order = new Integer[evs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> evs.get(x).arrival().compareTo(evs.get(y).arrival()));
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

    /** How the planner learns of EVs to come. */
    enum Reserve {
        /** none: only the EVs plugged in */
        NONE,
        /** the night's later arrivals, exactly */
        EXACT,
        /** an {@link ArrivalProfile} learned from the nights before */
        LEARNED
    }

    /**
     * The planner as the module uses it: at every arrival, plan all EVs plugged in for their remaining energy
     * over the known prices (first slot from now to the next slot boundary), keeping room for the expected arrivals,
     * and follow that plan until the next arrival.
     */
    static Outcome planned(Night n, double capKw, Reserve reserve, ArrivalProfile profile, ArrivalSettings settings) {
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
            for (Slot price : n.hourly()) {
                for (Instant at = price.start(); at.isBefore(price.end()); at = at.plus(slotLength)) {
                    Instant end = at.plus(slotLength).isAfter(price.end()) ? price.end() : at.plus(slotLength);
                    if (end.isAfter(now)) {
                        Instant from = at.isBefore(now) ? now : at;
                        slots.add(new Slot(from, Duration.between(from, end), price.pricePerKwh(), capKw));
                    }
                }
            }
            List<EvDemand> demands = new ArrayList<>();
            List<Integer> index = new ArrayList<>();
            List<ExpectedArrival> expected = new ArrayList<>();
            for (int i = 0; i < evs.size(); i++) {
                Ev ev = evs.get(i);
                double need = ev.energyKwh() - got[i];
                if (!ev.arrival().isAfter(now) && need > 1e-9) {
                    demands.add(new EvDemand("ev" + i, need, ev.departure(), MAX_KW, MIN_KW));
                    index.add(i);
                } else if (reserve == Reserve.EXACT && ev.arrival().isAfter(now)) {
                    expected.add(new ExpectedArrival("ev" + i, ev.arrival(), ev.departure(), ev.energyKwh(), MAX_KW));
                }
            }
            if (reserve == Reserve.LEARNED) {
                expected.addAll(profile.expected(now, n.end(), settings, zone));
            }
            long t0 = System.nanoTime();
            ChargePlan plan = planner.plan(slots, demands, expected).plan();
            slots = plan.slots(); // cut at expected arrivals when there are some
            nanos += System.nanoTime() - t0;
            for (int k = 0; k < demands.size(); k++) {
                int i = index.get(k);
                for (int t = 0; t < slots.size(); t++) {
                    Slot s = slots.get(t);
                    Instant from = s.start();
                    Instant to = s.end().isBefore(until) ? s.end() : until;
                    if (!to.isAfter(from)) {
                        continue;
                    }
                    double e = plan.kw(k, t) * Duration.between(from, to).toNanos() / 3.6e12;
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
     * The offline optimum without the minimum power, every arrival known: a transportation problem over the
     * time cut at hours and arrivals, solved exactly as a min-cost flow. Returns the cost and the energy.
     */
    static double[] lowerBound(Night n, double capKw) {
        List<Instant> c = cuts(n);
        int m = c.size() - 1;
        List<Slot> slots = new ArrayList<>();
        for (int t = 0; t < m; t++) {
            slots.add(new Slot(c.get(t), Duration.between(c.get(t), c.get(t + 1)), priceAt(n.hourly(), c.get(t)), capKw));
        }
        double lowest = slots.stream().mapToDouble(Slot::pricePerKwh).min().orElse(0);
        int evs = n.evs().size();
        MinCostFlow flow = new MinCostFlow(2 + evs + m);
        int[][] arc = new int[evs][m];
        for (int i = 0; i < evs; i++) {
            Ev ev = n.evs().get(i);
            flow.addEdge(0, 2 + i, ev.energyKwh(), 0);
            for (int t = 0; t < m; t++) {
                arc[i][t] = slots.get(t).start().isBefore(ev.arrival()) ? -1
                        : flow.addEdge(2 + i, 2 + evs + t, MAX_KW * slots.get(t).hours(), slots.get(t).pricePerKwh() - lowest);
            }
        }
        for (int t = 0; t < m; t++) {
            flow.addEdge(2 + evs + t, 1, capKw * slots.get(t).hours(), 0);
        }
        double energy = flow.solve(0, 1);
        double cost = 0;
        for (int i = 0; i < evs; i++) {
            for (int t = 0; t < m; t++) {
                if (arc[i][t] >= 0) {
                    cost += flow.flow(arc[i][t]) * slots.get(t).pricePerKwh();
                }
            }
        }
        return new double[] { cost, energy };
    }

    private static List<Instant> cuts(Night n) {
        TreeSet<Instant> cuts = new TreeSet<>();
        n.hourly().forEach(s -> cuts.add(s.start()));
        cuts.add(n.end());
        n.evs().forEach(e -> cuts.add(e.arrival()));
        return new ArrayList<>(cuts);
    }

    /** The same optimum by ojAlgo (with {@code minPower}: the 6 A minimum as binaries), to check the flow and for the MILP. */
    static Optimisation.Result optimum(Night n, double capKw, boolean minPower, long timeLimitMillis, double[] costOut) {
        List<Instant> c = cuts(n);
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

    /** Totals of one method at one cap over the nights. */
    static final class Tally {
        final String name;
        double cost;
        double energy;
        double shortKwh;
        int shortEvs;
        int shortNights;
        /** EVs left short that charging on arrival served in full, and their kWh. */
        int shortWhereArrivalServed;
        double shortWhereArrivalServedKwh;
        double clamped;
        final List<Double> percentAboveLp = new ArrayList<>();
        final List<Double> eurPerKwhAboveLp = new ArrayList<>();
        final List<Long> nanos = new ArrayList<>();

        Tally(String name) {
            this.name = name;
        }

        void add(Night n, Outcome o, Outcome onArrival, double lpCost, double wanted) {
            cost += o.cost();
            double delivered = Arrays.stream(o.delivered()).sum();
            energy += delivered;
            clamped += o.clampedKwh();
            nanos.add(o.planNanos());
            boolean anyShort = false;
            for (int i = 0; i < n.evs().size(); i++) {
                double missing = n.evs().get(i).energyKwh() - o.delivered()[i];
                if (missing > 1e-6) {
                    anyShort = true;
                    shortKwh += missing;
                    shortEvs++;
                    if (n.evs().get(i).energyKwh() - onArrival.delivered()[i] <= 1e-6) {
                        shortWhereArrivalServed++;
                        shortWhereArrivalServedKwh += missing;
                    }
                }
            }
            if (anyShort) {
                shortNights++;
            }
            percentAboveLp.add(100 * (o.cost() - lpCost) / Math.abs(lpCost));
            eurPerKwhAboveLp.add((o.cost() - lpCost) / wanted);
        }
    }

    static double quantile(List<Double> values, double q) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v[Math.min(v.length - 1, Math.max(0, (int) Math.ceil(q * v.length) - 1))];
    }

    void run(String file, LocalDate first, LocalDate last, int step, double[] caps, Path csv, int lpCheck) throws IOException {
        System.out.printf(Locale.ROOT, "Prices: %s; nights %s to %s, every %d; depot: %d EVs, arrivals 17:00-21:00, departure 06:00 (%s), 10-50 kWh, %.2f..%.2f kW, seed %d%n",
                file, first, last, step, EVS, zone, MIN_KW, MAX_KW, SEED);
        System.out.println("Prices paid: " + pricing + "; planner slots " + slotLength.toMinutes() + " min");
        ArrivalSettings learning = new ArrivalSettings(true, 4, 8, 0.1, zone);
        if (csv.getParent() != null) {
            Files.createDirectories(csv.getParent());
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            out.println("night,cap_kw,method,cost,delivered_kwh,wanted_kwh,lp_cost,short_kwh,short_evs,short_where_arrival_served");
            for (double cap : caps) {
                long wall = System.nanoTime();
                Tally arrival = new Tally("charge on arrival");
                Tally none = new Tally("planner, no reserve");
                Tally exact = new Tally("planner, reserve with exact arrivals");
                Tally learned = new Tally("planner, reserve learned (4 weeks, 8 sessions, +10%)");
                List<Tally> all = List.of(arrival, none, exact, learned);
                ArrivalProfile profile = new ArrivalProfile(first);
                double wantedTotal = 0;
                double lpTotal = 0;
                double lpCheckWorst = 0;
                int nights = 0;
                int skipped = 0;
                int lpNegative = 0;
                int lpShortNights = 0;
                double lpShortKwh = 0;
                for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(step)) {
                    Night n = night(d, cap);
                    if (n == null) {
                        skipped++;
                        continue;
                    }
                    double wanted = n.evs().stream().mapToDouble(Ev::energyKwh).sum();
                    double[] lp = lowerBound(n, cap);
                    if (lp[1] < wanted - 1e-6) {
                        // No method can serve every EV this night, even knowing every arrival.
                        lpShortNights++;
                        lpShortKwh += wanted - lp[1];
                    }
                    if (lpCheck > 0 && nights % lpCheck == 0) {
                        double[] ref = new double[1];
                        Optimisation.Result r = optimum(n, cap, false, 0, ref);
                        if (r.getState().isFeasible()) {
                            lpCheckWorst = Math.max(lpCheckWorst, Math.abs(ref[0] - lp[0]));
                        }
                    }
                    Outcome a = onArrival(n, cap);
                    Outcome p0 = planned(n, cap, Reserve.NONE, null, null);
                    Outcome p1 = planned(n, cap, Reserve.EXACT, null, null);
                    Outcome p2 = planned(n, cap, Reserve.LEARNED, profile, learning);
                    Outcome[] outcomes = { a, p0, p1, p2 };
                    for (int k = 0; k < all.size(); k++) {
                        all.get(k).add(n, outcomes[k], a, lp[0], wanted);
                        double shortKwh = 0;
                        int shortEvs = 0;
                        int shortServed = 0;
                        for (int i = 0; i < EVS; i++) {
                            double missing = n.evs().get(i).energyKwh() - outcomes[k].delivered()[i];
                            if (missing > 1e-6) {
                                shortKwh += missing;
                                shortEvs++;
                                if (n.evs().get(i).energyKwh() - a.delivered()[i] <= 1e-6) {
                                    shortServed++;
                                }
                            }
                        }
                        out.printf(Locale.ROOT, "%s,%.0f,%s,%.4f,%.4f,%.4f,%.4f,%.4f,%d,%d%n", d, cap, METHODS[k],
                                outcomes[k].cost(), Arrays.stream(outcomes[k].delivered()).sum(), wanted, lp[0], shortKwh, shortEvs, shortServed);
                    }
                    // The sessions of tonight as the optimiser would have seen them end, for the nights after.
                    for (Ev ev : n.evs()) {
                        profile.add(ev.arrival(), ev.departure(), ev.energyKwh(), MAX_KW, zone);
                    }
                    profile.forgetBefore(d.minusWeeks(learning.weeks()));
                    nights++;
                    wantedTotal += wanted;
                    lpTotal += lp[0];
                    if (lp[0] < 0) {
                        lpNegative++;
                    }
                }
                System.out.println();
                System.out.printf(Locale.ROOT, "Cap %.0f kW: %d nights (%d without prices skipped), %.0f kWh wanted; LP bound %.2f (%.4f per kWh), %d nights with a negative LP cost; "
                        + "%d nights on which not every EV can be served at all (%.1f kWh short in the LP); flow LP vs ojAlgo: worst |diff| %.2e over the checked nights; %.0f s%n",
                        cap, nights, skipped, wantedTotal, lpTotal, lpTotal / wantedTotal, lpNegative, lpShortNights, lpShortKwh, lpCheckWorst,
                        (System.nanoTime() - wall) / 1e9);
                System.out.println("| method | cost | per kWh delivered | vs on arrival | above LP (total) | per night above LP p50 / p95 / max | EUR/kWh above LP p50 / p95 / max | kWh short | EVs short | nights short | short where on arrival served (EVs, kWh) | re-planning per night p50 / p95 ms |");
                System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
                for (Tally t : all) {
                    long[] ns = t.nanos.stream().mapToLong(Long::longValue).sorted().toArray();
                    System.out.printf(Locale.ROOT, "| %s | %.2f | %.4f | %+.2f%% | %+.2f%% | %+.2f%% / %+.2f%% / %+.2f%% | %+.5f / %+.5f / %+.5f | %.1f | %d | %d | %d, %.1f | %s |%n",
                            t.name, t.cost, t.cost / t.energy, 100 * (t.cost - arrival.cost) / Math.abs(arrival.cost),
                            100 * (t.cost - lpTotal) / Math.abs(lpTotal), quantile(t.percentAboveLp, 0.5), quantile(t.percentAboveLp, 0.95),
                            quantile(t.percentAboveLp, 1.0), quantile(t.eurPerKwhAboveLp, 0.5), quantile(t.eurPerKwhAboveLp, 0.95),
                            quantile(t.eurPerKwhAboveLp, 1.0), t.shortKwh, t.shortEvs, t.shortNights,
                            t.shortWhereArrivalServed, t.shortWhereArrivalServedKwh,
                            t == arrival ? "-" : String.format(Locale.ROOT, "%.1f / %.1f", ns[ns.length / 2] / 1e6, ns[Math.max(0, (int) Math.ceil(0.95 * ns.length) - 1)] / 1e6));
                }
                System.out.flush();
            }
        }
        System.out.println();
        System.out.println("Per night and method: " + csv.toAbsolutePath());
    }

    static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** Median and p95 of {@code runs} plans over {@code slots}, after warm-up. */
    static String timing(List<Slot> slots, List<EvDemand> evs, List<ExpectedArrival> expected, int runs) {
        DeadlinePlanner planner = new DeadlinePlanner();
        for (int k = 0; k < 200; k++) {
            planner.plan(slots, evs, expected);
        }
        long[] t = new long[runs];
        for (int k = 0; k < runs; k++) {
            long t0 = System.nanoTime();
            planner.plan(slots, evs, expected);
            t[k] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        return String.format(Locale.ROOT, "median %.2f ms, p95 %.2f ms, max %.2f ms (%d runs)", percentile(t, 0.5), percentile(t, 0.95),
                t[runs - 1] / 1e6, runs);
    }

    static List<Slot> split(Night n, Duration length, Instant horizonEnd, double capKw) {
        List<Slot> out = new ArrayList<>();
        for (Instant t = n.start(); t.isBefore(horizonEnd); t = t.plus(length)) {
            double price = t.isBefore(n.end()) ? priceAt(n.hourly(), t) : n.hourly().get(n.hourly().size() - 1).pricePerKwh();
            out.add(new Slot(t, length, price, capKw));
        }
        return out;
    }

    /** Single plans on the first night: 50 EVs plugged in, and 25 plugged in with 25 expected (quarter-hour slots). */
    void timings(LocalDate first, double capKw) {
        Night t = night(first, capKw);
        List<EvDemand> all = new ArrayList<>();
        for (int i = 0; i < EVS; i++) {
            all.add(new EvDemand("ev" + i, t.evs().get(i).energyKwh(), t.start().plus(Duration.ofHours(24)), MAX_KW, MIN_KW));
        }
        List<EvDemand> half = all.subList(0, EVS / 2);
        List<ExpectedArrival> coming = new ArrayList<>();
        for (int i = EVS / 2; i < EVS; i++) {
            coming.add(new ExpectedArrival("ev" + i, t.evs().get(i).arrival(), t.start().plus(Duration.ofHours(24)), t.evs().get(i).energyKwh(), MAX_KW));
        }
        List<Slot> quarters = split(t, Duration.ofMinutes(15), t.start().plus(Duration.ofHours(24)), capKw);
        System.out.println();
        System.out.println("Planning time, night of " + first + ", 96 quarter-hour slots, all usable:");
        System.out.println("  50 EVs plugged in, no reserve:             " + timing(quarters, all, List.of(), 500));
        System.out.println("  25 plugged in, 25 expected (reserve):      " + timing(quarters, half, coming, 500));
    }

    void milp(LocalDate first, int nights, long seconds, double capKw) {
        System.out.println();
        System.out.printf(Locale.ROOT, "MILP (with the 6 A minimum, arrivals known), %d s limit per night, cap %.0f kW:%n", seconds, capKw);
        for (int k = 0; k < Math.min(4, nights); k++) {
            Night n = night(first.plusDays(7L * k), capKw);
            if (n == null) {
                continue;
            }
            double[] milpCost = new double[1];
            double[] lp = lowerBound(n, capKw);
            long t0 = System.nanoTime();
            Optimisation.Result r;
            try {
                r = optimum(n, capKw, true, seconds * 1000, milpCost);
            } catch (OutOfMemoryError e) {
                System.out.printf(Locale.ROOT, "  %s: MILP ran out of memory after %.1f s%n", n.date(), (System.nanoTime() - t0) / 1e9);
                continue;
            }
            System.out.printf(Locale.ROOT, "  %s: state %s in %.1f s; MILP %.2f, LP %.2f, planner %.2f%n", n.date(), r.getState(),
                    (System.nanoTime() - t0) / 1e9, milpCost[0], lp[0], planned(n, capKw, Reserve.NONE, null, null).cost());
        }
    }
}
