package org.fusebox.core;

import org.fusebox.testing.TestSites;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Optimiser;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.control.Tier;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;

/**
 * "Never over the fuse, never below the minimum SoC", over many random sites and whatever the optimisers
 * ask, including optimisers that ask for nonsense or throw.
 */
class SafetyProperties {

    private static final double TOLERANCE = 1e-6;

    record Scenario(SiteSnapshot site, Setpoints asked, Duration horizon) {
    }

    @Property(tries = 2000)
    void plannedCurrentStaysUnderTheFuseUnlessNothingControllableIsLeft(@ForAll("scenarios") Scenario s) {
        SafetyGuard.Result r = new SafetyGuard().apply(s.site(), s.asked(), s.horizon());
        assertFuseRespected(s.site(), r.applied());
    }

    @Property(tries = 1000)
    void aReserveForUnseenLoadIsKeptFreeOnTopOfTheFuseBudget(@ForAll("scenarios") Scenario s,
            @ForAll @net.jqwik.api.constraints.DoubleRange(min = 0, max = 60) double l1,
            @ForAll @net.jqwik.api.constraints.DoubleRange(min = 0, max = 60) double l2,
            @ForAll @net.jqwik.api.constraints.DoubleRange(min = 0, max = 60) double l3) {
        PhaseCurrents reserve = PhaseCurrents.ofAmps(l1, l2, l3);
        SafetyGuard.Result r = new SafetyGuard().apply(s.site(), s.asked(), s.horizon(), reserve);

        PhaseCurrents planned = PhaseBudget.planned(s.site(), r.applied()).orElseThrow().plus(reserve);
        PhaseCurrents floor = PhaseBudget.planned(s.site(), nothingAdded(s.site())).orElseThrow().plus(reserve);
        double limit = s.site().limits().planningLimit().amps();
        for (Phase p : Phase.values()) {
            if (planned.on(p).amps() > limit + TOLERANCE) {
                assertThat(planned.on(p).amps()).as("phase %s with its reserve over the limit while controllable loads still draw", p)
                        .isLessThanOrEqualTo(floor.on(p).amps() + TOLERANCE);
            }
        }
    }

    @Property(tries = 2000)
    void batteriesStayWithinTheirSocBoundsOverTheHorizon(@ForAll("scenarios") Scenario s) {
        SafetyGuard.Result r = new SafetyGuard().apply(s.site(), s.asked(), s.horizon());
        double hours = s.horizon().toNanos() / 3.6e12;
        for (BatteryState b : s.site().batteries()) {
            double p = r.applied().batteryPower(b.id()).orElseThrow().watts();
            double soc = b.reading().soc().value();
            double after = soc + p * hours / b.ratings().capacity().wattHours() * 100;
            assertThat(p).isBetween(-b.ratings().maxDischargePower().watts() - TOLERANCE, b.ratings().maxChargePower().watts() + TOLERANCE);
            if (p < 0) {
                assertThat(after).isGreaterThanOrEqualTo(s.site().limits().batteryMinSoc().value() - 1e-9);
            }
            if (p > 0) {
                assertThat(after).isLessThanOrEqualTo(s.site().limits().batteryMaxSoc().value() + 1e-9);
            }
        }
    }

    @Property(tries = 2000)
    void everyConnectorIsPausedOrWithinItsRatings(@ForAll("scenarios") Scenario s) {
        SafetyGuard.Result r = new SafetyGuard().apply(s.site(), s.asked(), s.horizon());
        for (ChargerState c : s.site().chargers()) {
            for (ConnectorInfo info : c.connectors()) {
                double a = r.applied().chargerLimit(new ConnectorRef(c.id(), info.connectorId())).orElseThrow().amps();
                assertThat(a == 0 || (a >= info.minCurrent().amps() && a <= info.maxCurrent().amps())).as("%s A", a).isTrue();
            }
        }
    }

    @Property(tries = 1000)
    void theGuardOnlyCutsAndAgreesWithItself(@ForAll("scenarios") Scenario s) {
        SafetyGuard guard = new SafetyGuard();
        Setpoints once = guard.apply(s.site(), s.asked(), s.horizon()).applied();
        Setpoints twice = guard.apply(s.site(), once, s.horizon()).applied();
        assertThat(twice).isEqualTo(once);
        for (var c : once.chargers()) {
            double asked = s.asked().chargerLimit(c.connector()).orElse(Current.ZERO).amps();
            assertThat(c.limit().amps()).isLessThanOrEqualTo(asked + TOLERANCE);
        }
    }

