package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.units.Phase;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The core defends its fuse limit whatever etc/fusebox.core.cfg says, through fileinstall as an operator
 * would edit it: an out-of-range value is refused (also after a restart of the core, which runs on the last
 * valid configuration), a deleted file is "not configured" and pauses every EV, and the simulated grid
 * never goes over the fuse.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CoreConfigurationIT extends FuseboxKarafTestSupport {

    @Configuration
    public Option[] options() {
        return withOptions(demoSite(), editConfigurationFilePut("etc/fusebox.simulator.cfg", "speed", "60"));
    }

    private static Path coreFile() {
        return Paths.get(System.getProperty("karaf.etc"), "fusebox.core.cfg");
    }

    private static boolean running(ControlLoop loop, double fuse) {
        return loop.lastCycle().filter(r -> r.state().mode() == ControlMode.RUNNING && r.snapshot().grid() != null
                && r.snapshot().chargers().size() == 4 && r.snapshot().limits().fuseLimit().amps() == fuse).isPresent();
    }

    @Test
    public void theFuseFromAFileIsCheckedByTheCoreAndNeverCrossed() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        waitFor("the demo site RUNNING on its 63 A fuse", () -> running(loop, 63));
        String original = Files.readString(coreFile(), StandardCharsets.UTF_8);
        // one watcher per instance of the core: a restart (or a deleted configuration) brings a new ControlLoop
        List<CycleWatcher> watchers = new java.util.ArrayList<>(List.of(CycleWatcher.start(loop)));
        try (EventRecorder events = EventRecorder.open(bundleContext)) {
            // 1. An out-of-range fuse in the file: refused by the core itself, the 63 A stay in force.
            Files.writeString(coreFile(), original.replace("fuseLimitAmps = 63", "fuseLimitAmps = 1e9"), StandardCharsets.UTF_8);
            waitFor("the core to refuse 1e9", () -> String.valueOf(details()).contains(
                    "configuration fusebox.core refused: fuseLimitAmps must be within 1..4000 A, got 1.0E9"));
            long refusedAt = loop.lastCycle().orElseThrow().cycle();
            waitFor("a few cycles on the refused file", () -> loop.lastCycle().orElseThrow().cycle() > refusedAt + 3);
            assertTrue(running(loop, 63));

            // 2. The core restarts while the file is still invalid: the last valid configuration, and it says so.
            Bundle core = bundle("fusebox-core").orElseThrow();
            core.stop();
            core.start();
            ControlLoop restarted = awaitService(ControlLoop.class);
            watchers.add(CycleWatcher.start(restarted));
            waitFor("the restarted core RUNNING on the last valid 63 A", () -> running(restarted, 63));
            String health = String.valueOf(details());
            assertTrue(health, health.contains("fusebox.core on disk refused: fuseLimitAmps must be within 1..4000 A, got 1.0E9"));
            assertTrue(health, health.contains("running on the last valid configuration of "));

            // 3. The file deleted: not configured, every EV paused, no 40 A default.
            Files.delete(coreFile());
            waitFor("failsafe without a fuse limit", () -> awaitLoop().lastCycle()
                    .filter(r -> r.state().mode() == ControlMode.FAILSAFE
                            && r.state().reasons().stream().anyMatch(s -> s.contains("fuseLimitAmps is not configured")))
                    .isPresent());
            watchers.add(CycleWatcher.start(awaitLoop()));
            waitFor("every EV paused", () -> awaitLoop().lastCycle().map(r -> r.applied().chargers().stream()
                    .allMatch(c -> c.limit().amps() == 0)).orElse(false));
            waitFor("safety limit change announced", () -> events.topic(FuseboxEvents.SAFETY_LIMIT_CHANGED).stream()
                    .anyMatch(e -> "fuseLimitAmps".equals(e.property(FuseboxEvents.KEY)) && "63".equals(e.property(FuseboxEvents.OLD))
                            && "not configured".equals(e.property(FuseboxEvents.NEW))));
        } finally {
            Files.writeString(coreFile(), original, StandardCharsets.UTF_8);
        }
        waitFor("the site RUNNING again on the restored file", () -> running(awaitLoop(), 63));
        ControlLoop loop2 = awaitLoop();
        watchers.add(CycleWatcher.start(loop2));
        long back = loop2.lastCycle().map(CycleReport::cycle).orElse(0L);
        waitFor("ten cycles on the restored file", () -> loop2.lastCycle().map(CycleReport::cycle).orElse(0L) > back + 10);
        waitFor("the core's health clear of refusals", () -> {
            String d = details();
            return d != null && !d.contains("refused") && !d.contains("not configured");
        });
        List<CycleReport> seen = new java.util.ArrayList<>();
        for (CycleWatcher w : watchers) {
            w.stop();
            seen.addAll(w.seen());
        }
        assertTrue("too few cycles: " + seen.size(), seen.size() > 20);
        double highest = 0;
        for (CycleReport r : seen) {
            if (r.snapshot().grid() != null && r.snapshot().grid().reading() != null) {
                for (Phase p : Phase.values()) {
                    highest = Math.max(highest, r.snapshot().grid().reading().currents().on(p).amps());
                }
            }
            if (r.state().mode() == ControlMode.RUNNING) {
                assertEquals("the fuse enforced in cycle " + r.cycle(), 63.0, r.snapshot().limits().fuseLimit().amps(), 0.0);
            }
        }
        assertTrue("grid meter at " + highest + " A on the 63 A fuse", highest <= 63);
        String record = healthDetails("simulator").stream().filter(d -> d.startsWith("fuse record")).findFirst().orElseThrow();
        assertTrue(record, record.endsWith(" 0 s overloaded in total"));
    }

    /** The ControlLoop registered now (the core's instance changes when it restarts or loses its configuration). */
    private ControlLoop awaitLoop() {
        try {
            return awaitService(ControlLoop.class);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The core's health details, one per line (empty when all is well); null while the core is being restarted. */
    private String details() {
        try {
            return String.join("\n", healthDetails("core"));
        } catch (Exception | AssertionError e) {
            return null;
        }
    }
}
