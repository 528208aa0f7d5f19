package org.fusebox.driver.modbus.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.fusebox.driver.modbus.peer.Waits.await;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.device.Battery;
import org.fusebox.api.device.BatteryReading;
import org.fusebox.api.device.GridMeter;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.device.PvInverter;
import org.fusebox.api.device.PvReading;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.units.Power;
import org.fusebox.driver.modbus.peer.PetriModbusServer;
import org.fusebox.driver.modbus.peer.SunSpecImage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The device layer against the digitalpetri Modbus TCP server: a SunSpec image with common model 1,
 * inverter 103, meter 203, controls 123, storage 124 and battery 802, and a plain SDM630 image, read and
 * written through the configured component as Karaf would run it.
 */
@Timeout(90)
class PeerServerDeviceTest {

    private static final int BASE = 40000;

    private PetriModbusServer server;
    private SunSpecImage image;
    private final RecordingBundleContext bundle = new RecordingBundleContext();
    private final ModbusDeviceComponent component = new ModbusDeviceComponent();

    @BeforeEach
    void start() throws Exception {
        server = new PetriModbusServer().start();
        image = new SunSpecImage(BASE).common("Fusebox", "Test site", "SN-1")
                .model(103, 50).model(203, 105).model(123, 24).model(124, 24).model(802, 62);
        // inverter 103: 5 kW, 1 234 560 Wh (WH x 10^1)
        image.set(103, 12, 5000).set(103, 13, 0).setUint32(103, 22, 123_456).set(103, 24, 1);
        // meter 203 exporting on L3; currents are magnitudes in tenths, voltages in tenths
        image.set(203, 1, 105, 110, 40).set(203, 4, -1).set(203, 6, 2300, 2320, 2340).set(203, 13, -1)
                .set(203, 14, 5000).set(203, 15, -2)
                .set(203, 16, 4000, 2400, 2500, -900).set(203, 20, 0)
                .setUint32(203, 36, 12_250).setUint32(203, 44, 1_234_500).set(203, 52, 0);
        // controls 123: no limit yet
        image.set(123, 3, 100).set(123, 7, 0).set(123, 21, 0);
        // storage 124: WChaMax 10 kW (1000 x 10^1), SoC 55.5 %, rates in hundredths of a percent, hold
        image.set(124, 0, 1000).set(124, 16, 1).set(124, 3, 0).set(124, 6, 555).set(124, 20, -1)
                .set(124, 10, 0, 0).set(124, 23, -2);
        // battery 802: 50 kWh, may charge 8 kW and discharge 9 kW now, SoC 61.2 %, W -3000 (charging)
        image.set(802, 1, 5000, 800, 900).set(802, 51, 1).set(802, 52, 1).set(802, 9, 612).set(802, 54, -1)
                .set(802, 45, -3000).set(802, 61, 0);
        image.writeTo(server::setHolding);
    }

    @AfterEach
    void stop() throws Exception {
        component.deactivate();
        server.close();
    }

    private Map<String, Object> config(String role) {
        Map<String, Object> c = new HashMap<>();
        c.put("id", role.toLowerCase());
        c.put("role", role);
        c.put("host", "127.0.0.1");
        c.put("port", server.port());
        c.put("unitId", PetriModbusServer.UNIT_ID);
        c.put("timeoutMillis", 1000);
        c.put("pollMillis", 50L);
        c.put("map", "sunspec");
        return c;
    }

    private <T> T service(Class<T> type) {
        assertThat(bundle.live).singleElement().satisfies(r -> assertThat(r.className()).isEqualTo(type.getName()));
        return type.cast(bundle.live.get(0).service());
    }

    @Test
    void aSunSpecMeterIsReadWithItsScaleFactors() throws Exception {
        component.activate(bundle.context, Configs.of(config("GRID_METER")));
        GridMeter meter = service(GridMeter.class);
        await(() -> meter.reading().isPresent(), "a meter reading");

        MeterReading r = meter.reading().orElseThrow();
        assertThat(r.power().watts()).isEqualTo(4000.0);
        assertThat(r.currents().l1().amps()).isCloseTo(10.5, within(1e-9));
        assertThat(r.currents().l3().amps()).isCloseTo(-4.0, within(1e-9));
        assertThat(r.voltage().volts()).isCloseTo(232.0, within(1e-9));
        assertThat(r.importedTotal().wattHours()).isEqualTo(1_234_500.0);
        assertThat(r.exportedTotal().wattHours()).isEqualTo(12_250.0);
        assertThat(r.frequency()).hasValue(50.0); // Hz 5000 x 10^-2
    }

