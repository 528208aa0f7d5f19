package org.fusebox.driver.modbus.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.fusebox.driver.modbus.peer.Waits.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.fusebox.api.device.Battery;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.Device;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.GridMeter;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.device.PvInverter;
import org.fusebox.api.device.PvReading;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.units.Power;
import org.fusebox.driver.modbus.peer.PyModbusServer;
import org.fusebox.driver.modbus.peer.SunSpecImage;
import org.junit.jupiter.api.AfterAll;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The device layer against Debian's pymodbus, a Modbus TCP server we did not write, serving SunSpec images
 * and misbehaving on command (src/test/python/sunspec_server.py): lost, garbled and mismatched replies,
 * exception replies, refused registers inside a batch, slow answers, a layout that changes on reconnect.
 * Assertions are on what the driver reports: readings, DeviceStatus and reasons.
 */
@Timeout(120)
class PyModbusDeviceTest {

    private static final int BASE = 40000;
    private static PyModbusServer server;

    private final RecordingBundleContext bundle = new RecordingBundleContext();
    private final ModbusDeviceComponent component = new ModbusDeviceComponent();
    private Sampler sampler;

    @BeforeAll
    static void startServer() throws Exception {
        server = PyModbusServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void cleanServer() {
        server.delay(0);
        server.drop(0);
        server.garble(0);
        server.wrongTransactionId(0);
        server.refuse(0, 4);
        server.refuseWrites(0, 4);
    }

    @AfterEach
    void stop() {
        if (sampler != null) {
            sampler.stop();
        }
        component.deactivate();
    }

    // ---- images

    /** Meter 203: 4 kW import, L3 exporting, as the digitalpetri test uses. */
    static SunSpecImage meter(SunSpecImage image) {
        return image.set(203, 1, 105, 110, 40).set(203, 4, -1).set(203, 6, 2300, 2320, 2340).set(203, 13, -1)
                .set(203, 14, 5000).set(203, 15, -2)
                .set(203, 16, 4000, 2400, 2500, -900).set(203, 20, 0)
                .setUint32(203, 36, 12_250).setUint32(203, 44, 1_234_500).set(203, 52, 0);
    }

    static SunSpecImage meterImage() {
        return meter(new SunSpecImage(BASE).common("Fusebox", "Meter", "M-1").model(203, 105));
    }

    /** Inverter 103 producing {@code tenthsOfWatt}/10 W, WH 300,000,000 Wh (30,000,000 x 10). */
    static SunSpecImage inverter(SunSpecImage image, int tenthsOfWatt) {
        return image.set(103, 12, tenthsOfWatt).set(103, 13, -1).setUint32(103, 22, 30_000_000).set(103, 24, 1)
                .set(103, 29, 0).set(103, 30, 0);
    }

    private Map<String, Object> config(String role) {
        Map<String, Object> c = new HashMap<>();
        c.put("id", role.toLowerCase());
        c.put("role", role);
        c.put("host", "127.0.0.1");
        c.put("port", server.port());
        c.put("unitId", 1);
        c.put("timeoutMillis", 500);
        c.put("pollMillis", 200L);
        c.put("map", "sunspec");
        return c;
    }

    private <T> T activate(Map<String, Object> c, Class<T> type) {
        component.activate(bundle.context, Configs.of(c));
        assertThat(bundle.live).singleElement().satisfies(r -> assertThat(r.className()).isEqualTo(type.getName()));
        return type.cast(bundle.live.get(0).service());
    }

    /** Samples status and reading every 10 ms, as a control loop reading at any moment would. */
    static final class Sampler {
        record Sample(Instant at, DeviceStatus status, Object reading) {
        }

        final List<Sample> samples = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Sampler(Device device, Supplier<Object> reading) {
            thread = new Thread(() -> {
                while (running.get()) {
                    samples.add(new Sample(Instant.now(), device.status(), reading.get()));
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        List<Sample> since(int index) {
            List<Sample> all = new ArrayList<>(samples);
            return all.subList(index, all.size());
        }

        void stop() {
            running.set(false);
            thread.interrupt();
        }
    }

    // ---- item 2: one bad reply keeps the meter online, marked stale

    @Test
    void oneBadReplyKeepsTheLastReadingMarkedStaleAndTheMeterOnline() throws Exception {
        meterImage().writeTo(server.asImage());
        GridMeter meter = activate(config("GRID_METER"), GridMeter.class);
        await(() -> meter.reading().isPresent() && meter.status().isOnline(), "a meter reading");
        sampler = new Sampler(meter, () -> meter.reading().orElse(null));
        // after every poll, failed or not, the listeners hear of it: the stale mark cannot slip between samples
        List<Sampler.Sample> afterPolls = new CopyOnWriteArrayList<>();
        meter.addReadingListener(d -> afterPolls.add(new Sampler.Sample(Instant.now(), meter.status(),
                meter.reading().orElse(null))));
        Map<String, Runnable> faults = new java.util.LinkedHashMap<>();
        faults.put("a lost reply", () -> server.drop(1));
        faults.put("a garbled reply", () -> server.garble(1));
        faults.put("a reply with another transaction id", () -> server.wrongTransactionId(1));
        faults.put("an exception reply", () -> server.refuse(1, 4));
        for (Map.Entry<String, Runnable> fault : faults.entrySet()) {
            int from = sampler.samples.size();
            int polled = afterPolls.size();
            fault.getValue().run();
            await(() -> afterPolls.subList(polled, afterPolls.size()).stream().anyMatch(s -> s.status().stale()),
                    "a stale mark after " + fault.getKey());
            await(() -> {
                List<Sampler.Sample> s = new ArrayList<>(afterPolls);
                return !s.get(s.size() - 1).status().stale();
            }, "a fresh reading again after " + fault.getKey());
            List<Sampler.Sample> window = new ArrayList<>(sampler.since(from));
            window.addAll(afterPolls.subList(polled, afterPolls.size()));
            assertThat(window).as("every sample after one bad reply").allSatisfy(s -> {
                assertThat(s.status().isOnline()).as(s.status().toString()).isTrue();
                assertThat(s.reading()).as("the reading while " + s.status()).isNotNull();
            });
            Sampler.Sample stale = window.stream().filter(s -> s.status().stale()).findFirst().orElseThrow();
            assertThat(stale.status().reason()).isNotBlank().doesNotContainPattern("([0-9a-fA-F]{2} ){4}");
            // the stale reading is the last good one, with its own timestamp
            MeterReading r = (MeterReading) stale.reading();
            assertThat(r.power().watts()).isEqualTo(4000.0);
            assertThat(Duration.between(r.timestamp(), stale.at()).toMillis()).isLessThan(2_000);
        }
    }

    @Test
    void aReadingOlderThanTheStaleBoundMakesTheMeterOfflineAndTheFirstAnswerBringsItBack() throws Exception {
        meterImage().writeTo(server.asImage());
        GridMeter meter = activate(config("GRID_METER"), GridMeter.class);
        await(() -> meter.reading().isPresent(), "a meter reading");
        server.drop(1_000_000);
        await(() -> meter.status().state() == DeviceStatus.State.OFFLINE, "OFFLINE once the reading is too old");
        assertThat(meter.reading()).isEmpty();
        assertThat(meter.status().reason()).contains("grid_meter");
        Thread.sleep(3_000); // long enough for the old back-off to have doubled past 3 s
        server.drop(0);
        long t0 = System.nanoTime();
        await(() -> meter.status().isOnline() && meter.reading().isPresent(), "online again");
        // with maxBackoffMillis 5000 the wait is at most one back-off step and a poll
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000 + 2_000);
    }

    @Test
    void aDeviceAnsweringWithErrorsIsPolledAtTheNormalRateSoItRecoversAtOnce() throws Exception {
        meterImage().writeTo(server.asImage());
        GridMeter meter = activate(config("GRID_METER"), GridMeter.class);
        await(() -> meter.reading().isPresent(), "a meter reading");
        server.refuse(1_000_000, 4);
        await(() -> meter.status().state() == DeviceStatus.State.FAULT, "FAULT once the reading is too old");
        assertThat(meter.status().reason()).contains("server device failure");
        Thread.sleep(6_000); // a doubling back-off would wait 6.4 s by now
        int before = server.requests();
        Thread.sleep(1_000);
        // polled at the poll rate while faulty: about five polls a second
        assertThat(server.requests() - before).isGreaterThanOrEqualTo(3);
        server.refuse(0, 4);
        await(() -> meter.status().isOnline() && meter.reading().isPresent(), "online again");
    }

    // ---- item 1: the layout is read again on reconnect and periodically

    @Test
    void aLayoutThatShiftsOnReconnectIsBoundAgainAndNeverReadWithTheOldOne() throws Exception {
        SunSpecImage before = inverter(new SunSpecImage(BASE).common("Fusebox", "Inverter", "I-1")
                .model(103, 50), 500).writeTo(server.asImage());
        Map<String, Object> c = config("PV_INVERTER");
        c.put("ratedPowerWatts", 10_000.0);
        List<Event> posted = new CopyOnWriteArrayList<>();
        component.eventAdmin = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                posted.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                posted.add(event);
            }
        };
        PvInverter pv = activate(c, PvInverter.class);
        await(() -> pv.reading().map(r -> Math.abs(r.power().watts() - 50.0) < 1e-6).orElse(false), "50 W");
        sampler = new Sampler(pv, () -> pv.reading().orElse(null));

        // a firmware update: a nameplate model 120 now comes first, so model 103 moves 28 registers on
        SunSpecImage after = new SunSpecImage(BASE).common("Fusebox", "Inverter", "I-1").model(120, 26)
                .model(103, 50);
        inverter(after, 30_001).writeTo(server.onReconnect());
        assertThat(after.dataAddress(103)).isNotEqualTo(before.dataAddress(103));
        server.disconnectClients();
        await(() -> pv.reading().map(r -> Math.abs(r.power().watts() - 3000.1) < 1e-6).orElse(false), "3,000.1 W");
        PvReading r = pv.reading().orElseThrow();
        assertThat(r.producedTotal().wattHours()).isEqualTo(300_000_000.0);
        assertThat(posted).singleElement().satisfies(e -> {
            assertThat(e.getTopic()).isEqualTo(FuseboxEvents.DEVICE_LAYOUT_CHANGED);
            assertThat((String) e.getProperty(FuseboxEvents.OLD)).doesNotContain("120@");
            assertThat((String) e.getProperty(FuseboxEvents.NEW)).contains("120@");
        });
        assertThat(sampler.samples).as("never a value read with the old layout").allSatisfy(s -> {
            if (s.reading() instanceof PvReading p) {
                assertThat(p.power().watts()).isIn(50.0, 3000.1);
                assertThat(p.producedTotal().wattHours()).isEqualTo(300_000_000.0);
            }
        });
    }

    @Test
    void aModelThatDisappearsIsAFaultNamingItAndItsReturnIsBoundAgain() throws Exception {
        meterImage().writeTo(server.asImage());
        GridMeter meter = activate(config("GRID_METER"), GridMeter.class);
        await(() -> meter.reading().isPresent(), "a meter reading");

        new SunSpecImage(BASE).common("Fusebox", "Meter", "M-1").model(103, 50).writeTo(server.onReconnect());
        server.disconnectClients();
        await(() -> meter.status().state() == DeviceStatus.State.FAULT, "FAULT");
        assertThat(meter.status().reason()).contains("model 203 is no longer in the device's model chain [1, 103]",
                "meter model");
        assertThat(meter.reading()).isEmpty();

        meterImage().writeTo(server.onReconnect());
        server.disconnectClients();
        await(() -> meter.status().isOnline() && meter.reading().isPresent(), "the meter bound again");
        assertThat(meter.reading().orElseThrow().power().watts()).isEqualTo(4000.0);
    }

    @Test
    void aLayoutChangedWithoutReconnectIsFoundByThePeriodicRescan() throws Exception {
        inverter(new SunSpecImage(BASE).common("Fusebox", "Inverter", "I-1").model(103, 50), 500)
                .writeTo(server.asImage());
        Map<String, Object> c = config("PV_INVERTER");
        c.put("ratedPowerWatts", 10_000.0);
        c.put("rescanMillis", 500L);
        PvInverter pv = activate(c, PvInverter.class);
        await(() -> pv.reading().map(r -> Math.abs(r.power().watts() - 50.0) < 1e-6).orElse(false), "50 W");
        inverter(new SunSpecImage(BASE).common("Fusebox", "Inverter", "I-1").model(120, 26).model(103, 50), 30_001)
                .writeTo(server.asImage());
        await(() -> pv.reading().map(r -> Math.abs(r.power().watts() - 3000.1) < 1e-6).orElse(false),
                "3,000.1 W after a rescan");
    }

    // ---- item 4: refused registers inside a batch

    @Test
    void aBatchRefusedForUnusedRegistersIsSplitAndThePlanRemembersTheHoles() throws Exception {
        SunSpecImage image = meterImage().writeTo(server.asImage());
        int m = image.dataAddress(203);
        server.holes(m + 9, 4);   // PPVphAB..CA and PPV: not read by the driver
        server.holes(m + 21, 4);  // VA .. VA_SF
        GridMeter meter = activate(config("GRID_METER"), GridMeter.class);
        await(() -> meter.reading().isPresent() && meter.status().isOnline(), "a reading around the holes");
        MeterReading r = meter.reading().orElseThrow();
        assertThat(r.power().watts()).isEqualTo(4000.0);
        assertThat(r.currents().l3().amps()).isCloseTo(-4.0, within(1e-9));
        int errors = server.errors();
        int requests = server.requests();
        await(() -> server.requests() > requests + 20, "twenty more requests");
        assertThat(server.errors()).as("refusals after the plan was split").isEqualTo(errors);
        assertThat(meter.status().isOnline()).isTrue();
    }

    @Test
    void aNeededPointThatIsRefusedIsAFaultNamingThatPoint() throws Exception {
        SunSpecImage image = meterImage().writeTo(server.asImage());
        server.holes(image.dataAddress(203) + 16, 1); // W
        GridMeter meter = activate(config("GRID_METER"), GridMeter.class);
        await(() -> meter.status().state() == DeviceStatus.State.FAULT, "FAULT");
        assertThat(meter.status().reason()).startsWith("point powerTotal:").contains("illegal data address",
                String.valueOf(image.dataAddress(203) + 16));
    }

    // ---- item 3: a slow device gets a reading every poll, not one long poll

    @Test
    void aSlowDeviceSpreadsItsSlowRequestsAndNeverFlaps() throws Exception {
        meterImage().writeTo(server.asImage());
        Map<String, Object> c = config("GRID_METER");
        c.put("maxGap", 0);           // three fast and three slow requests per full poll
        c.put("slowPollEvery", 1);
        c.put("timeoutMillis", 2_000);
        GridMeter meter = activate(c, GridMeter.class);
        await(() -> meter.reading().isPresent(), "a first reading");
        server.delay(700);
        // a full poll takes 6 x 0.7 = 4.2 s; spread, a poll takes 3 fast + 1 slow = 2.8 s
        Thread.sleep(5_000);
        sampler = new Sampler(meter, () -> meter.reading().orElse(null));
        Thread.sleep(12_000);
        List<Instant> stamps = sampler.samples.stream().map(s -> ((MeterReading) s.reading()).timestamp())
                .distinct().toList();
        assertThat(sampler.samples).allSatisfy(s -> assertThat(s.status().isOnline() && !s.status().stale())
                .as(s.status().toString()).isTrue());
        assertThat(stamps).hasSizeGreaterThanOrEqualTo(3);
        for (int i = 1; i < stamps.size(); i++) {
            assertThat(Duration.between(stamps.get(i - 1), stamps.get(i)).toMillis())
                    .as("time between two readings").isLessThan(4_000);
        }
        assertThat(meter.reading().orElseThrow().importedTotal().wattHours()).isEqualTo(1_234_500.0);
    }

    // ---- item 5: curtailment read back, released when no one asks

    @Test
    void aCapLeftOnTheInverterIsShownAndReleasedAndAnAskedCapIsKeptOnlyWhileRenewed() throws Exception {
        SunSpecImage image = inverter(new SunSpecImage(BASE).common("Fusebox", "Inverter", "I-1").model(103, 50)
                .model(123, 24), 50_000);
        image.set(123, 3, 30).set(123, 5, 0).set(123, 7, 1).set(123, 21, 0); // left at 30 %, enabled
        image.writeTo(server.asImage());
        int controls = image.dataAddress(123);
        Map<String, Object> c = config("PV_INVERTER");
        c.put("ratedPowerWatts", 10_000.0);
        c.put("revertSeconds", 2);
        List<Double> limits = new CopyOnWriteArrayList<>();
        server.refuseWrites(3, 6); // busy for a few polls, so the held cap is seen before its release
        PvInverter pv = activate(c, PvInverter.class);
        pv.addReadingListener(d -> pv.reading().ifPresent(r -> limits.add(r.outputLimit().watts())));
        await(() -> limits.contains(10_000.0), "the cap released");
        assertThat(limits.indexOf(3000.0)).as("the cap the inverter held, read back: " + limits)
                .isNotNegative().isLessThan(limits.indexOf(10_000.0));
        assertThat(server.get(controls + 7, 1)[0]).as("WMaxLim_Ena").isZero();

        WriteResult asked = pv.limitOutput(Power.ofWatts(4000)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(asked.isAccepted()).as(asked.detail()).isTrue();
        assertThat(server.get(controls + 3, 5)).containsExactly(40, 0xFFFF, 2, 0xFFFF, 1); // pct, RvrtTms 2 s, Ena
        await(() -> pv.reading().map(r -> r.outputLimit().watts() == 4000.0).orElse(false), "4 kW read back");
        // no one renews it: released once the revert timeout is over
        await(() -> pv.reading().map(r -> r.outputLimit().watts() == 10_000.0).orElse(false), "released");
        assertThat(server.get(controls + 7, 1)[0]).isZero();
    }

    @Test
    void theStartUpReleaseIsTriedAgainUntilTheInverterTakesIt() throws Exception {
        SunSpecImage image = inverter(new SunSpecImage(BASE).common("Fusebox", "Inverter", "I-1").model(103, 50)
                .model(123, 24), 50_000);
        image.set(123, 3, 30).set(123, 7, 1).set(123, 21, 0);
        image.writeTo(server.asImage());
        int controls = image.dataAddress(123);
        // an inverter still starting up: its first five writes are refused (server device busy)
        server.refuseWrites(5, 6);
        int errors = server.errors();
        Map<String, Object> c = config("PV_INVERTER");
        c.put("ratedPowerWatts", 10_000.0);
        PvInverter pv = activate(c, PvInverter.class);
        await(() -> pv.reading().map(r -> r.outputLimit().watts() == 10_000.0).orElse(false), "the cap released");
        assertThat(server.errors() - errors).as("refused writes before the release went through").isEqualTo(5);
        assertThat(server.get(controls + 7, 1)[0]).as("WMaxLim_Ena").isZero();
    }

    // ---- item 7: storage controls

    @Test
    void storageRatesCarryTheRevertTimeoutAndGridChargingAndDischargeUsesTheDischargeMaximum() throws Exception {
        SunSpecImage image = new SunSpecImage(BASE).common("Fusebox", "Battery", "B-1").model(124, 24)
                .model(802, 62);
        image.set(124, 0, 1000).set(124, 16, 1).set(124, 3, 0).set(124, 6, 555).set(124, 20, -1)
                .set(124, 10, 0, 0).set(124, 13, 0).set(124, 15, 1).set(124, 23, -2);
        image.set(802, 1, 5000, 800, 900).set(802, 51, 1).set(802, 52, 1).set(802, 9, 612).set(802, 54, -1)
                .set(802, 45, -3000).set(802, 61, 0);
        image.writeTo(server.asImage());
        int storage = image.dataAddress(124);
        Map<String, Object> c = config("BATTERY");
        c.put("capacityWattHours", 50_000.0);
        c.put("maxChargeWatts", 10_000.0);
        c.put("maxDischargeWatts", 10_000.0);
        c.put("revertSeconds", 20);
        c.put("gridCharging", false);
        Battery battery = activate(c, Battery.class);
        await(() -> battery.reading().isPresent(), "a battery reading");

        WriteResult charge = battery.setPower(Power.ofWatts(4000)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(charge.isAccepted()).as(charge.detail()).isTrue();
        assertThat(server.get(storage + 10, 6)).containsExactly(0, 4000, 0xFFFF, 20, 0xFFFF, 0); // In 40 % of 10 kW
        WriteResult discharge = battery.setPower(Power.ofWatts(-4500)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(discharge.isAccepted()).isTrue();
        // OutWRte: % of the discharge maximum, 802's WDisChaRteMax 9 kW, not of WChaMax 10 kW
        assertThat(server.get(storage + 10, 2)).containsExactly(5000, 0);
        assertThat(server.get(storage + 3, 1)[0]).isEqualTo(2);
        await(() -> battery.reading().map(r -> Math.abs(r.setpoint().watts() + 4500) < 1).orElse(false),
                "-4.5 kW read back");
    }

    @Test
    void aHybridInverterWithoutModel802ReportsItsDcSideAsTheBatteryPower() throws Exception {
        SunSpecImage image = new SunSpecImage(BASE).common("Fusebox", "Hybrid", "H-1").model(103, 50).model(124, 24);
        inverter(image, 40_000).set(103, 29, 1500).set(103, 30, 0); // AC 4 kW with PV; DC side 1.5 kW out
        image.set(124, 0, 1000).set(124, 16, 1).set(124, 3, 0).set(124, 6, 555).set(124, 20, -1)
                .set(124, 10, 0, 0).set(124, 23, -2);
        image.writeTo(server.asImage());
        Map<String, Object> c = config("BATTERY");
        c.put("capacityWattHours", 10_000.0);
        c.put("maxChargeWatts", 5_000.0);
        c.put("maxDischargeWatts", 5_000.0);
        Battery battery = activate(c, Battery.class);
        await(() -> battery.reading().isPresent(), "a battery reading");
        BatteryReading r = battery.reading().orElseThrow();
        assertThat(r.power().watts()).as("discharging 1.5 kW, not the AC 4 kW").isEqualTo(-1500.0);
        assertThat(r.soc().value()).isCloseTo(55.5, within(1e-9));
    }
}
