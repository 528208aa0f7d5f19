package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.event.FuseboxEvents;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * Upgrading device bundles while the site runs. The simulator bundle is updated in place: the core puts
 * its chargers (served in-process) in their safe state and resumes control when they return; its grid
 * meter, PV and battery are read over Modbus, so the driver sees them drop and come back. Then the Modbus
 * driver bundle itself is updated: the grid meter service goes, the core holds failsafe, and control
 * resumes as soon as the new driver has read the meter again. No other bundle is stopped, restarted or
 * refreshed, and the control cycle keeps its pace through each swap.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING) // one container: the update runs before the uninstall
public class HotSwapIT extends FuseboxKarafTestSupport {

    /** The devices the simulator registers in-process (the others come through the Modbus driver). */
    private static final Set<String> SIM_DEVICES = Set.of("sim-charger-1", "sim-charger-2", "sim-charger-3", "sim-charger-4");

    @Configuration
    public Option[] options() {
        return demoSite();
    }

    @Test
    public void firstUpdatingTheSimulatorGoesThroughFailsafeAndBackWithoutTouchingAnythingElse() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        waitFor("the site RUNNING with its devices", () -> loop.lastCycle()
                .filter(r -> r.state().mode() == ControlMode.RUNNING && r.snapshot().chargers().size() == 4).isPresent());
        Bundle simulator = assertBundleActive("fusebox-simulator");
        List<Long> others = new ArrayList<>();
        for (Bundle b : bundleContext.getBundles()) {
            if (b.getBundleId() != simulator.getBundleId() && b.getBundleId() != bundleContext.getBundle().getBundleId()) {
                others.add(b.getBundleId());
            }
        }
        long cycleBefore = loop.lastCycle().orElseThrow().cycle();

