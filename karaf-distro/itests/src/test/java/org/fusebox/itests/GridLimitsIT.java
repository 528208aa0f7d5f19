package org.fusebox.itests;

import static org.fusebox.itests.SiteReadings.importWatts;
import static org.fusebox.itests.SiteReadings.uncontrolledWatts;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.grid.GridSignal;
import org.fusebox.api.grid.GridSignalKind;
import org.fusebox.api.grid.GridSignalSource;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Phase;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;

/**
 * A grid-side import limit on the running demo site: a {@link GridSignalSource} (what an OpenADR VEN registers)
 * asks for an import limit well below what the EVs draw; the core applies it in the safety tier, and the simulated
 * grid meter, read over Modbus, comes under the limit within a few cycles and stays there. When the source goes
 * away (an upgrade, a crash) the limit it left "until further notice" stays in force.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GridLimitsIT extends FuseboxKarafTestSupport {

    /** Cycles the limit may take to show at the meter: the cycle that applies it, the chargers following, the next poll. */
    private static final int CYCLES_TO_TAKE_HOLD = 4;

    @Configuration
    public Option[] options() {
        // evening on the site's clock: no PV, and EVs arriving every half simulated minute draw far more than the limit
        return withOptions(demoSite(), editConfigurationFilePut("etc/fusebox.simulator.cfg", "startTime", LocalDate.now() + "T22:00"),
                editConfigurationFilePut("etc/fusebox.simulator.cfg", "evArrivalMeanMinutes", "0.5"));
    }

    @Test
    public void anImportLimitFromTheGridSideHoldsTheMeterUnderItWithinAFewCycles() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        waitFor("EVs drawing at least 12 kW more than the uncontrolled load", () -> loop.lastCycle()
                .filter(r -> r.state().mode() == ControlMode.RUNNING && uncontrolledWatts(r) >= 0
                        && importWatts(r) - uncontrolledWatts(r) > 12_000).isPresent());
        // (an estimate below zero is a moment when chargers' readings lag the meter's: no base for a limit)
        CycleReport before = loop.lastCycle().orElseThrow();
        double limitW = Math.round(uncontrolledWatts(before) + 5_000);
        assertTrue("the limit must bind: import " + importWatts(before) + " W, limit " + limitW + " W", importWatts(before) > limitW + 3_000);

        GridSignal signal = new GridSignal("itest-event/0/IMPORT_CAPACITY_LIMIT", "itest-vtn", GridSignalKind.IMPORT_CAPACITY_LIMIT,
                Instant.EPOCH, null, limitW, "", "integration test");
        GridSignalSource source = new GridSignalSource() {
            @Override
            public String id() {
                return "itest-vtn";
            }

            @Override
            public List<GridSignal> signals() {
                return List.of(signal);
            }
        };
        CycleWatcher watcher = CycleWatcher.start(loop);
        ServiceRegistration<GridSignalSource> registration = bundleContext.registerService(GridSignalSource.class, source, null);
        List<CycleReport> seen;
        try {
            waitFor("a cycle planning under the grid import limit", () -> loop.lastCycle()
                    .filter(r -> r.snapshot().limits().grid().importLimit() != null).isPresent());
            // from the loop, not the watcher: it polls every 20 ms and may not have recorded that cycle yet
            long applied = loop.lastCycle().orElseThrow().cycle();
            // cycles come once a second (more when the meter reports an overload): 15 fit well inside the wait
            waitFor("15 cycles under the limit", () -> loop.lastCycle().orElseThrow().cycle() > applied + 15);
            seen = watcher.seen();
        } finally {
            watcher.stop();
        }
        CycleReport first = firstWithLimit(seen);
        assertEquals(limitW, first.snapshot().limits().grid().importLimit().watts(), 1e-9);
        assertTrue(first.snapshot().limits().grid().reason(), first.snapshot().limits().grid().reason().contains("itest-vtn"));
        assertTrue(String.valueOf(first.state().reasons()), first.state().reasons().stream().anyMatch(s -> s.startsWith("grid limits in force")));

        // judged at the meter: the first reading under the limit, then every later one
        // in the meter's own clock: the Modbus driver stamps readings with the gateway's time, the snapshot carries the
        // simulator's faster site time, so the two must not be compared
        Instant limitAt = first.snapshot().grid().reading().timestamp();
        CycleReport held = null;
        int cyclesToHold = 0;
        double highestAfter = 0;
        StringBuilder trace = new StringBuilder();
        for (CycleReport r : seen) {
            if (r.cycle() < first.cycle()) {
                continue;
            }
            trace.append(String.format(Locale.ROOT, "%d %s import %.0f W phases %s applied %s%n", r.cycle(), r.snapshot().timestamp(),
                    importWatts(r), r.snapshot().grid().reading().currents(), r.applied().chargers()));
            if (held == null) {
                if (importWatts(r) <= limitW && r.snapshot().grid().reading().timestamp().isAfter(limitAt)) {
                    held = r;
                } else {
                    cyclesToHold++;
                }
                continue;
            }
            highestAfter = Math.max(highestAfter, importWatts(r));
        }
        System.out.println("GridLimitsIT: limit " + limitW + " W, import before " + Math.round(importWatts(before)) + " W, under it "
                + cyclesToHold + " cycle(s) after the limit was planned, highest import after that " + Math.round(highestAfter) + " W");
        assertNotNull("the meter never came under " + limitW + " W:\n" + trace, held);
        assertTrue("took " + cyclesToHold + " cycles to come under the limit:\n" + trace, cyclesToHold <= CYCLES_TO_TAKE_HOLD);
        assertTrue("import " + highestAfter + " W over the limit " + limitW + " W after it held:\n" + trace, highestAfter <= limitW);
        double share = limitW / (3 * 230.0);
        for (CycleReport r : seen) {
            if (r.cycle() > held.cycle()) {
                for (Phase p : Phase.values()) {
                    double amps = r.snapshot().grid().reading().currents().on(p).amps();
                    assertTrue("cycle " + r.cycle() + " " + p + " carries " + amps + " A, over its share " + share + " A of the limit", amps <= share);
                }
            }
        }

        // the source goes away: what it asked until further notice stays in force
        registration.unregister();
        long gone = loop.lastCycle().orElseThrow().cycle();
        waitFor("three cycles after the source left", () -> loop.lastCycle().orElseThrow().cycle() > gone + 3);
        SiteSnapshot after = loop.lastCycle().orElseThrow().snapshot();
        assertNotNull("the limit was lifted when its source left", after.limits().grid().importLimit());
        assertEquals(limitW, after.limits().grid().importLimit().watts(), 1e-9);
    }

    private static CycleReport firstWithLimit(List<CycleReport> seen) {
        return seen.stream().filter(r -> r.snapshot().limits().grid().importLimit() != null).findFirst()
                .orElseThrow(() -> new AssertionError("no cycle watched had the grid import limit"));
    }
}
