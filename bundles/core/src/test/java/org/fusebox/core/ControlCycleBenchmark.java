package org.fusebox.core;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Phase;
import org.fusebox.testing.TestSites;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One control-cycle decision (default proposal + SafetyGuard) for a depot of N connectors, a mix of
 * three-phase and single-phase chargers, all wanting their rating under a fuse that allows a fraction of
 * it, so the guard has to cut on every phase. Run: see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ControlCycleBenchmark {

    @Param({ "10", "50", "200" })
    public int connectors;

    private SiteSnapshot site;
    private final ControlCycle cycle = new ControlCycle();

    @Setup
    public void buildSite() {
        Random random = new Random(7);
        // The fuse covers about a third of the demand: 16 A average per connector and phase.
        double fuse = Math.max(40, connectors * 32 / 3.0 * 0.5);
        TestSites sites = new TestSites().limits(TestSites.limits(fuse, 2)).uncontrolled(20, 25, 15).battery("bat", 60, 0);
        for (int i = 0; i < connectors; i++) {
            List<Phase> phases = i % 4 == 3 ? List.of(Phase.values()[i % 3]) : TestSites.THREE;
            sites.charger("c" + i, phases, random.nextBoolean() ? 32 : 16, ConnectorState.CHARGING, 6 + random.nextInt(10));
        }
        site = sites.build();
    }

    @Benchmark
    public ControlCycle.Decision decide() {
        return cycle.decide(site, List.of(), Duration.ofSeconds(2));
    }
}
