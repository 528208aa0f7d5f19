package org.fusebox.optimiser.battery;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.Money;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.PowerSlot;

/**
 * Plans every battery and keeps the plan while its inputs hold: the same slots and prices, net loads
 * within {@code replanPowerWatts} of what it used, each SoC within {@code replanSocPercent} of where the
 * plan expected it now. Not thread-safe: the control loop calls it from one thread.
 */
final class BatteryPlanning {

    static final String NAME = "battery";

    record Result(Setpoints setpoints, Plan plan, boolean replanned) {
    }

    /** What a plan was made from and what it decided. */
    private record Cached(BatterySettings settings, SitePlanning.SiteProblem problem, Map<String, Schedule> schedules,
            Map<String, Double> capacities, Map<String, Double> firstKw, Plan plan) {
    }

    private final SocPlanner planner = new SocPlanner();
    private Cached cached;

    Result optimise(SiteSnapshot site, Setpoints proposal, BatterySettings settings) {
        List<String> notes = new ArrayList<>();
        Optional<SitePlanning.SiteProblem> problem = SitePlanning.site(site, settings, notes);
        if (problem.isEmpty()) {
            cached = null;
            return new Result(proposal, new Plan(NAME, site.timestamp(), List.of(), null, notes), false);
        }
        SitePlanning.SiteProblem p = problem.get();
        Map<BatteryState, String> batteries = SitePlanning.batteries(site, settings);
        boolean replan = cached == null || !stillValid(cached, p, site, settings, batteries);
        if (replan) {
            cached = plan(site, p, settings, batteries);
        }
        Setpoints.Builder out = Setpoints.builder();
        cached.firstKw().forEach((id, kw) -> out.batteryPower(id, Power.ofWatts(round(kw * 1000))));
        return new Result(proposal.overriddenBy(out.build()), cached.plan(), replan);
    }

    /** Setpoints to 1 W: finer is noise, and a plan that idles should say exactly 0. */
    private static double round(double watts) {
        return Math.rint(watts) == 0 ? 0 : Math.rint(watts);
    }

    private boolean stillValid(Cached c, SitePlanning.SiteProblem p, SiteSnapshot site, BatterySettings settings,
            Map<BatteryState, String> batteries) {
        if (c.settings() != settings) {
            return false;
        }
        List<SitePlanning.Frame> old = c.problem().frames();
        List<SitePlanning.Frame> now = p.frames();
        if (old.size() != now.size() || !old.get(0).end().equals(now.get(0).end())) {
            return false; // a new slot started, or the horizon changed
        }
        double tolKw = settings.replanPowerWatts() / 1000;
        for (int t = 0; t < now.size(); t++) {
            SitePlanning.Frame a = old.get(t);
            SitePlanning.Frame b = now.get(t);
            if (a.importPrice() != b.importPrice() || a.exportPrice() != b.exportPrice() || (t > 0 && !a.start().equals(b.start()))
                    || Math.abs(c.problem().netKw()[t] - p.netKw()[t]) > tolKw) {
                return false;
            }
        }
        List<String> planned = batteries.entrySet().stream().filter(e -> e.getValue() == null).map(e -> e.getKey().id()).toList();
        if (!planned.equals(List.copyOf(c.schedules().keySet()))) {
            return false;
        }
        for (BatteryState b : batteries.keySet()) {
            Schedule s = c.schedules().get(b.id());
            if (s == null) {
                continue;
            }
            // Where the plan expected the SoC now, part way through its first slot.
            Slot first = s.slots().get(0);
            double done = (double) Duration.between(first.start(), site.timestamp()).toMillis() / first.length().toMillis();
            double expected = s.storedKwh()[0] + done * (s.storedKwh()[1] - s.storedKwh()[0]);
            double measured = b.reading().soc().fraction() * c.capacities().get(b.id());
            if (Math.abs(measured - expected) > settings.replanSocPercent() / 100 * c.capacities().get(b.id())) {
                return false;
            }
        }
        return true;
    }

