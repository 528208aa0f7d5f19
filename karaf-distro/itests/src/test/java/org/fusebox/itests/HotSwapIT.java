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
 * Upgrading a device bundle while the site runs: the simulator bundle is updated in place; the core
 * puts what it controlled in its safe state, holds failsafe while the grid meter is gone, and resumes
 * control when the devices return. No other bundle is stopped, restarted or refreshed, and the
 * control cycle keeps its pace through the swap.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING) // one container: the update runs before the uninstall
public class HotSwapIT extends FuseboxKarafTestSupport {

    private static final Set<String> SIM_DEVICES = Set.of("sim-grid", "sim-pv", "sim-battery",
            "sim-charger-1", "sim-charger-2", "sim-charger-3", "sim-charger-4");

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

            waitFor("failsafe entered and left", () -> events.indexOf(FuseboxEvents.FAILSAFE_LEFT,
                    Math.max(0, events.indexOf(FuseboxEvents.FAILSAFE_ENTERED, 0))) > 0);
            waitFor("every simulated device back", () -> devices(events, FuseboxEvents.DEVICE_ADDED).equals(SIM_DEVICES));
            waitFor("control of every device again", () -> loop.lastCycle()
                    .filter(r -> r.state().mode() == ControlMode.RUNNING && r.snapshot().chargers().size() == 4
                            && r.state().reasons().isEmpty())
                    .isPresent());

            String log = events.summary();
            int entered = events.indexOf(FuseboxEvents.FAILSAFE_ENTERED, 0);
            int left = events.indexOf(FuseboxEvents.FAILSAFE_LEFT, entered);
            assertTrue("failsafe must be entered before it is left:\n" + log, entered >= 0 && left > entered);
            assertEquals("every simulated device reported gone:\n" + log, SIM_DEVICES, devices(events, FuseboxEvents.DEVICE_REMOVED));
            assertEquals("every simulated device reported back:\n" + log, SIM_DEVICES, devices(events, FuseboxEvents.DEVICE_ADDED));
            assertTrue("the failsafe reason names the grid meter:\n" + log,
                    String.valueOf(events.all().get(entered).property(FuseboxEvents.REASON)).contains("grid meter"));

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