        try (EventRecorder events = EventRecorder.open(bundleContext);
                BundleEventRecorder bundles = BundleEventRecorder.open(bundleContext)) {
            simulator.update();

            waitFor("every simulated charger back", () -> devices(events, FuseboxEvents.DEVICE_ADDED).equals(SIM_DEVICES));
            waitFor("control of every device again", () -> loop.lastCycle()
                    .filter(r -> r.state().mode() == ControlMode.RUNNING && r.snapshot().chargers().size() == 4
                            && r.state().reasons().isEmpty() && r.snapshot().grid() != null
                            && r.snapshot().grid().status().isOnline())
                    .isPresent());

            String log = events.summary();
            assertEquals("every simulated charger reported gone:\n" + log, SIM_DEVICES, devices(events, FuseboxEvents.DEVICE_REMOVED));
            assertEquals("every simulated charger reported back:\n" + log, SIM_DEVICES, devices(events, FuseboxEvents.DEVICE_ADDED));
            // The Modbus devices stay registered: losing their server is a state, not a departure.
            assertTrue("a Modbus-read device was unregistered:\n" + log, devices(events, FuseboxEvents.DEVICE_REMOVED).stream()
                    .noneMatch(d -> d.equals("sim-grid") || d.equals("sim-pv") || d.equals("sim-battery")));
            int entered = events.indexOf(FuseboxEvents.FAILSAFE_ENTERED, 0);
            if (entered >= 0) {
                // the meter's server was gone long enough to be noticed: failsafe, for the right reason, then out
                assertTrue("failsafe entered but never left:\n" + log, events.indexOf(FuseboxEvents.FAILSAFE_LEFT, entered) > entered);
                assertTrue("the failsafe reason names the grid meter:\n" + log,
                        String.valueOf(events.all().get(entered).property(FuseboxEvents.REASON)).contains("grid meter"));
            }

            // Cycles kept their pace: never more than two periods between completed cycles.
            List<Long> cycleTimes = events.topic(FuseboxEvents.CYCLE_COMPLETED).stream().map(EventRecorder.Seen::nanos)
                    .collect(Collectors.toList());
            long worstGapMillis = 0;
            for (int i = 1; i < cycleTimes.size(); i++) {
                worstGapMillis = Math.max(worstGapMillis, (cycleTimes.get(i) - cycleTimes.get(i - 1)) / 1_000_000);
            }
            assertTrue("worst gap between cycles " + worstGapMillis + " ms", worstGapMillis <= 2_000);
            assertTrue(loop.lastCycle().orElseThrow().cycle() > cycleBefore);

            bundles.assertUntouched(others, "updating fusebox-simulator");
        }
        assertBundleActive("fusebox-simulator");
        for (String bsn : List.of("fusebox-api", "fusebox-core", "fusebox-optimiser-fuse", "fusebox-rest", "fusebox-shell", "fusebox-config")) {
            assertBundleActive(bsn);
        }
        // Setpoints flow to the new devices: the chargers accept what the core sends.
        waitFor("writes accepted by the returned chargers", () -> {
            CycleReport r = loop.lastCycle().orElseThrow();
            return r.writeResults().entrySet().stream().filter(e -> e.getKey().startsWith("sim-charger-"))
                    .filter(e -> e.getValue().isAccepted()).count() == 4;
        });
    }

    @Test
    public void secondUpdatingTheModbusDriverHoldsFailsafeOnlyUntilTheMeterIsReadAgain() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        waitFor("the site RUNNING on the meter read over Modbus", () -> loop.lastCycle()
                .filter(r -> r.state().mode() == ControlMode.RUNNING && r.snapshot().grid() != null
                        && r.snapshot().grid().status().isOnline() && r.snapshot().batteries().size() == 1)
                .isPresent());
        Bundle driver = assertBundleActive("fusebox-driver-modbus");
        List<Long> others = new ArrayList<>();
        for (Bundle b : bundleContext.getBundles()) {
            String bsn = b.getSymbolicName();
            if (bsn != null && bsn.startsWith("fusebox-") && b.getBundleId() != driver.getBundleId()) {
                others.add(b.getBundleId());
            }
        }
        try (EventRecorder events = EventRecorder.open(bundleContext);
                BundleEventRecorder bundles = BundleEventRecorder.open(bundleContext)) {
            long updateStarted = System.nanoTime();
            driver.update();
            waitFor("the grid meter read again and control resumed", () -> loop.lastCycle()
                    .filter(r -> r.state().mode() == ControlMode.RUNNING && r.snapshot().grid() != null
                            && r.snapshot().grid().status().isOnline() && r.snapshot().grid().reading() != null
                            && r.snapshot().batteries().size() == 1)
                    .isPresent());
            long resumedMillis = (System.nanoTime() - updateStarted) / 1_000_000;

            String log = events.summary();
            List<EventRecorder.Seen> cycles = events.topic(FuseboxEvents.CYCLE_COMPLETED);
            long worstGapMillis = 0;
            for (int i = 1; i < cycles.size(); i++) {
                worstGapMillis = Math.max(worstGapMillis, (cycles.get(i).nanos() - cycles.get(i - 1).nanos()) / 1_000_000);
            }
            assertTrue("worst gap between cycles " + worstGapMillis + " ms:\n" + log, worstGapMillis <= 2_000);
            assertTrue("the meter's departure must be answered with failsafe:\n" + log,
                    events.indexOf(FuseboxEvents.FAILSAFE_ENTERED, 0) >= 0);
            assertTrue("failsafe never left:\n" + log,
                    events.indexOf(FuseboxEvents.FAILSAFE_LEFT, events.indexOf(FuseboxEvents.FAILSAFE_ENTERED, 0)) > 0);
            long failsafeCycles = cycles.stream().filter(c -> c.nanos() > events.all().get(events.indexOf(FuseboxEvents.FAILSAFE_ENTERED, 0)).nanos()
                    && c.nanos() < events.all().get(events.indexOf(FuseboxEvents.FAILSAFE_LEFT, 0)).nanos()).count();
            System.out.println("HotSwapIT: Modbus driver update: control resumed after " + resumedMillis + " ms, "
                    + failsafeCycles + " cycle(s) completed in failsafe, worst gap between cycles " + worstGapMillis + " ms");
            bundles.assertUntouched(others, "updating fusebox-driver-modbus");
        }
    }

    @Test
    public void thenUninstallingTheRestFeatureLeavesTheSiteRunning() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        waitFor("the site RUNNING", () -> loop.state().mode() == ControlMode.RUNNING);
        Bundle rest = assertBundleActive("fusebox-rest");
        List<Long> others = new ArrayList<>();
        for (Bundle b : bundleContext.getBundles()) {
            String bsn = b.getSymbolicName();
            if (bsn != null && bsn.startsWith("fusebox-") && b.getBundleId() != rest.getBundleId()) {
                others.add(b.getBundleId());
            }
        }
        try (BundleEventRecorder bundles = BundleEventRecorder.open(bundleContext)) {
            featuresService.uninstallFeature("fusebox-rest", java.util.EnumSet.of(org.apache.karaf.features.FeaturesService.Option.NoAutoRefreshBundles));
            waitFor("fusebox-rest gone", () -> bundle("fusebox-rest").isEmpty());
            long cycle = loop.lastCycle().orElseThrow().cycle();
            waitFor("cycles going on", () -> loop.lastCycle().orElseThrow().cycle() > cycle + 2);
            assertEquals(ControlMode.RUNNING, loop.state().mode());
            bundles.assertUntouched(others, "uninstalling fusebox-rest");
        }
    }

    private static Set<String> devices(EventRecorder events, String topic) {
        return events.topic(topic).stream().map(s -> String.valueOf(s.property(FuseboxEvents.DEVICE))).collect(Collectors.toSet());
    }
}
