package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorInfo;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.site.BatteryState;
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.GridLimits;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.PvState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.testing.TestSites;

/**
 * With import and export limits from the grid side, over random sites with PV, batteries and EVs and whatever
 * the optimisers ask: the import stays within the lower of the fuse and the grid's import limit unless nothing
 * controllable is left, and the export within the grid's export limit unless nothing controllable can lower it
 * without breaking the import limit.
 */
class GridLimitProperties {

    private static final double TOLERANCE = 1e-6;

    record Scenario(SiteSnapshot site, Setpoints asked, Duration horizon, PhaseCurrents reserve) {
    }

    @Property(tries = 2000)
    void theImportStaysWithinTheGridLimitUnlessNothingControllableIsLeft(@ForAll("scenarios") Scenario s) {
        Setpoints applied = new SafetyGuard().apply(s.site(), s.asked(), s.horizon(), s.reserve()).applied();
        PhaseCurrents planned = importPlanned(s.site(), applied).plus(s.reserve());
        PhaseCurrents floor = PhaseBudget.planned(s.site(), SafetyProperties.nothingAdded(s.site())).orElseThrow().plus(s.reserve());
        double limit = s.site().limits().planningLimit().amps();
        for (Phase p : Phase.values()) {
            if (planned.on(p).amps() > limit + TOLERANCE) {
                assertThat(planned.on(p).amps()).as("phase %s over the import limit %s A while controllable loads still draw", p, limit)
                        .isLessThanOrEqualTo(floor.on(p).amps() + TOLERANCE);
            }
        }
    }

    @Property(tries = 2000)
    void theExportStaysWithinTheGridLimitUnlessOnlyTheImportLimitStopsIt(@ForAll("scenarios") Scenario s) {
        Optional<Current> exportLimit = s.site().limits().exportPlanningLimit();
        Setpoints applied = new SafetyGuard().apply(s.site(), s.asked(), s.horizon(), s.reserve()).applied();
        if (exportLimit.isEmpty()) {
            return;
        }
        PhaseCurrents out = SafetyGuard.exportPlanned(s.site(), applied);
        PhaseCurrents in = importPlanned(s.site(), applied).plus(s.reserve());
        double importLimit = s.site().limits().planningLimit().amps();
        double importRoom = Double.POSITIVE_INFINITY;
        for (Phase p : Phase.values()) {
            importRoom = Math.min(importRoom, importLimit - in.on(p).amps());
        }
        for (Phase p : Phase.values()) {
            if (out.on(p).amps() >= -exportLimit.get().amps() - TOLERANCE) {
                continue;
            }
            boolean pvAllCapped = s.site().pv().stream().allMatch(pv -> applied.pvLimit(pv.id()).map(c -> c.watts() <= TOLERANCE).orElse(false)
                    || pv.reading().power().watts() <= TOLERANCE);
            boolean batteriesIdle = s.site().batteries().stream().allMatch(b -> applied.batteryPower(b.id()).orElseThrow().watts() >= -TOLERANCE);
            assertThat(importRoom <= 1e-3 || (pvAllCapped && batteriesIdle))
                    .as("phase %s exports %.3f A over the limit %.3f A with import room %.3f A left, PV all capped %s, batteries idle %s",
                            p, -out.on(p).amps(), exportLimit.get().amps(), importRoom, pvAllCapped, batteriesIdle)
                    .isTrue();
        }
    }

    @Property(tries = 1000)
    void theGuardAgreesWithItselfUnderGridLimits(@ForAll("scenarios") Scenario s) {
        SafetyGuard guard = new SafetyGuard();
        Setpoints once = guard.apply(s.site(), s.asked(), s.horizon(), s.reserve()).applied();
        Setpoints twice = guard.apply(s.site(), once, s.horizon(), s.reserve()).applied();
        for (var c : once.chargers()) {
            assertThat(twice.chargerLimit(c.connector()).orElseThrow().amps()).isEqualTo(c.limit().amps());
            assertThat(c.limit().amps()).isLessThanOrEqualTo(s.asked().chargerLimit(c.connector()).orElse(Current.ZERO).amps() + TOLERANCE);
        }
        for (BatteryState b : s.site().batteries()) {
            double first = once.batteryPower(b.id()).orElseThrow().watts();
            assertThat(twice.batteryPower(b.id()).orElseThrow().watts()).isCloseTo(first, org.assertj.core.api.Assertions.within(1e-3));
            // discharge and charging are only ever lessened
            double asked = s.asked().batteryPower(b.id()).orElseThrow().watts();
            assertThat(Math.abs(first)).isLessThanOrEqualTo(Math.abs(asked) + TOLERANCE);
        }
    }

