package org.fusebox.optimiser.evdeadline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Plan;
import org.fusebox.api.control.PlanLine;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.BatteryRatings;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.EvSession;
import org.fusebox.api.forecast.ForecastKind;
import org.fusebox.api.forecast.PowerForecast;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Energy;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.api.units.PowerSlot;
import org.fusebox.api.units.Voltage;
import org.fusebox.testing.TestSites;

/**
 * Over random sites with load and PV forecasts (gaps, any resolution, surpluses) and battery plans
 * (charging, discharging, stale, single-phase): each slot's cap is the rule evaluated minute by minute, the
 * plan stays under it, nothing is planned after a departure, every feasible deadline is met, and the cost is
 * within 1 % of the LP for those caps.
 */
class SitePlanningProperties {

    private static final double EPS = 1e-6;
    private static final Instant T0 = TestSites.T0;

    record Case(SiteSnapshot site, List<Plan> plans, EvDeadlineSettings settings) {
        @Override
        public String toString() {
            return "now=" + site.timestamp() + " limits=" + site.limits() + " grid=" + site.grid().reading().currents()
                    + "\nforecasts=" + site.forecasts() + "\nplans=" + plans + "\nslot=" + settings.slotLength();
        }
    }

    private final SitePlanning planning = new SitePlanning();
    private final DeadlinePlanner planner = new DeadlinePlanner();