    @Test
    void theSunSpecMetersFrequencyFollowsTheDeviceWithItsScaleFactor() throws Exception {
        component.activate(bundle.context, Configs.of(config("GRID_METER")));
        GridMeter meter = service(GridMeter.class);
        await(() -> meter.reading().isPresent(), "a meter reading");
        int hz = image.dataAddress(203) + 14;
        int hzSf = image.dataAddress(203) + 15;

        server.setHolding(hz, 4970);
        await(() -> Math.abs(meter.reading().orElseThrow().frequency().orElse(0) - 49.7) < 1e-9, "49.70 Hz read");

        // another scale factor: 502 x 10^-1
        server.setHolding(hz, 502).setHolding(hzSf, -1 & 0xFFFF);
        await(() -> Math.abs(meter.reading().orElseThrow().frequency().orElse(0) - 50.2) < 1e-9, "50.2 Hz read");
    }

    @Test
    void aMeterWithoutFrequencyKeepsItsReadingWithNoFrequency() throws Exception {
        image.set(203, 14, 0x8000); // int16 "not implemented"
        image.writeTo(server::setHolding);
        component.activate(bundle.context, Configs.of(config("GRID_METER")));
        GridMeter meter = service(GridMeter.class);
        await(() -> meter.reading().isPresent(), "a meter reading");

        MeterReading r = meter.reading().orElseThrow();
        assertThat(r.power().watts()).isEqualTo(4000.0);
        assertThat(r.frequency()).isEmpty();

        // a meter that says 0 Hz does not measure it either: no reading is lost over it
        server.setHolding(image.dataAddress(203) + 14, 0);
        long reads = server.holdingReads(image.dataAddress(203) + 16);
        await(() -> server.holdingReads(image.dataAddress(203) + 16) > reads + 2, "a few more polls");
        assertThat(meter.status().isOnline()).isTrue();
        assertThat(meter.reading().orElseThrow().frequency()).isEmpty();
    }

    @Test
    void slowPointsArePolledEveryNthCycleInTheirOwnBatch() throws Exception {
        Map<String, Object> c = config("GRID_METER");
        c.put("slowPollEvery", 4);
        component.activate(bundle.context, Configs.of(c));
        GridMeter meter = service(GridMeter.class);
        int power = image.dataAddress(203) + 16;
        int importEnergy = image.dataAddress(203) + 44;
        await(() -> server.holdingReads(power) >= 13, "a dozen fast polls");

        int slow = server.holdingReads(importEnergy);
        int fast = server.holdingReads(power);
        // slow reads happen on polls 0, 4, 8, ...: a quarter of the fast ones, give or take the one in flight
        assertThat(slow).isBetween(fast / 4 - 1, fast / 4 + 2);
        assertThat(meter.reading()).isPresent(); // slow values are kept between their polls
        assertThat(meter.reading().orElseThrow().importedTotal().wattHours()).isEqualTo(1_234_500.0);
    }

    @Test
    void aSunSpecInverterReportsAndTakesAnOutputLimitThroughModel123() throws Exception {
        Map<String, Object> c = config("PV_INVERTER");
        c.put("ratedPowerWatts", 10_000.0);
        component.activate(bundle.context, Configs.of(c));
        PvInverter pv = service(PvInverter.class);
        await(() -> pv.reading().isPresent(), "a PV reading");
        PvReading r = pv.reading().orElseThrow();
        assertThat(r.power().watts()).isEqualTo(5000.0);
        assertThat(r.producedTotal().wattHours()).isEqualTo(1_234_560.0);
        assertThat(pv.supportsCurtailment()).isTrue();

        WriteResult result = pv.limitOutput(Power.ofWatts(2500)).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(result.isAccepted()).as(result.detail()).isTrue();
        assertThat(server.holding(image.dataAddress(123) + 3)).isEqualTo(25);
        assertThat(server.holding(image.dataAddress(123) + 7)).isEqualTo(1);
        await(() -> pv.reading().map(x -> x.outputLimit().watts() == 2500).orElse(false), "the limit is reported");
    }

