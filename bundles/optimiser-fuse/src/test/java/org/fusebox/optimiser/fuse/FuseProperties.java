package org.fusebox.optimiser.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.fusebox.api.site.ChargerState;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.testing.TestSites;

/** The fuse optimiser alone (before the SafetyGuard) keeps every phase under the fuse and wastes no room. */
class FuseProperties {

    record Case(SiteSnapshot site, Setpoints asked, FuseSettings settings) {
    }

    @Property(tries = 1500)
    void neverPlansOverTheFuseUnlessTheUncontrolledLoadAloneIs(@ForAll("cases") Case c) {
        Setpoints out = new FuseSharing().share(c.site(), c.asked(), c.settings());
        PhaseCurrents planned = PhaseBudget.planned(c.site(), out).orElseThrow();
        PhaseCurrents base = PhaseBudget.uncontrolled(c.site()).orElseThrow();
        double limit = c.site().limits().planningLimit().amps();
        for (Phase p : Phase.values()) {
            if (base.on(p).amps() <= limit) {
                assertThat(planned.on(p).amps()).as("phase %s", p).isLessThanOrEqualTo(limit + 1e-6);
            } else {
                assertThat(planned.on(p).amps()).as("phase %s with uncontrolled %s", p, base.on(p)).isLessThanOrEqualTo(base.on(p).amps() + 1e-6);
            }
        }
    }

    @Property(tries = 1500)
    void everyEvIsPausedOrBetweenItsMinimumAndWhatWasAsked(@ForAll("cases") Case c) {
        Setpoints out = new FuseSharing().share(c.site(), c.asked(), c.settings());
        for (ChargerState ch : c.site().chargers()) {
            ConnectorInfo info = ch.connectors().get(0);
            ConnectorRef ref = new ConnectorRef(ch.id(), 1);
            double a = out.chargerLimit(ref).orElseThrow().amps();
            double asked = Math.min(c.asked().chargerLimit(ref).orElseThrow().amps(), info.maxCurrent().amps());
            assertThat(a == 0 || (a >= info.minCurrent().amps() - 1e-9 && a <= asked + 1e-9)).as("%s A of %s asked", a, asked).isTrue();
        }
    }

    @Property(tries = 1500)
    void anEvHeldBelowWhatItAskedSitsOnAFullPhase(@ForAll("cases") Case c) {
        FuseSettings noHysteresis = new FuseSettings(Map.of(), 0, 0);
        Setpoints out = new FuseSharing().share(c.site(), c.asked(), noHysteresis);
        PhaseCurrents planned = PhaseBudget.planned(c.site(), out).orElseThrow();
        double limit = c.site().limits().planningLimit().amps();
        int evs = c.site().chargers().size();
        for (ChargerState ch : c.site().chargers()) {
            ConnectorInfo info = ch.connectors().get(0);
            ConnectorRef ref = new ConnectorRef(ch.id(), 1);
            double a = out.chargerLimit(ref).orElseThrow().amps();
            double asked = Math.min(c.asked().chargerLimit(ref).orElseThrow().amps(), info.maxCurrent().amps());
            boolean wants = ch.reading().connectors().get(0).state().wantsCurrent();
            if (a > 0 && a < asked - 0.1 - 1e-9 && wants) {
                // Rounding to 0.1 A per EV is the only room left unused.
                boolean onFullPhase = info.phases().stream().anyMatch(p -> planned.on(p).amps() >= limit - 0.1 * evs - 1e-6);
                assertThat(onFullPhase).as("%s held at %s A of %s asked with room left: %s", ch.id(), a, asked, planned).isTrue();
            }
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<List<Tuple.Tuple5<Integer, Double, Integer, Double, Double>>> chargers = Combinators.combine(
                Arbitraries.integers().between(0, 3), Arbitraries.doubles().between(6, 32),
                Arbitraries.integers().between(0, ConnectorState.values().length - 1),
                Arbitraries.doubles().between(0, 1), Arbitraries.doubles().between(0, 40)).as(Tuple::of).list().ofMaxSize(10);
        Arbitrary<List<Double>> uncontrolled = Arbitraries.doubles().between(-30, 120).list().ofSize(3);
        Arbitrary<Double> fuse = Arbitraries.doubles().between(16, 160);
        Arbitrary<List<Integer>> weights = Arbitraries.integers().between(1, 5).list().ofSize(10);
        Arbitrary<Double> hysteresis = Arbitraries.doubles().between(0, 4);
        Arbitrary<Double> minIncrease = Arbitraries.doubles().between(0, 3);
        return Combinators.combine(chargers, uncontrolled, fuse, weights, hysteresis, minIncrease).as((cs, u, f, w, h, mi) -> {
            TestSites sites = new TestSites().limits(TestSites.limits(f, 1)).uncontrolled(u.get(0), u.get(1), u.get(2));
            Setpoints asked = Setpoints.empty();
            Map<String, Integer> weightMap = new java.util.HashMap<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < cs.size(); i++) {
                var c = cs.get(i);
                List<Phase> phases = c.get1() == 0 ? TestSites.THREE : List.of(Phase.values()[c.get1() - 1]);
                ConnectorState st = ConnectorState.values()[c.get3()];
                double limitNow = c.get4() < 0.3 ? 0 : Math.max(6, c.get4() * c.get2());
                double drawing = st == ConnectorState.CHARGING ? limitNow * c.get4() : 0;
                sites.charger("c" + i, phases, c.get2(), st, drawing, limitNow, null);
                asked = asked.withChargerLimit(new ConnectorRef("c" + i, 1), Current.ofAmps(c.get5()));
                weightMap.put("c" + i, w.get(i));
                ids.add("c" + i);
            }
            return new Case(sites.build(), asked, new FuseSettings(weightMap, h, mi));
        });
    }
}