    /** The import budget as the guard counts it: PhaseBudget's rule plus what a PV cap below the output takes away. */
    private static PhaseCurrents importPlanned(SiteSnapshot site, Setpoints applied) {
        PhaseCurrents planned = PhaseBudget.planned(site, applied).orElseThrow();
        for (PvState pv : site.pv()) {
            Optional<Power> cap = applied.pvLimit(pv.id());
            if (cap.isPresent() && cap.get().compareTo(pv.reading().power()) < 0) {
                planned = planned.plus(PhaseCurrents.uniform(pv.reading().power().minus(cap.get())
                        .perPhaseCurrent(site.limits().nominalVoltage(), site.limits().phases())));
            }
        }
        return planned;
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Double> fuse = Arbitraries.doubles().between(16, 250);
        Arbitrary<Double> marginShare = Arbitraries.doubles().between(0, 0.2);
        // a grid limit in kW, or none (a negative draw)
        Arbitrary<Double> gridLimit = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(-1.0)), Tuple.of(1, Arbitraries.just(0.0)), Tuple.of(4, Arbitraries.doubles().between(0, 150)));
        Arbitrary<List<Tuple.Tuple4<Integer, Double, Integer, Double>>> chargers = Combinators.combine(
                Arbitraries.integers().between(0, 3), Arbitraries.doubles().between(6, 32),
                Arbitraries.integers().between(0, ConnectorState.values().length - 1), Arbitraries.doubles().between(0, 1))
                .as(Tuple::of).list().ofMaxSize(6);
        Arbitrary<List<Tuple.Tuple3<Double, Double, Double>>> batteries = Combinators.combine(
                Arbitraries.doubles().between(0, 100), Arbitraries.doubles().between(-10_000, 10_000),
                Arbitraries.doubles().between(-12_000, 12_000)).as(Tuple::of).list().ofMaxSize(2);
        // rated kW, share producing now, asked cap as a share of the rating (negative: no cap asked)
        Arbitrary<List<Tuple.Tuple3<Double, Double, Double>>> pv = Combinators.combine(
                Arbitraries.doubles().between(1, 100), Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(-1, 1.2))
                .as(Tuple::of).list().ofMaxSize(2);
        Arbitrary<List<Double>> uncontrolled = Arbitraries.doubles().between(-20, 200).list().ofSize(3);
        Arbitrary<List<Double>> askedCurrents = Arbitraries.doubles().between(0, 40).list().ofSize(6);
        Arbitrary<List<Double>> reserve = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(0.0)), Tuple.of(1, Arbitraries.doubles().between(0, 20)))
                .list().ofSize(3);
        Arbitrary<Tuple.Tuple4<Double, Double, Double, Double>> limits = Combinators.combine(fuse, marginShare, gridLimit, gridLimit).as(Tuple::of);
        return Combinators.combine(limits, chargers, batteries, pv, uncontrolled, askedCurrents, reserve)
                .as((l, cs, bs, pvs, u, ac, r) -> {
                    TestSites sites = new TestSites();
                    GridLimits grid = new GridLimits(l.get3() < 0 ? null : Power.ofKilowatts(l.get3()),
                            l.get4() < 0 ? null : Power.ofKilowatts(l.get4()), "property");
                    sites.limits(TestSites.limits(l.get1(), l.get1() * l.get2()).withGrid(grid));
                    sites.uncontrolled(u.get(0), u.get(1), u.get(2));
                    Setpoints asked = Setpoints.empty();
                    for (int i = 0; i < cs.size(); i++) {
                        var c = cs.get(i);
                        List<Phase> phases = c.get1() == 0 ? TestSites.THREE : List.of(Phase.values()[c.get1() - 1]);
                        ConnectorState st = ConnectorState.values()[c.get3()];
                        sites.charger("c" + i, phases, c.get2(), st, st == ConnectorState.CHARGING ? c.get4() * c.get2() : 0);
                        asked = asked.withChargerLimit(new ConnectorRef("c" + i, 1), Current.ofAmps(ac.get(i)));
                    }
                    for (int i = 0; i < bs.size(); i++) {
                        sites.battery("b" + i, bs.get(i).get1(), bs.get(i).get2());
                        asked = asked.withBatteryPower("b" + i, Power.ofWatts(bs.get(i).get3()));
                    }
                    List<String> pvIds = new ArrayList<>();
                    for (int i = 0; i < pvs.size(); i++) {
                        double rated = pvs.get(i).get1() * 1000;
                        sites.pv("pv" + i, rated, rated * pvs.get(i).get2(), rated);
                        if (pvs.get(i).get3() >= 0) {
                            asked = asked.withPvLimit("pv" + i, Power.ofWatts(rated * pvs.get(i).get3()));
                        }
                        pvIds.add("pv" + i);
                    }
                    return new Scenario(sites.build(), asked, Duration.ofSeconds(2), PhaseCurrents.ofAmps(r.get(0), r.get(1), r.get(2)));
                });
    }
}
