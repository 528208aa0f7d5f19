package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.device.Device;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.GridMeter;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Phase;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The demo site with a flaky link to its grid meter: the gateway reads the simulator's SunSpec meter
 * through a proxy that drops one reply in 25 (the gateway times out) and holds one in 7 for 400 ms. The
 * meter stays ONLINE, marked stale for the odd poll, so the site never enters failsafe, no charger is
 * put to its failsafe current, and the simulated fuse is never overloaded.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FlakyMeterIT extends FuseboxKarafTestSupport {

    private static final String PROXY_PORT_PROPERTY = "fusebox.itest.meter.proxy.port";

    @Configuration
    public Option[] options() {
        int proxyPort = freePort();
        return withOptions(demoSite(),
                editConfigurationFilePut("etc/fusebox.driver.modbus-grid.cfg", "port", Integer.toString(proxyPort)),
                editConfigurationFilePut("etc/system.properties", PROXY_PORT_PROPERTY, Integer.toString(proxyPort)));
    }

    @Test
    public void oneLostReplyInTwentyFiveNeverSendsTheSiteToFailsafe() throws Exception {
        ConfigurationAdmin cm = awaitService(ConfigurationAdmin.class);
        int meterPort = Integer.parseInt(String.valueOf(cm.getConfiguration("fusebox.simulator", null).getProperties()
                .get("gridMeterModbusPort")));
        int proxyPort = Integer.parseInt(bundleContext.getProperty(PROXY_PORT_PROPERTY));
        ControlLoop loop = awaitService(ControlLoop.class);
        try (FaultyModbusProxy proxy = new FaultyModbusProxy(proxyPort, meterPort, 25, 7, 400)) {
            waitFor("the site RUNNING on the meter behind the proxy", () -> loop.lastCycle()
                    .filter(r -> r.state().mode() == ControlMode.RUNNING && r.snapshot().grid() != null
                            && r.snapshot().grid().reading() != null && r.snapshot().chargers().size() == 4)
                    .isPresent());
            GridMeter meter = meter().orElseThrow();
            List<DeviceStatus> statuses = new ArrayList<>();
            int droppedBefore = proxy.dropped();
            CycleWatcher watcher = CycleWatcher.start(loop);
            try (EventRecorder events = EventRecorder.open(bundleContext)) {
                long end = System.currentTimeMillis() + 40_000;
                while (System.currentTimeMillis() < end) {
                    statuses.add(meter.status());
                    Thread.sleep(10);
                }
                watcher.stop();
                List<CycleReport> seen = watcher.seen();
                String summary = "proxy: " + proxy.replies() + " replies, " + proxy.dropped() + " dropped, "
                        + proxy.delayed() + " delayed, " + proxy.connections() + " connections; meter stale in "
                        + statuses.stream().filter(DeviceStatus::stale).count() + " of " + statuses.size()
                        + " samples, not ONLINE in " + statuses.stream().filter(x -> !x.isOnline()).count()
                        + "; " + seen.size() + " cycles, " + seen.stream().filter(r -> r.state().mode() != ControlMode.RUNNING)
                                .count() + " not RUNNING; failsafe entered "
                        + events.topic(FuseboxEvents.FAILSAFE_ENTERED).size() + " times; " + fuseRecord();
                System.out.println("FlakyMeterIT: " + summary);

                assertTrue("too few lost replies to judge: " + summary, proxy.dropped() - droppedBefore >= 3);
                assertTrue("the meter was never marked stale: " + summary, statuses.stream().anyMatch(DeviceStatus::stale));
                for (DeviceStatus s : statuses) {
                    assertTrue("the meter left ONLINE: " + s + "; " + summary, s.isOnline());
                }
                assertEquals("failsafe entered: " + summary, List.of(), events.topic(FuseboxEvents.FAILSAFE_ENTERED));
                assertTrue("too few cycles watched: " + summary, seen.size() >= 30);
                double fuse = seen.get(0).snapshot().limits().fuseLimit().amps();
                double highest = 0;
                for (CycleReport r : seen) {
                    assertEquals("cycle " + r.cycle() + " left RUNNING: " + r.state() + "; " + summary,
                            ControlMode.RUNNING, r.state().mode());
                    assertTrue("cycle " + r.cycle() + " put a charger to its failsafe current: " + r.interventions(),
                            r.interventions().stream().noneMatch(i -> i.rule().equals("failsafe")));
                    highest = Math.max(highest, highestPhase(r));
                }
                assertTrue("highest metered phase " + highest + " A over the " + fuse + " A fuse", highest <= fuse);
                assertTrue(summary, fuseRecord().endsWith(" 0 s overloaded in total"));
            }
        }
    }

    private String fuseRecord() {
        try {
            return healthDetails("simulator").stream().filter(d -> d.startsWith("fuse record")).findFirst()
                    .orElse("no fuse record");
        } catch (Exception e) {
            return "simulator health unreadable: " + e;
        }
    }

    private static double highestPhase(CycleReport r) {
        SiteSnapshot s = r.snapshot();
        if (s.grid() == null || s.grid().reading() == null) {
            return 0;
        }
        double highest = 0;
        for (Phase p : Phase.values()) {
            highest = Math.max(highest, s.grid().reading().currents().on(p).amps());
        }
        return highest;
    }

    private Optional<GridMeter> meter() {
        try {
            Collection<ServiceReference<GridMeter>> refs = bundleContext.getServiceReferences(GridMeter.class,
                    "(" + Device.DEVICE_ID_PROPERTY + "=sim-grid)");
            return refs.stream().findFirst().map(bundleContext::getService);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
