package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.Intervention;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.site.GridLimits;
import org.fusebox.api.site.PhaseBudget;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Phase;
import org.fusebox.api.units.PhaseCurrents;
import org.fusebox.api.units.Power;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;

/** The grid side's import and export limits in the SafetyGuard, on a 3 x 230 V site. */
class GridLimitsGuardTest {

    private static final Duration H = Duration.ofSeconds(2);
    private static final double W_PER_A = 230.0 * 3;
    private final SafetyGuard guard = new SafetyGuard();

    private static SiteLimits limits(double fuse, double margin, Double importW, Double exportW) {
        return TestSites.limits(fuse, margin).withGrid(new GridLimits(importW == null ? null : Power.ofWatts(importW),
                exportW == null ? null : Power.ofWatts(exportW), "test"));
    }

    @Test
    void anImportLimitBelowTheFuseSetsThePlanningLimitPerPhase() {
        SiteLimits l = limits(40, 2, 11_000.0, null);
        assertThat(l.planningLimit().amps()).isCloseTo(11_000 / W_PER_A - 2, within(1e-9));
        assertThat(l.gridLimitsImport()).isTrue();
        assertThat(limits(40, 2, 100_000.0, null).planningLimit().amps()).isEqualTo(38.0);
        assertThat(limits(40, 2, 100_000.0, null).gridLimitsImport()).isFalse();
        assertThat(limits(40, 2, 500.0, null).planningLimit().amps()).isZero();
        assertThat(limits(40, 2, null, 3_000.0).exportPlanningLimit().orElseThrow().amps()).isCloseTo(3_000 / W_PER_A - 2, within(1e-9));
        assertThat(TestSites.limits(40, 2).exportPlanningLimit()).isEmpty();
    }

    @Test
    void anImportLimitCutsTheChargersLikeAFuse() {
        SiteSnapshot site = new TestSites().limits(limits(40, 2, 11_000.0, null)).uncontrolled(5, 5, 5)
                .charger("a", TestSites.THREE, 32, ConnectorState.CHARGING, 0).build();

        SafetyGuard.Result r = guard.apply(site, ControlCycle.defaultProposal(site), H);

        double limit = 11_000 / W_PER_A - 2;
        assertThat(r.applied().chargerLimit(new ConnectorRef("a", 1)).orElseThrow().amps()).isEqualTo(Math.floor((limit - 5) * 10) / 10);
        assertThat(PhaseBudget.planned(site, r.applied()).orElseThrow().max().amps()).isLessThanOrEqualTo(limit);
        assertThat(r.interventions()).extracting(Intervention::detail).anyMatch(s -> s.contains("grid import limit"));
    }

    @Test
    void anExportLimitLessensBatteryDischargeFirstThenCapsPv() {
        // 2 A of load, 15 kW of PV (21.7 A per phase) and 6.9 kW (10 A per phase) of discharge: 29.7 A per phase out
        SiteSnapshot site = new TestSites().limits(limits(40, 2, null, 3_000.0)).uncontrolled(2, 2, 2)
                .battery("bat", 80, -6_900).pv("pv", 20_000, 15_000, 20_000).build();
        Setpoints asked = Setpoints.empty().withBatteryPower("bat", Power.ofWatts(-6_900));

        SafetyGuard.Result r = guard.apply(site, asked, H);

        assertThat(r.applied().batteryPower("bat").orElseThrow()).isEqualTo(Power.ZERO);
        double allowedOut = 3_000 / W_PER_A - 2;
        // the PV cap leaves exactly the allowed export: 2 A load - (cap / 690 V) = -allowedOut
        assertThat(r.applied().pvLimit("pv").orElseThrow().watts()).isCloseTo((2 + allowedOut) * W_PER_A, within(1e-6));
        PhaseCurrents out = SafetyGuard.exportPlanned(site, r.applied());
        for (Phase p : Phase.values()) {
            assertThat(out.on(p).amps()).isGreaterThanOrEqualTo(-allowedOut - 1e-9);
        }
        assertThat(r.interventions()).extracting(Intervention::rule).contains("export");
    }

    @Test
    void aZeroExchangeSiteIsHeldAtZeroOnEveryPhase() {
        SiteSnapshot site = new TestSites().limits(limits(40, 0, 0.0, 0.0)).uncontrolled(5, 5, 5)
                .pv("pv", 10_000, 10_000, 10_000).build();

        SafetyGuard.Result r = guard.apply(site, Setpoints.empty(), H);

        assertThat(r.applied().pvLimit("pv").orElseThrow().watts()).isCloseTo(5 * W_PER_A, within(1e-6));
        PhaseCurrents planned = PhaseBudget.planned(site, r.applied()).orElseThrow();
        PhaseCurrents out = SafetyGuard.exportPlanned(site, r.applied());
        for (Phase p : Phase.values()) {
            assertThat(out.on(p).amps()).isCloseTo(0, within(1e-9));
        }
        // PhaseBudget.planned does not count a lowered PV cap; the guard adds what it takes away
        assertThat(planned.max().amps()).isLessThan(0);
    }

    @Test
    void fixingTheExportNeverPushesAPhaseOverItsImportLimit() {
        // L1 carries 20 A of load, PV makes 14.5 A per phase: L2 and L3 export 14.5 A, the export limit is 0
        SiteSnapshot site = new TestSites().limits(limits(40, 2, 7_000.0, 0.0)).uncontrolled(20, 0, 0)
                .pv("pv", 10_000, 10_000, 10_000).build();

        SafetyGuard.Result r = guard.apply(site, Setpoints.empty(), H);

        double importLimit = 7_000 / W_PER_A - 2;
        PhaseCurrents planned = PhaseBudget.planned(site, r.applied()).orElseThrow();
        PhaseCurrents out = SafetyGuard.exportPlanned(site, r.applied());
        // the cap took L1 up to its import limit and no further
        assertThat(out.l1().amps()).isCloseTo(importLimit, within(1e-6));
        assertThat(out.l2().amps()).isLessThan(0);
        assertThat(planned.l1().amps()).isLessThanOrEqualTo(importLimit + 1e-9);
        assertThat(r.interventions()).extracting(Intervention::detail).anyMatch(s -> s.contains("nothing controllable can lower it further"));
    }

    @Test
    void freeingImportRaisesAPvCapOnlyAsFarAsNeeded() {
        // 30 A of load, PV making 20 kW (29 A per phase) that an optimiser wants capped at 5 kW, and a 32 A EV on a 40 A fuse
        SiteSnapshot site = new TestSites().limits(limits(40, 2, null, null)).uncontrolled(30, 30, 30)
                .pv("pv", 20_000, 20_000, 20_000).charger("a", TestSites.THREE, 32, ConnectorState.CHARGING, 0).build();
        Setpoints asked = Setpoints.empty().withPvLimit("pv", Power.ofWatts(5_000)).withChargerLimit(new ConnectorRef("a", 1),
                org.fusebox.api.units.Current.ofAmps(32));

        SafetyGuard.Result r = guard.apply(site, asked, H);

        // 30 - 29 + 21.7 (the cap) + 32 = 54.7 A planned: 16.7 A over 38 A, freed by raising the cap by 16.7 A x 690 V
        double over = 30 - 20_000 / W_PER_A + (20_000 - 5_000) / W_PER_A + 32 - 38;
        assertThat(r.applied().pvLimit("pv").orElseThrow().watts()).isCloseTo(5_000 + over * W_PER_A, within(1e-6));
        assertThat(r.applied().chargerLimit(new ConnectorRef("a", 1)).orElseThrow().amps()).isEqualTo(32.0);
    }
}