    @Test
    void aSunSpecDeviceWithModels124And802IsABattery() throws Exception {
        Map<String, Object> c = config("BATTERY");
        c.put("capacityWattHours", 50_000.0);
        c.put("maxChargeWatts", 10_000.0);
        c.put("maxDischargeWatts", 10_000.0);
        component.activate(bundle.context, Configs.of(c));
        Battery battery = service(Battery.class);
        await(() -> battery.reading().isPresent(), "a battery reading");

        BatteryReading r = battery.reading().orElseThrow();
        assertThat(r.power().watts()).isEqualTo(3000.0); // 802 W -3000 out of the battery: charging
        assertThat(r.soc().value()).isCloseTo(61.2, within(1e-9));
        assertThat(r.setpoint().watts()).isZero();
        // the battery's own limits cap the configured ratings
        assertThat(battery.ratings().maxChargePower().watts()).isEqualTo(8000.0);
        assertThat(battery.ratings().maxDischargePower().watts()).isEqualTo(9000.0);
        assertThat(battery.ratings().capacity().wattHours()).isEqualTo(50_000.0);

        int storage = image.dataAddress(124);
        WriteResult charge = battery.setPower(Power.ofWatts(5000)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(charge.isAccepted()).as(charge.detail()).isTrue();
        assertThat(server.holding(storage + 11)).isEqualTo(5000); // InWRte 50.00 % of WChaMax
        assertThat(server.holding(storage + 10)).isZero();
        assertThat(server.holding(storage + 3)).isEqualTo(1); // charge bit
        await(() -> battery.reading().map(x -> x.setpoint().watts() == 5000).orElse(false), "the setpoint reads back");

        WriteResult discharge = battery.setPower(Power.ofWatts(-2500)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(discharge.isAccepted()).isTrue();
        // OutWRte is a percentage of the discharge maximum: 802's WDisChaRteMax, 9 kW here
        assertThat(server.holding(storage + 10)).isEqualTo(2778);
        assertThat(server.holding(storage + 11)).isZero();
        assertThat(server.holding(storage + 3)).isEqualTo(2);
        await(() -> battery.reading().map(x -> Math.abs(x.setpoint().watts() + 2500) < 1).orElse(false),
                "the new setpoint");
    }

    @Test
    void aRefusedOrUnkeptSetpointIsReportedWithTheReason() throws Exception {
        Map<String, Object> c = config("BATTERY");
        c.put("capacityWattHours", 50_000.0);
        c.put("maxChargeWatts", 10_000.0);
        c.put("maxDischargeWatts", 10_000.0);
        component.activate(bundle.context, Configs.of(c));
        Battery battery = service(Battery.class);
        await(() -> battery.reading().isPresent(), "a battery reading");
        int storage = image.dataAddress(124);

        server.refuseWritesTo(storage + 3);
        WriteResult refused = battery.setPower(Power.ofWatts(1000)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(refused.outcome()).isEqualTo(WriteResult.Outcome.REJECTED);
        assertThat(refused.detail()).contains("StorCtl_Mod", "illegal data value");
        // the rates written before the refused mode are put back: the battery's setpoint is not the refused one
        assertThat(server.holding(storage + 11)).as("InWRte").isZero();
        long polls = server.holdingReads(storage + 11);
        await(() -> server.holdingReads(storage + 11) > polls + 2, "a few more polls");
        assertThat(battery.reading().orElseThrow().setpoint().watts()).isZero();

        server.ignoreWritesTo(storage + 10);
        WriteResult unkept = battery.setPower(Power.ofWatts(-1000)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(unkept.outcome()).isEqualTo(WriteResult.Outcome.FAILED);
        assertThat(unkept.detail()).contains("OutWRte", "wrote 11.1111 % but the device holds 0 %");
    }

    @Test
    void theShippedSdm630MapReadsFromTheIndependentServer() throws Exception {
        server.setInputFloat(0x00, 230f).setInputFloat(0x02, 231f).setInputFloat(0x04, 232f)
                .setInputFloat(0x06, 5f).setInputFloat(0x08, 6f).setInputFloat(0x0A, 7f)
                .setInputFloat(0x0C, 1150f).setInputFloat(0x0E, 1386f).setInputFloat(0x10, -1624f)
                .setInputFloat(0x34, 912f).setInputFloat(0x46, 50f)
                .setInputFloat(0x48, 321.5f).setInputFloat(0x4A, 2.25f);
        Map<String, Object> c = config("GRID_METER");
        c.put("map", "builtin:eastron-sdm630");
        component.activate(bundle.context, Configs.of(c));
        GridMeter meter = service(GridMeter.class);
        await(() -> meter.reading().isPresent(), "a meter reading");

        MeterReading r = meter.reading().orElseThrow();
        assertThat(r.power().watts()).isEqualTo(912.0);
        assertThat(r.currents().l3().amps()).isEqualTo(-7.0);
        assertThat(r.voltage().volts()).isCloseTo(231.0, within(1e-9));
        assertThat(r.importedTotal().wattHours()).isEqualTo(321_500.0);
        assertThat(r.exportedTotal().wattHours()).isEqualTo(2_250.0);
        assertThat(r.frequency()).hasValue(50.0);
    }
}