    @Property(tries = 500)
    void aHostileOptimiserCannotBreakTheLimits(@ForAll("scenarios") Scenario s, @ForAll boolean throwsToo) {
        Optimiser hostile = new Optimiser() {
            @Override
            public String name() {
                return "hostile";
            }

            @Override
            public Tier tier() {
                return Tier.PHYSICAL;
            }

            @Override
            public Setpoints optimise(SiteSnapshot site, Setpoints proposal) {
                return s.asked();
            }
        };
        Optimiser crashing = new Optimiser() {
            @Override
            public String name() {
                return "crashing";
            }

            @Override
            public Tier tier() {
                return Tier.ECONOMIC;
            }

            @Override
            public Setpoints optimise(SiteSnapshot site, Setpoints proposal) {
                throw new IllegalStateException("boom");
            }
        };
        List<Optimiser> chain = throwsToo ? List.of(crashing, hostile) : List.of(hostile);
        ControlCycle.Decision d = new ControlCycle().decide(s.site(), chain, s.horizon());
        assertFuseRespected(s.site(), d.applied());
        assertThat(d.failures()).hasSize(throwsToo ? 1 : 0);
    }

    private static void assertFuseRespected(SiteSnapshot site, Setpoints applied) {
        PhaseCurrents planned = PhaseBudget.planned(site, applied).orElseThrow();
        PhaseCurrents floor = PhaseBudget.planned(site, nothingAdded(site)).orElseThrow();
        double limit = site.limits().planningLimit().amps();
        for (Phase p : Phase.values()) {
            double amps = planned.on(p).amps();
            if (amps > limit + TOLERANCE) {
                // Over only if the uncontrolled load alone is: then nothing controllable may add to it.
                assertThat(amps).as("phase %s planned %s A over %s A while controllable loads still draw", p, amps, limit)
                        .isLessThanOrEqualTo(floor.on(p).amps() + TOLERANCE);
            }
        }
    }

    /** Every connector paused and every battery kept from charging (discharge left as asked). */
    static Setpoints nothingAdded(SiteSnapshot site) {
        Setpoints s = Setpoints.empty();
        for (ChargerState c : site.chargers()) {
            for (ConnectorInfo i : c.connectors()) {
                s = s.withChargerLimit(new ConnectorRef(c.id(), i.connectorId()), Current.ZERO);
            }
        }
        for (BatteryState b : site.batteries()) {
            s = s.withBatteryPower(b.id(), Power.ZERO);
        }
        return s;
    }

    // ---- generators ---------------------------------------------------------------------------------

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Double> fuse = Arbitraries.doubles().between(16, 250);
        Arbitrary<Double> marginShare = Arbitraries.doubles().between(0, 0.2);
        Arbitrary<List<Tuple.Tuple4<Integer, Double, Integer, Double>>> chargers = Combinators.combine(
                Arbitraries.integers().between(0, 3), // 0: three-phase, 1..3: single phase on L1..L3
                Arbitraries.doubles().between(6, 32),
                Arbitraries.integers().between(0, ConnectorState.values().length - 1),
                Arbitraries.doubles().between(0, 1)).as(Tuple::of).list().ofMaxSize(12);
        Arbitrary<List<Tuple.Tuple2<Double, Double>>> batteries = Combinators.combine(
                Arbitraries.doubles().between(0, 100), Arbitraries.doubles().between(-10_000, 10_000)).as(Tuple::of).list().ofMaxSize(2);
        Arbitrary<List<Double>> uncontrolled = Arbitraries.doubles().between(-60, 260).list().ofSize(3);
        Arbitrary<List<Double>> askedCurrents = Arbitraries.doubles().between(0, 100).list().ofSize(12);
        Arbitrary<List<Double>> askedPower = Arbitraries.doubles().between(-50_000, 50_000).list().ofSize(2);
        Arbitrary<Integer> horizonMillis = Arbitraries.integers().between(100, 120_000);
        return Combinators.combine(fuse, marginShare, chargers, batteries, uncontrolled, askedCurrents, askedPower, horizonMillis)
                .as((f, m, cs, bs, u, ac, ap, h) -> {
                    TestSites sites = new TestSites();
                    sites.limits(TestSites.limits(f, f * m));
                    sites.uncontrolled(u.get(0), u.get(1), u.get(2));
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < cs.size(); i++) {
                        var c = cs.get(i);
                        List<Phase> phases = c.get1() == 0 ? TestSites.THREE : List.of(Phase.values()[c.get1() - 1]);
                        ConnectorState st = ConnectorState.values()[c.get3()];
                        double drawing = st == ConnectorState.CHARGING ? c.get4() * c.get2() : 0;
                        sites.charger("c" + i, phases, c.get2(), st, drawing);
                        ids.add("c" + i);
                    }
                    for (int i = 0; i < bs.size(); i++) {
                        sites.battery("b" + i, bs.get(i).get1(), bs.get(i).get2());
                    }
                    Setpoints asked = Setpoints.empty();
                    for (int i = 0; i < ids.size(); i++) {
                        asked = asked.withChargerLimit(new ConnectorRef(ids.get(i), 1), Current.ofAmps(ac.get(i)));
                    }
                    for (int i = 0; i < bs.size(); i++) {
                        asked = asked.withBatteryPower("b" + i, Power.ofWatts(ap.get(i)));
                    }
                    return new Scenario(sites.build(), asked, Duration.ofMillis(h));
                });
    }
}
