package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.units.Phase;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The OCPP central system of the demo site against charge points Fusebox did not write: npm's
 * {@code ocpp-rpc} in strict JSON-schema mode ({@link OcppPeer}, {@code src/test/node/charge-point.js}),
 * with real chargers' habits, while the simulator's four EVs compete for the same 63 A fuse. Safety is
 * judged on the simulated grid meter: its phases as the gateway reads them over Modbus every cycle, and
 * the simulator's own record of seconds overloaded. The peers' EVs are not part of the simulator's
 * physics, so what each one draws (min(its wish, the profile in force) while charging, 0 once stopped or
 * paused, whatever its last MeterValues said) is put on the grid meter as the simulator's external load
 * ({@link ExternalLoadOnGridMeter}).
 *
 * <ol>
 *   <li>Finishing: after StopTransaction the EV stays plugged in and the charger sends no more
 *       MeterValues; the grid stays under the fuse for the 30 s watched.</li>
 *   <li>Paused by the car without telling: Charging all along, MeterValues first say 0 A, then stop.</li>
 *   <li>BootNotification during a running transaction: the gateway keeps steering it with a TxProfile
 *       of that transaction, and applies the later StopTransaction's meterStop.</li>
 *   <li>Per-phase energy registers next to the total do not overwrite it.</li>
 * </ol>
 * One node process serves every charge point of the class. Needs node and {@code npm ci} in
 * {@code src/test/node} ({@code .ci/run} does both); see {@link OcppPeer}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OcppIndependentPeerIT extends FuseboxKarafTestSupport {

    private static final String PORT_PROPERTY = "fusebox.itest.ocpp.port";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What each peer's EV wants per phase, and the rating its connector is configured with. */
    private static final double EV_AMPS = 16;
    private static final long METER_INTERVAL_MILLIS = 2000;
    /** How long the grid is watched after a Finishing EV stops (its reading would be stale after 3 s in the demo). */
    private static final long STRETCH_MILLIS = 30_000;
    /** The silent pause: 10 s at 0 A, then 15 s without any MeterValues (five times the demo's 3 s reading age), then 10 s resumed. */
    private static final long PAUSE_STRETCH_MILLIS = 35_000;
    private static final Pattern OVERLOADED = Pattern.compile(", ([0-9.]+) s overloaded in total");

    private static OcppPeer peer;
    private static ExternalLoadOnGridMeter externalLoad;

    @Configuration
    public Option[] options() {
        int port = freePort();
        String cfg = "etc/fusebox.driver.ocpp.cfg";
        StringBuilder chargePoints = new StringBuilder("sim-charger-1,sim-charger-2,sim-charger-3,sim-charger-4");
        for (int i = 1; i <= 4; i++) {
            chargePoints.append(",ext-cp-").append(i).append(":maxCurrent=").append((int) EV_AMPS);
        }
        return withOptions(demoSite(),
                editConfigurationFilePut(cfg, "port", Integer.toString(port)),
                editConfigurationFilePut("etc/fusebox.simulator.cfg", "ocppCentralSystemUrl", "ws://127.0.0.1:" + port + "/ocpp"),
                // EVs arrive often enough that the simulator's four connectors stay busy: the fuse is always contested
                editConfigurationFilePut("etc/fusebox.simulator.cfg", "evArrivalMeanMinutes", "5"),
                editConfigurationFilePut(cfg, "chargePoints", chargePoints.toString()),
                editConfigurationFilePut("etc/system.properties", PORT_PROPERTY, Integer.toString(port)),
                editConfigurationFilePut("etc/system.properties", OcppPeer.DIR_PROPERTY, System.getProperty(OcppPeer.DIR_PROPERTY, "")),
                editConfigurationFilePut("etc/system.properties", OcppPeer.CI_PROPERTY, Boolean.toString("true".equalsIgnoreCase(System.getenv("CI")))));
    }

    // ------------------------------------------------------------------ the scenarios

    @Test
    public void anEvFinishingAfterItsTransactionIsNotCountedAsFreeHeadroom() throws Exception {
        ControlLoop loop = runningSite();
        try (PeerChargePoint cp = chargePoint("ext-cp-1")) {
            int tx = chargeUntilSteered(cp, loop);
            cp.stopTransactionAndStayPluggedIn();
            assertEquals("after the stop the EV draws nothing", 0, cp.drawAmps(), 0);
            System.err.printf(Locale.ROOT, "ext-cp-1: transaction %d stopped at %.0f Wh, Finishing, no more MeterValues%n", tx, cp.register());

            System.err.println("external load on the grid meter now: " + externalLoad.total() + " A per phase");
            Stretch s = watch(loop, STRETCH_MILLIS, () -> true);
            System.err.println("Finishing: " + s);
            s.assertDemoEvsCharged();
            s.assertUnderTheFuse("an EV Finishing after StopTransaction (its last MeterValues said "
                    + cp.lastReportedAmps() + " A per phase, it draws 0 A)");
            assertNoViolations();
        }
    }

    @Test
    public void anEvThatStopsDrawingWithoutTellingIsNotCountedAsFreeHeadroom() throws Exception {
        ControlLoop loop = runningSite();
        try (PeerChargePoint cp = chargePoint("ext-cp-2")) {
            chargeUntilSteered(cp, loop);
            long start = System.currentTimeMillis();
            // 0-10 s: the car pauses; the charger stays Charging and reports 0 A
            // 10-25 s: it stops reporting altogether; 25-35 s: the car resumes at whatever limit it has
            Stretch s = watch(loop, PAUSE_STRETCH_MILLIS, () -> {
                long t = System.currentTimeMillis() - start;
                if (t < 10_000) {
                    cp.pauseSilently(true);
                } else if (t < 25_000) {
                    cp.stopReporting();
                } else {
                    cp.pauseSilently(false);
                    cp.resumeReporting();
                }
                return true;
            });
            System.err.println("Silent pause: " + s);
            s.assertDemoEvsCharged();
            s.assertUnderTheFuse("an EV paused by the car (Charging all along, 0 A then no MeterValues, then resuming)");
            assertNoViolations();
        }
    }

    @Test
    public void aBootNotificationDuringATransactionKeepsItSteeredAndItsMeterStopApplied() throws Exception {
        ControlLoop loop = runningSite();
        List<String> problems = new ArrayList<>();
        try (PeerChargePoint cp = chargePoint("ext-cp-3")) {
            int tx = chargeUntilSteered(cp, loop);
            cp.reboot();
            // what counts is what comes once the BootNotification is answered: a profile sent on the new socket
            // before it (the last limit re-sent on reconnect) tells nothing about the rebooted charger
            int before = cp.profileCalls.size();
            long bootCycle = loop.lastCycle().orElseThrow().cycle();
            System.err.println("ext-cp-3 rebooted during transaction " + tx + " (BootNotification answered in cycle " + bootCycle + ")");

            boolean txProfile = poll(20_000, () -> txProfilesFor(cp, tx, before) > 0);
            List<String> sent = new ArrayList<>();
            for (JsonNode p : cp.profileCalls.subList(before, cp.profileCalls.size())) {
                JsonNode prof = p.path("csChargingProfiles");
                sent.add(prof.path("chargingProfilePurpose").asText() + (prof.has("transactionId") ? "(tx " + prof.path("transactionId").asInt() + ")" : "")
                        + " " + prof.path("chargingSchedule").path("chargingSchedulePeriod").path(0).path("limit").asDouble() + " A");
            }
            System.err.println("ext-cp-3 profiles after the BootNotification: " + sent + "; the EV obeys " + cp.limitInForce() + " A");
            if (!txProfile) {
                problems.add("no TxProfile for transaction " + tx + " within 20 s after the BootNotification; sent instead: " + sent
                        + " (the charger keeps obeying its old TxProfile, " + cp.limitInForce() + " A)");
            }
            // judged on a snapshot taken well after the boot (MeterValues with the transactionId keep coming)
            waitFor("three cycles after the boot", () -> loop.lastCycle().orElseThrow().cycle() >= bootCycle + 3);
            sleep(2 * METER_INTERVAL_MILLIS);
            JsonNode afterBoot = connector("ext-cp-3");
            if (!String.valueOf(tx).equals(afterBoot.path("session").path("sessionId").asText())) {
                problems.add("the site API shows no session " + tx + " after the reboot, though MeterValues with its transactionId "
                        + "keep coming: " + afterBoot);
            }

            cp.stopTransactionAndStayPluggedIn();
            double meterStop = Math.round(cp.register());
            boolean applied = poll(10_000, () -> Math.abs(meterTotal("ext-cp-3") - meterStop) < 0.5);
            if (!applied) {
                problems.add("StopTransaction's meterStop " + meterStop + " Wh not applied: meterTotal in the site API is "
                        + meterTotal("ext-cp-3") + " Wh");
            }
            assertNoViolations();
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @Test
    public void perPhaseEnergyRegistersDoNotOverwriteTheTotal() throws Exception {
        ControlLoop loop = runningSite();
        try (PeerChargePoint cp = chargePoint("ext-cp-4")) {
            cp.startTransaction("PEER-ext-cp-4", 2000);
            cp.stopReporting();
            waitFor("ext-cp-4 in the site API", () -> !connector("ext-cp-4").path("session").isMissingNode());
            List<Map<String, Object>> values = new ArrayList<>();
            values.add(PeerChargePoint.sample(10_000, "Energy.Active.Import.Register", "Wh", null, "Sample.Periodic"));
            values.add(PeerChargePoint.sample(3_333, "Energy.Active.Import.Register", "Wh", "L1", "Sample.Periodic"));
            values.add(PeerChargePoint.sample(3_333, "Energy.Active.Import.Register", "Wh", "L2", "Sample.Periodic"));
            values.add(PeerChargePoint.sample(3_334, "Energy.Active.Import.Register", "Wh", "L3", "Sample.Periodic"));
            for (String phase : List.of("L1", "L2", "L3")) {
                values.add(PeerChargePoint.sample(cp.drawAmps(), "Current.Import", "A", phase, "Sample.Periodic"));
            }
            cp.sendMeterValues(values);
            // the reading moves only with a new MeterValues: wait for two cycles to have seen it
            long cycle = loop.lastCycle().orElseThrow().cycle();
            waitFor("two more cycles", () -> loop.lastCycle().orElseThrow().cycle() >= cycle + 2);
            poll(5_000, () -> Math.abs(meterTotal("ext-cp-4") - 10_000) < 0.5);
            JsonNode reading = connector("ext-cp-4");
            System.err.println("ext-cp-4 after total 10000 Wh and L1/L2/L3 3333/3333/3334 Wh: " + reading);
            double total = reading.path("meterTotal").path("wattHours").asDouble(Double.NaN);
            double delivered = reading.path("session").path("delivered").path("wattHours").asDouble(Double.NaN);
            List<String> problems = new ArrayList<>();
            if (Math.abs(total - 10_000) > 0.5) {
                problems.add("meterTotal " + total + " Wh, expected the total register 10000 Wh");
            }
            if (Math.abs(delivered - 8_000) > 0.5) {
                problems.add("session delivered " + delivered + " Wh, expected 10000 - meterStart 2000 = 8000 Wh");
            }
            assertNoViolations();
            if (!problems.isEmpty()) {
                fail(String.join("; ", problems));
            }
        }
    }

    // ------------------------------------------------------------------ harness

    private ControlLoop runningSite() throws Exception {
        ControlLoop loop = awaitService(ControlLoop.class);
        waitFor("the site RUNNING with its simulated devices", () -> loop.lastCycle()
                .filter(r -> r.state().mode() == ControlMode.RUNNING && r.snapshot().grid() != null
                        && r.snapshot().grid().reading() != null && r.snapshot().chargers().size() >= 4)
                .isPresent());
        waitFor("GET /fusebox/api/v1/site answering 200", () -> Http.get(httpPort(), "/fusebox/api/v1/site").status() == 200);
        synchronized (OcppIndependentPeerIT.class) {
            if (peer == null) {
                peer = OcppPeer.start(bundleContext.getProperty(OcppPeer.DIR_PROPERTY),
                        Boolean.parseBoolean(bundleContext.getProperty(OcppPeer.CI_PROPERTY)));
                OcppPeer started = peer;
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "ocpp-peer-close"));
                externalLoad = new ExternalLoadOnGridMeter(awaitService(ConfigurationAdmin.class));
            }
        }
        return loop;
    }

    /** A peer charge point with an EV that wants {@link #EV_AMPS}, connected and booted. */
    private PeerChargePoint chargePoint(String id) {
        PeerChargePoint cp = new PeerChargePoint(peer, id, EV_AMPS, METER_INTERVAL_MILLIS, externalLoad.of(id));
        JsonNode boot = cp.connectAndBoot("ws://127.0.0.1:" + bundleContext.getProperty(PORT_PROPERTY) + "/ocpp");
        assertEquals(id + " boot: " + boot, "Accepted", boot.path("status").asText());
        return cp;
    }

    /**
     * Starts a transaction and waits until the gateway steers it (a limit of 6 A or more in force, what the
     * EV draws then reported at least twice). @return the transaction id
     */
    private int chargeUntilSteered(PeerChargePoint cp, ControlLoop loop) {
        int tx = cp.startTransaction("PEER-" + cp.id, 0);
        waitFor(cp.id + " steered to 6 A or more (limit in force: " + cp.limitInForce() + " A)",
                () -> cp.drawAmps() >= PeerChargePoint.MIN_AMPS && cp.limitInForce() != null);
        sleep(2 * METER_INTERVAL_MILLIS + 500);
        System.err.printf(Locale.ROOT, "%s: transaction %d drawing %.1f A per phase under a %.1f A limit%n",
                cp.id, tx, cp.drawAmps(), cp.limitInForce());
        return tx;
    }

    private static int txProfilesFor(PeerChargePoint cp, int tx, int from) {
        int n = 0;
        for (JsonNode p : cp.profileCalls.subList(from, cp.profileCalls.size())) {
            JsonNode prof = p.path("csChargingProfiles");
            if ("TxProfile".equals(prof.path("chargingProfilePurpose").asText()) && prof.path("transactionId").asInt(-1) == tx) {
                n++;
            }
        }
        return n;
    }

    private void assertNoViolations() {
        assertTrue("the central system sent what breaks the OCPP 1.6 JSON schemas: " + peer.violations(), peer.violations().isEmpty());
    }

    /** Connector 1's reading of a charger in GET /fusebox/api/v1/site (a missing node when absent). */
    private JsonNode connector(String chargerId) {
        Http.Response r = Http.get(httpPort(), "/fusebox/api/v1/site");
        if (r.status() != 200) {
            return JSON.missingNode();
        }
        try {
            for (JsonNode c : JSON.readTree(r.body()).path("chargers")) {
                if (chargerId.equals(c.path("id").asText())) {
                    return c.path("connectors").path(0).path("reading");
                }
            }
        } catch (Exception e) {
            throw new AssertionError("unreadable site JSON: " + e);
        }
        return JSON.missingNode();
    }

    private double meterTotal(String chargerId) {
        return connector(chargerId).path("meterTotal").path("wattHours").asDouble(Double.NaN);
    }

    /** What the simulated grid meter and the simulator's fuse record showed over a stretch of cycles. */
    private record Stretch(int cycles, double highestAmps, String highestAt, int cyclesOver, double fuseAmps,
            double overloadSecondsBefore, double overloadSecondsAfter, int cyclesWithDemoEvs) {

        double overloadSeconds() {
            return overloadSecondsAfter - overloadSecondsBefore;
        }

        void assertDemoEvsCharged() {
            assertTrue("harness: the simulator's EVs did not compete for the fuse (" + this + ")",
                    cycles >= 30 && cyclesWithDemoEvs >= cycles / 2);
        }

        void assertUnderTheFuse(String situation) {
            assertTrue(String.format(Locale.ROOT, "%s: the simulated grid meter read %.1f A on a %.0f A fuse (%s), "
                    + "above it in %d of %d cycles; the simulator counted %.0f s (site time) overloaded",
                    situation, highestAmps, fuseAmps, highestAt, cyclesOver, cycles, overloadSeconds()),
                    highestAmps <= fuseAmps && overloadSeconds() == 0);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d cycles, highest phase %.1f A (%s) on %.0f A, %d cycles over, %.0f s overloaded "
                    + "(simulator), %d cycles with demo EVs charging", cycles, highestAmps, highestAt, fuseAmps, cyclesOver,
                    overloadSeconds(), cyclesWithDemoEvs);
        }
    }

    /** Watches every cycle for {@code millis}, calling {@code step} every 250 ms. */
    private Stretch watch(ControlLoop loop, long millis, BooleanSupplier step) throws Exception {
        double overloadBefore = overloadSeconds();
        CycleWatcher watcher = CycleWatcher.start(loop);
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            step.getAsBoolean();
            Thread.sleep(250);
        }
        watcher.stop();
        double overloadAfter = overloadSeconds();
        int cycles = 0;
        int over = 0;
        int withEvs = 0;
        double highest = 0;
        String at = "";
        double fuse = 0;
        for (CycleReport r : watcher.seen()) {
            if (r.snapshot().grid() == null || r.snapshot().grid().reading() == null) {
                continue;
            }
            cycles++;
            fuse = r.snapshot().limits().fuseLimit().amps();
            double cycleHigh = 0;
            for (Phase p : Phase.values()) {
                double a = Math.abs(r.snapshot().grid().reading().currents().on(p).amps());
                cycleHigh = Math.max(cycleHigh, a);
                if (a > highest) {
                    highest = a;
                    at = p + " in cycle " + r.cycle();
                }
            }
            if (cycleHigh > fuse) {
                over++;
            }
            if (r.applied().chargers().stream().anyMatch(c -> c.connector().chargerId().startsWith("sim-charger-") && c.limit().amps() >= 6)) {
                withEvs++;
            }
        }
        return new Stretch(cycles, highest, at, over, fuse, overloadBefore, overloadAfter, withEvs);
    }

    /** The simulator's own count of simulated seconds with a phase above the fuse (its health's fuse record). */
    private double overloadSeconds() throws Exception {
        for (String d : healthDetails("simulator")) {
            Matcher m = OVERLOADED.matcher(d);
            if (d.startsWith("fuse record") && m.find()) {
                return Double.parseDouble(m.group(1));
            }
        }
        throw new AssertionError("no fuse record in the simulator's health: " + healthDetails("simulator"));
    }

    private static boolean poll(long millis, BooleanSupplier condition) {
        return Polls.within(millis, condition);
    }

    private static void sleep(long millis) {
        Polls.pause(millis);
    }
}
