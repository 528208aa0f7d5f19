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
import org.fusebox.api.site.SiteSnapshot;
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
 * Upgrading device bundles while the site runs. The simulator bundle is updated in place: its grid meter,
 * PV and battery are read over Modbus and its chargers are OCPP charge points, so the drivers see every
 * device drop and come back while the core holds the site safe. Then the Modbus
 * driver bundle itself is updated: the grid meter service goes, the core holds failsafe, and control
 * resumes as soon as the new driver has read the meter again. No other bundle is stopped, restarted or
 * refreshed, and the control cycle keeps its pace through each swap.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING) // one container: the update runs before the uninstall
public class HotSwapIT extends FuseboxKarafTestSupport {

    /** The simulated devices, all reached through drivers: Modbus for grid, PV and battery, OCPP for chargers. */
    private static final Set<String> SIM_DEVICES = Set.of("sim-grid", "sim-pv", "sim-battery",
            "sim-charger-1", "sim-charger-2", "sim-charger-3", "sim-charger-4");

    @Configuration
    public Option[] options() {
        return demoSite();
    }

    @Test
    public void firstUpdatingTheSimulatorTakesEveryDeviceOfflineAndControlResumesWhenTheyAnswerAgain() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        waitFor("the site RUNNING with its devices", () -> loop.lastCycle().filter(this::everyDeviceOnline).isPresent());
        awaitBootFinished();
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

            waitFor("every device answering again and under control", () -> loop.lastCycle()
                    .filter(r -> r.cycle() > cycleBefore + 2 && everyDeviceOnline(r) && r.state().reasons().isEmpty()).isPresent());

            String log = events.summary();
            // Devices behind drivers stay registered: losing their far end is a state, not a departure.
            assertEquals("a device was unregistered:\n" + log, Set.of(), devices(events, FuseboxEvents.DEVICE_REMOVED));
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
            bundles.assertUntouched(others, "updating fusebox-simulator");
        }
        assertBundleActive("fusebox-simulator");
        for (String bsn : List.of("fusebox-api", "fusebox-core", "fusebox-optimiser-fuse", "fusebox-rest", "fusebox-shell", "fusebox-config",
                "fusebox-driver-modbus", "fusebox-driver-ocpp")) {
            assertBundleActive(bsn);
        }
        // Setpoints flow to the returned chargers: they accept what the core sends.
        waitFor("writes accepted by the returned chargers", () -> {
            CycleReport r = loop.lastCycle().orElseThrow();
            return r.writeResults().entrySet().stream().filter(e -> e.getKey().startsWith("sim-charger-"))
                    .filter(e -> e.getValue().isAccepted()).count() == 4;
        });
    }

    private boolean everyDeviceOnline(CycleReport r) {
        SiteSnapshot s = r.snapshot();
        Set<String> online = new java.util.HashSet<>();
        if (s.grid() != null && s.grid().status().isOnline() && s.grid().reading() != null) {
            online.add(s.grid().id());
        }
        s.pv().stream().filter(p -> p.status().isOnline()).forEach(p -> online.add(p.id()));
        s.batteries().stream().filter(b -> b.status().isOnline()).forEach(b -> online.add(b.id()));
        s.chargers().stream().filter(c -> c.status().isOnline()).forEach(c -> online.add(c.id()));
        return r.state().mode() == ControlMode.RUNNING && online.equals(SIM_DEVICES);
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
    public void thenUninstallingTheRestAndWebFeaturesLeavesTheSiteRunning() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        waitFor("the site RUNNING", () -> loop.state().mode() == ControlMode.RUNNING);
        Bundle rest = assertBundleActive("fusebox-rest");
        // the web UI is built on the REST feature, so it leaves with it
        Bundle web = assertBundleActive("fusebox-web");
        List<Long> others = new ArrayList<>();
        for (Bundle b : bundleContext.getBundles()) {
            String bsn = b.getSymbolicName();
            if (bsn != null && bsn.startsWith("fusebox-") && b.getBundleId() != rest.getBundleId()
                    && b.getBundleId() != web.getBundleId()) {
                others.add(b.getBundleId());
            }
        }
        try (BundleEventRecorder bundles = BundleEventRecorder.open(bundleContext)) {
            featuresService.uninstallFeatures(java.util.Set.of("fusebox-web", "fusebox-rest"),
                    java.util.EnumSet.of(org.apache.karaf.features.FeaturesService.Option.NoAutoRefreshBundles));
            waitFor("fusebox-rest gone", () -> bundle("fusebox-rest").isEmpty());
            waitFor("fusebox-web gone", () -> bundle("fusebox-web").isEmpty());
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