    @Property(tries = 400)
    void eachSlotsCapIsTheRuleAtItsWorstMinute(@ForAll("sites") Case c) {
        SitePlanning.Problem p = problem(c, c.plans());
        for (int t = 0; t < p.slots().size(); t++) {
            Slot s = p.slots().get(t);
            assertThat(s.capKw()).as("slot %d at %s", t, s.start()).isGreaterThanOrEqualTo(0)
                    .isCloseTo(referenceCapKw(c, s.start(), s.end(), t == 0), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(p.rooms().get(t).capKw()).isEqualTo(s.capKw());
        }
    }

    @Property(tries = 300)
    void aBatteryPlanNeverAddsRoomAndOnlyFreshChargingTakesAny(@ForAll("sites") Case c) {
        List<Slot> with = problem(c, c.plans()).slots();
        List<Slot> without = problem(c, List.of()).slots();
        List<Plan> dischargingOnly = c.plans().stream().map(SitePlanningProperties::withoutCharging).toList();
        List<Slot> discharging = problem(c, dischargingOnly).slots();
        for (int t = 0; t < with.size(); t++) {
            assertThat(with.get(t).capKw()).as("slot %d", t).isLessThanOrEqualTo(without.get(t).capKw() + EPS);
            assertThat(discharging.get(t).capKw()).as("slot %d", t).isCloseTo(without.get(t).capKw(), org.assertj.core.data.Offset.offset(EPS));
        }
    }

    @Property(tries = 300)
    void thePlanAndTheSetpointsStayUnderEachSlotsCapAndEndAtDeparture(@ForAll("sites") Case c) {
        SitePlanning.Problem p = problem(c, c.plans());
        ChargePlan plan = planner.plan(p.slots(), p.evs());
        for (int t = 0; t < p.slots().size(); t++) {
            assertThat(plan.totalKw(t)).as("slot %d", t).isLessThanOrEqualTo(p.slots().get(t).capKw() + EPS);
            for (int i = 0; i < p.evs().size(); i++) {
                if (p.slots().get(t).end().isAfter(p.evs().get(i).departure())) {
                    assertThat(plan.kw(i, t)).as("ev %d slot %d", i, t).isZero();
                }
            }
        }
        Setpoints out = planning.plan(c.site(), Setpoints.empty(), c.settings(), ZoneOffset.UTC, c.plans()).setpoints();
        double sentKw = 0;
        for (int i = 0; i < p.evs().size(); i++) {
            ConnectorRef ref = p.connectors().get(i);
            sentKw += out.chargerLimit(ref).orElseThrow().amps() * 230 * p.phases().get(i) / 1000;
        }
        assertThat(sentKw).isLessThanOrEqualTo(p.slots().get(0).capKw() + EPS);
    }

    @Property(tries = 200)
    void everyFeasibleDeadlineIsMetAtWithinOnePercentOfTheLpCost(@ForAll("sites") Case c) {
        SitePlanning.Problem p = problem(c, c.plans());
        // The LP knows no minimum power; compare the relaxed problem.
        List<EvDemand> relaxed = p.evs().stream()
                .map(e -> new EvDemand(e.id(), e.energyKwh(), e.departure(), e.maxKw(), 0)).toList();
        ChargePlan plan = planner.plan(p.slots(), relaxed);
        LpReference.Optimum lp = LpReference.solve(p.slots(), relaxed, false);
        double need = relaxed.stream().mapToDouble(EvDemand::energyKwh).sum();
        double delivered = 0;
        for (int i = 0; i < relaxed.size(); i++) {
            delivered += plan.deliveredKwh(i);
        }
        assertThat(delivered).isCloseTo(lp.deliveredKwh(), org.assertj.core.data.Offset.offset(1e-4));
        if (lp.deliveredKwh() >= need - 1e-5) {
            assertThat(plan.shortfalls()).isEmpty();
        }
        assertThat(plan.cost()).isLessThanOrEqualTo(lp.cost() + 0.01 * Math.abs(lp.cost()) + 1e-4);
    }

    private SitePlanning.Problem problem(Case c, List<Plan> plans) {
        return planning.problem(c.site(), Setpoints.empty(), c.settings(), plans).orElseThrow();
    }

    private static Plan withoutCharging(Plan plan) {
        List<PlanLine> lines = plan.lines().stream().map(l -> new PlanLine(l.deviceId(), l.connectorId(),
                l.power().stream().map(s -> new PowerSlot(s.start(), s.length(), s.power().min(Power.ZERO))).toList(),
                l.planned(), l.wanted(), l.deadline(), l.expectedCost(), l.targetMet(), l.note())).toList();
        return new Plan(plan.optimiser(), plan.computedAt(), lines, plan.expectedCost(), plan.notes());
    }

    /**
     * The rule written out plainly, minute by minute (every boundary in these cases falls on a minute):
     * per phase, the measured uncontrolled current now, or later where the load is forecast the load less
     * the PV spread evenly; plus the fresh battery charging of other optimisers' plans (each battery once,
     * its largest); later slots not below zero per phase; the planning limit less the fullest phase, at
     * the slot's worst minute, times the phases, never negative.
     */
    private static double referenceCapKw(Case c, Instant start, Instant end, boolean first) {
        SiteSnapshot site = c.site();
        List<Phase> phases = site.limits().phases() == 1 ? List.of(Phase.L1) : List.of(Phase.values());
        double volts = site.limits().nominalVoltage().volts();
        PhaseCurrents measured = PhaseBudget.uncontrolled(site).orElseThrow();
        PowerForecast load = site.forecast(ForecastKind.SITE_LOAD);
        PowerForecast pv = site.forecast(ForecastKind.PV_PRODUCTION);
        double worst = Double.MAX_VALUE;
        for (Instant m = start; m.isBefore(end); m = m.plusSeconds(60)) {
            Instant at = m;
            Map<String, Double> charging = new LinkedHashMap<>();
            for (Plan plan : c.plans()) {
                if (plan.optimiser().equals(SitePlanning.NAME)
                        || plan.computedAt().isBefore(site.timestamp().minus(c.settings().slotLength()))) {
                    continue;
                }
                for (PlanLine l : plan.lines()) {
                    if (l.connectorId() == null) {
                        l.power().stream().filter(s -> s.contains(at) && s.power().watts() > 0)
                                .forEach(s -> charging.merge(l.deviceId(), s.power().watts(), Math::max));
                    }
                }
            }
            double fullest = -Double.MAX_VALUE;
            for (Phase p : phases) {
                double amps = measured.on(p).amps();
                if (!first && load.at(at).isPresent()) {
                    double net = Math.max(0, load.at(at).get().power().watts())
                            - pv.at(at).map(s -> Math.max(0, s.power().watts())).orElse(0.0);
                    amps = net / (volts * phases.size());
                }
                for (Map.Entry<String, Double> e : charging.entrySet()) {
                    Power power = Power.ofWatts(e.getValue());
                    amps += site.battery(e.getKey())
                            .map(b -> PhaseBudget.batteryDraw(b.ratings(), power, site.limits().nominalVoltage()).on(p).amps())
                            .orElse(e.getValue() / (volts * phases.size()));
                }
                fullest = Math.max(fullest, first ? amps : Math.max(0, amps));
            }
            worst = Math.min(worst, site.limits().planningLimit().amps() - fullest);
        }
        return Math.max(0, worst) * volts * phases.size() / 1000;
    }

    @Provide
    Arbitrary<Case> sites() {
        return Arbitraries.longs().map(seed -> randomCase(new Random(seed)));
    }

    static Case randomCase(Random rnd) {
        int slotMinutes = List.of(15, 30, 60).get(rnd.nextInt(3));
        EvDeadlineSettings settings = new EvDeadlineSettings(Duration.ofMinutes(slotMinutes), Duration.ofHours(3), 20);
        Instant now = T0.plus(Duration.ofMinutes(rnd.nextInt(60)));
        int sitePhases = rnd.nextInt(5) == 0 ? 1 : 3;
        double fuse = 16 + rnd.nextInt(85);
        SiteLimits limits = new SiteLimits(Current.ofAmps(fuse), Current.ofAmps(rnd.nextInt(4)), sitePhases, Voltage.NOMINAL_230,
                Percent.of(20), Percent.of(100), Duration.ofSeconds(1));
        TestSites t = new TestSites().limits(limits).uncontrolled(amps(rnd, fuse), amps(rnd, fuse), amps(rnd, fuse));
        int evs = 1 + rnd.nextInt(4);
        for (int i = 0; i < evs; i++) {
            List<Phase> phases = sitePhases == 1 || rnd.nextBoolean() ? List.of(Phase.L1) : TestSites.THREE;
            double max = 6 + rnd.nextInt(27);
            Instant departure = now.plus(Duration.ofMinutes(10 + rnd.nextInt(6 * 60)));
            EvSession session = new EvSession("s" + i, null, T0.minus(Duration.ofHours(1)), Energy.ZERO,
                    Energy.ofKilowattHours(Math.round(rnd.nextDouble() * 60 * 10) / 10.0), departure, null, null);
            t.charger("c" + i, phases, max, ConnectorState.CHARGING, 0, max, session);
        }
        SiteSnapshot base = t.build();
        SiteSnapshot.Builder b = SiteSnapshot.builder(limits).timestamp(now).grid(base.grid()).prices(prices(rnd, 1 + rnd.nextInt(6)));
        base.chargers().forEach(b::charger);
        if (rnd.nextInt(4) > 0) {
            b.forecast(new PowerForecast(ForecastKind.SITE_LOAD, "load", series(rnd, 0, 40)));
        }
        if (rnd.nextBoolean()) {
            b.forecast(new PowerForecast(ForecastKind.PV_PRODUCTION, "pv", series(rnd, 0, 30)));
        }
        List<Plan> plans = new ArrayList<>();
        int batteries = rnd.nextInt(3);
        for (int k = 0; k < batteries; k++) {
            String id = "bat" + k;
            if (rnd.nextInt(3) > 0) {
                BatteryRatings ratings = new BatteryRatings(Energy.ofKilowattHours(20), Power.ofKilowatts(15), Power.ofKilowatts(15),
                        Percent.of(90), rnd.nextBoolean() ? 1 : 3);
                b.battery(new BatteryState(id, id, DeviceStatus.online(T0), ratings,
                        new BatteryReading(T0, Power.ZERO, Percent.of(50), Power.ZERO)));
            }
            Instant computedAt = now.minus(Duration.ofMinutes(rnd.nextInt(slotMinutes + 20)));
            plans.add(new Plan(rnd.nextInt(8) == 0 ? SitePlanning.NAME : "battery", computedAt, List.of(new PlanLine(id, null,
                    series(rnd, -15, 15), Energy.ZERO, null, null, null, true, "")), null, List.of()));
        }
        return new Case(b.build(), plans, settings);
    }

    /** An uncontrolled current from a PV surplus to above the fuse. */
    private static double amps(Random rnd, double fuse) {
        return Math.round((rnd.nextDouble() * (fuse + 30) - 20) * 10) / 10.0;
    }

    private static PriceCurve prices(Random rnd, int hours) {
        List<PriceSlot> slots = new ArrayList<>();
        for (int h = 0; h < hours + 1; h++) {
            String perMwh = Integer.toString(rnd.nextInt(10) == 0 ? -rnd.nextInt(50) : rnd.nextInt(400));
            slots.add(new PriceSlot(T0.plus(Duration.ofHours(h)), Duration.ofHours(1), EnergyPrice.perMegawattHour(perMwh, "EUR")));
        }
        return new PriceCurve(slots);
    }

    /** Power slots of 5, 15 or 60 minutes from before T0 to past the prices, a fifth of them left out. */
    private static List<PowerSlot> series(Random rnd, double lowKw, double highKw) {
        int minutes = List.of(5, 15, 60).get(rnd.nextInt(3));
        List<PowerSlot> out = new ArrayList<>();
        for (Instant s = T0.minus(Duration.ofHours(1)); s.isBefore(T0.plus(Duration.ofHours(9))); s = s.plus(Duration.ofMinutes(minutes))) {
            if (rnd.nextInt(5) > 0) {
                double kw = Math.round((lowKw + rnd.nextDouble() * (highKw - lowKw)) * 100) / 100.0;
                out.add(new PowerSlot(s, Duration.ofMinutes(minutes), Power.ofKilowatts(kw)));
            }
        }
        return out;
    }
}
