package org.fusebox.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.fusebox.api.device.Battery;
import org.fusebox.api.device.EvCharger;
import org.fusebox.api.device.GridMeter;
import org.fusebox.api.device.MeterReading;
import org.fusebox.api.device.PvInverter;
import org.fusebox.simulator.model.GridFrequency;
import org.fusebox.simulator.model.SiteConfig;
import org.fusebox.simulator.model.StorageBattery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulated meter, PV inverter and battery over Modbus TCP, read and written with j2mod's plain master
 * as any SunSpec client would: the model chain, scaled values that follow the simulation, and writes that
 * drive the simulated battery and PV.
 */
@Timeout(60)
class ModbusServersTest {

    private static final Instant NOON = Instant.parse("2024-06-21T12:00:00Z");

    private final AtomicLong realNanos = new AtomicLong(5_000_000_000L);
    private final FakeBundleContext bundle = new FakeBundleContext();
    private final List<ModbusTCPMaster> masters = new ArrayList<>();
    private Simulation sim;

    @AfterEach
    void stop() {
        masters.forEach(ModbusTCPMaster::disconnect);
        if (sim != null) {
            sim.stop();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private Simulation start(ModbusExposure modbus) {
        SiteConfig site = SiteConfig.builder().start(NOON).zone(ZoneOffset.UTC).chargers(1)
                .batteryCapacityWattHours(50_000).batteryMaxChargeWatts(20_000).batteryMaxDischargeWatts(20_000)
                .batteryInitialSocPercent(50).pvPeakWatts(25_000)
                .evArrivalMeanInterval(Duration.ofDays(10_000)).build();
        // a long tick keeps the scheduled steps out of the way; the test steps by hand
        sim = new Simulation(site, 1, Duration.ofSeconds(60), realNanos::get, modbus);
        sim.start(bundle.context());
        return sim;
    }

    private ModbusTCPMaster master(int port) throws Exception {
        ModbusTCPMaster m = new ModbusTCPMaster("127.0.0.1", port, 2000, false);
        m.connect();
        m.setRetries(1);
        masters.add(m);
        return m;
    }

    /** Walks the SunSpec chain at 40000: model id to data address. */
    private static Map<Integer, Integer> models(ModbusTCPMaster m) throws Exception {
        Register[] marker = m.readMultipleRegisters(1, 40000, 2);
        assertThat(marker[0].getValue()).isEqualTo(0x5375);
        assertThat(marker[1].getValue()).isEqualTo(0x6E53);
        Map<Integer, Integer> found = new LinkedHashMap<>();
        int header = 40002;
        for (int i = 0; i < 10; i++) {
            Register[] h = m.readMultipleRegisters(1, header, 2);
            if (h[0].getValue() == 0xFFFF) {
                return found;
            }
            found.put(h[0].getValue(), header + 2);
            header += 2 + h[1].getValue();
        }
        throw new AssertionError("no end marker");
    }

    private static int word(ModbusTCPMaster m, int address) throws Exception {
        return m.readMultipleRegisters(1, address, 1)[0].getValue();
    }

    private static double scaled(ModbusTCPMaster m, int address, int sfAddress) throws Exception {
        InputRegister[] v = m.readMultipleRegisters(1, address, 1);
        short sf = (short) word(m, sfAddress);
        return v[0].toShort() * Math.pow(10, sf);
    }

    @Test
    void exposedDevicesAreServedOverModbusAndNotRegisteredInProcess() throws Exception {
        ModbusExposure modbus = new ModbusExposure("127.0.0.1", freePort(), freePort(), freePort());
        start(modbus);

        assertThat(bundle.live(GridMeter.class)).isEmpty();
        assertThat(bundle.live(PvInverter.class)).isEmpty();
        assertThat(bundle.live(Battery.class)).isEmpty();
        assertThat(bundle.live(EvCharger.class)).hasSize(1);
        assertThat(sim.modbusProblems()).isEmpty();

        assertThat(models(master(modbus.gridMeterPort())).keySet()).containsExactly(1, 203);
        assertThat(models(master(modbus.pvPort())).keySet()).containsExactly(1, 103, 123);
        assertThat(models(master(modbus.batteryPort())).keySet()).containsExactly(1, 124, 802);
    }

    @Test
    void meterRegistersFollowTheSimulation() throws Exception {
        ModbusExposure modbus = new ModbusExposure("127.0.0.1", freePort(), 0, 0);
        start(modbus);
        assertThat(bundle.live(PvInverter.class)).hasSize(1); // not exposed: still in-process
        ModbusTCPMaster m = master(modbus.gridMeterPort());
        int meter = models(m).get(203);
        for (int i = 0; i < 3; i++) {
            sim.tick();
            MeterReading r = sim.meter().reading().orElseThrow();
            double watts = scaled(m, meter + 16, meter + 20);
            double wattsResolution = Math.pow(10, (short) word(m, meter + 20));
            assertThat(watts).isCloseTo(r.power().watts(), within(wattsResolution));
            double l1 = scaled(m, meter + 1, meter + 4);
            assertThat(l1).isCloseTo(Math.abs(r.currents().l1().amps()), within(0.5));
            double volts = scaled(m, meter + 6, meter + 13);
            assertThat(volts).isCloseTo(230.0, within(0.05));
            Register[] imp = m.readMultipleRegisters(1, meter + 44, 2);
            long imported = ((long) imp[0].getValue() << 16) | imp[1].getValue();
            assertThat((double) imported).isCloseTo(r.importedTotal().wattHours(), within(0.5));
        }
    }

    @Test
    void theMeterServesTheGridFrequencyInModel203sHzPoint() throws Exception {
        ModbusExposure modbus = new ModbusExposure("127.0.0.1", freePort(), 0, 0);
        start(modbus);
        GridFrequency frequency = new GridFrequency();
        sim.connectGridFrequency(frequency);
        ModbusTCPMaster m = master(modbus.gridMeterPort());
        int meter = models(m).get(203);
        sim.tick();
        assertThat((short) word(m, meter + 15)).isEqualTo((short) -2); // Hz_SF: 0.01 Hz
        assertThat(scaled(m, meter + 14, meter + 15)).isCloseTo(50.0, within(1e-9));

        frequency.set(49.7);
        sim.tick();

        assertThat(scaled(m, meter + 14, meter + 15)).isCloseTo(49.7, within(1e-9));
        assertThat(sim.meter().reading().orElseThrow().frequency()).hasValue(49.7);
    }

    @Test
    void batterySetpointWrittenOverModbusDrivesTheSimulatedBattery() throws Exception {
        ModbusExposure modbus = new ModbusExposure("127.0.0.1", 0, 0, freePort());
        start(modbus);
        ModbusTCPMaster m = master(modbus.batteryPort());
        Map<Integer, Integer> models = models(m);
        int storage = models.get(124);
        int battery = models.get(802);
        double wChaMax = scaled(m, storage, storage + 16);
        assertThat(wChaMax).isEqualTo(20_000.0);
        assertThat(scaled(m, battery + 9, battery + 54)).isCloseTo(50.0, within(0.1));

        // charge at 25.00 % of WChaMax: rates first, then the mode bit
        m.writeSingleRegister(1, storage + 11, new SimpleRegister(2500));
        m.writeSingleRegister(1, storage + 3, new SimpleRegister(1));
        sim.tick();
        StorageBattery b = sim.model().battery().orElseThrow();
        assertThat(b.setpointWatts()).isEqualTo(5000.0);
        assertThat(b.watts()).isEqualTo(5000.0);
        // 802 W: discharging positive, so charging reads negative
        assertThat(scaled(m, battery + 45, battery + 61)).isCloseTo(-5000.0, within(10.0));

        // discharge at 10 %, written as one multiple-register request
        m.writeMultipleRegisters(1, storage + 10, new Register[] {new SimpleRegister(1000), new SimpleRegister(0)});
        m.writeSingleRegister(1, storage + 3, new SimpleRegister(2));
        sim.tick();
        assertThat(b.setpointWatts()).isEqualTo(-2000.0);
        assertThat(scaled(m, battery + 45, battery + 61)).isCloseTo(2000.0, within(10.0));
    }

    @Test
    void silenceRevertsTheBatteryRatesLikeTheWatchdog() throws Exception {
        ModbusExposure modbus = new ModbusExposure("127.0.0.1", 0, 0, freePort());
        start(modbus);
        ModbusTCPMaster m = master(modbus.batteryPort());
        int storage = models(m).get(124);
        m.writeSingleRegister(1, storage + 11, new SimpleRegister(5000));
        m.writeSingleRegister(1, storage + 3, new SimpleRegister(1));
        sim.tick();
        assertThat(sim.model().battery().orElseThrow().setpointWatts()).isEqualTo(10_000.0);

        realNanos.addAndGet(Duration.ofSeconds(11).toNanos()); // past the 10 s failsafe timeout
        sim.tick();
        assertThat(sim.model().battery().orElseThrow().setpointWatts()).isZero();
        assertThat(word(m, storage + 3)).isZero();
        assertThat(word(m, storage + 11)).isZero();
    }

    @Test
    void pvOutputLimitWrittenOverModbusCapsTheSimulatedPv() throws Exception {
        ModbusExposure modbus = new ModbusExposure("127.0.0.1", 0, freePort(), 0);
        start(modbus);
        ModbusTCPMaster m = master(modbus.pvPort());
        Map<Integer, Integer> models = models(m);
        int controls = models.get(123);
        int inverter = models.get(103);

        m.writeSingleRegister(1, controls + 3, new SimpleRegister(200)); // 20.0 %
        m.writeSingleRegister(1, controls + 7, new SimpleRegister(1));
        sim.tick();
        assertThat(sim.model().pv().orElseThrow().outputCapWatts()).isEqualTo(5000.0);
        assertThat(scaled(m, inverter + 12, inverter + 13)).isLessThanOrEqualTo(5000.0);
        assertThat(scaled(m, inverter + 12, inverter + 13)).isCloseTo(sim.model().pv().orElseThrow().watts(),
                within(10.0));

        m.writeSingleRegister(1, controls + 7, new SimpleRegister(0));
        sim.tick();
        assertThat(sim.model().pv().orElseThrow().outputCapWatts()).isEqualTo(25_000.0);
    }

    @Test
    void readOnlyRegistersAndAddressesOutsideTheImageAreRefused() throws Exception {
        ModbusExposure modbus = new ModbusExposure("127.0.0.1", freePort(), 0, 0);
        start(modbus);
        ModbusTCPMaster m = master(modbus.gridMeterPort());
        int meter = models(m).get(203);
        assertThatThrownBy(() -> m.writeSingleRegister(1, meter + 16, new SimpleRegister(1)))
                .isInstanceOf(ModbusSlaveException.class).hasMessageContaining("llegal");
        assertThatThrownBy(() -> m.readMultipleRegisters(1, 30000, 2))
                .isInstanceOf(ModbusSlaveException.class);
        assertThatThrownBy(() -> m.readInputRegisters(1, 0, 2)).isInstanceOf(ModbusSlaveException.class);
    }

    @Test
    void aPortInUseLeavesTheDeviceInProcessAndSaysWhy() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            start(new ModbusExposure("127.0.0.1", taken.getLocalPort(), 0, 0));
            assertThat(bundle.live(GridMeter.class)).hasSize(1);
            assertThat(sim.modbusProblems()).singleElement().asString()
                    .contains("sim-grid", String.valueOf(taken.getLocalPort()), "in-process");
        }
    }
}