    private Cached plan(SiteSnapshot site, SitePlanning.SiteProblem p, BatterySettings settings, Map<BatteryState, String> batteries) {
        List<String> notes = new ArrayList<>(p.notes());
        int n = p.frames().size();
        double[] net = p.netKw().clone();
        double[][] base = new double[n][];
        for (int t = 0; t < n; t++) {
            base[t] = p.baseAmps()[t].clone();
        }
        double idleSite = 0;
        for (int t = 0; t < n; t++) {
            SitePlanning.Frame f = p.frames().get(t);
            idleSite += new Slot(f.start(), f.length(), f.importPrice(), f.exportPrice(), net[t], 0, 0).gridCost(0);
        }
        Map<String, Schedule> schedules = new LinkedHashMap<>();
        Map<String, Double> capacities = new LinkedHashMap<>();
        Map<String, Double> firstKw = new LinkedHashMap<>();
        List<PlanLine> lines = new ArrayList<>();
        double wear = 0;
        double volts = site.limits().nominalVoltage().volts();
        for (Map.Entry<BatteryState, String> e : batteries.entrySet()) {
            BatteryState b = e.getKey();
            if (e.getValue() != null) {
                notes.add(b.id() + ": " + e.getValue() + ", not planned");
                continue;
            }
            double minPct = Math.max(settings.minSocPercent(), site.limits().batteryMinSoc().value());
            double maxPct = Math.min(settings.maxSocPercent(), site.limits().batteryMaxSoc().value());
            if (!(minPct < maxPct)) {
                notes.add(b.id() + ": minimum SoC " + minPct + " % is not below maximum " + maxPct + " %, not planned");
                continue;
            }
            BatteryModel model = SitePlanning.model(b, site, settings, p.frames());
            List<Slot> slots = SitePlanning.slots(p, net, base, b, site, settings);
            double stored = b.reading().soc().fraction() * model.capacityKwh();
            Schedule schedule = planner.plan(slots, model, stored);
            schedules.put(b.id(), schedule);
            capacities.put(b.id(), model.capacityKwh());
            firstKw.put(b.id(), schedule.firstKw());
            wear += schedule.degradation();
            lines.add(line(b, schedule, model, p.currency()));
            // Later batteries see this one's plan as load, on the fuse as well.
            for (int t = 0; t < n; t++) {
                net[t] += schedule.powerKw()[t];
                double amps = schedule.powerKw()[t] * 1000 / (volts * b.ratings().phases());
                base[t][0] += amps;
                if (b.ratings().phases() == 3) {
                    base[t][1] += amps;
                    base[t][2] += amps;
                }
            }
        }
        double total = wear;
        for (int t = 0; t < n; t++) {
            SitePlanning.Frame f = p.frames().get(t);
            total += new Slot(f.start(), f.length(), f.importPrice(), f.exportPrice(), net[t], 0, 0).gridCost(0);
        }
        if (!schedules.isEmpty()) {
            notes.add(String.format(Locale.ROOT, "horizon %s: site cost %.2f %s with the plan, %.2f without batteries",
                    Duration.between(p.frames().get(0).start(), p.frames().get(n - 1).end()), total, p.currency().getCurrencyCode(),
                    idleSite));
        }
        Plan plan = new Plan(NAME, site.timestamp(), lines, money(total, p.currency()), notes);
        return new Cached(settings, p, schedules, capacities, firstKw, plan);
    }

    private static PlanLine line(BatteryState b, Schedule s, BatteryModel m, Currency currency) {
        List<PowerSlot> power = new ArrayList<>();
        double netKwh = 0;
        for (int t = 0; t < s.slots().size(); t++) {
            Slot slot = s.slots().get(t);
            power.add(new PowerSlot(slot.start(), slot.length(), Power.ofWatts(s.powerKw()[t] * 1000)));
            netKwh += s.powerKw()[t] * slot.hours();
        }
        double added = s.gridCost() + s.degradation() - Schedule.idleCost(s.slots());
        int last = s.slots().size();
        String note = String.format(Locale.ROOT, "SoC %.1f %% -> %.1f %% (band %.1f..%.1f %%); %s %.2f %s against idle, degradation %.2f included",
                100 * s.storedKwh()[0] / m.capacityKwh(), 100 * s.storedKwh()[last] / m.capacityKwh(), 100 * m.minKwh() / m.capacityKwh(),
                100 * m.maxKwh() / m.capacityKwh(), added <= 0 ? "saves" : "costs", Math.abs(added), currency.getCurrencyCode(), s.degradation());
        return new PlanLine(b.id(), null, power, Energy.ofKilowattHours(netKwh), null, null, money(added, currency), true, note);
    }

    static Money money(double amount, Currency currency) {
        return new Money(BigDecimal.valueOf(amount).setScale(4, RoundingMode.HALF_EVEN), currency);
    }

    /** For tests and the benchmark: the schedules behind the current plan. */
    Map<String, Schedule> schedules() {
        return cached == null ? Map.of() : cached.schedules();
    }
}
