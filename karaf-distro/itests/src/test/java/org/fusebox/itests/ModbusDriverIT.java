package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import java.net.InetAddress;
import java.util.Collection;
import java.util.Hashtable;
import org.fusebox.api.device.Device;
import org.fusebox.api.device.GridMeter;
import org.fusebox.api.device.MeterReading;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The Modbus driver feature on a gateway with no other Fusebox feature, one factory
 * configuration, and an Eastron SDM630 meter image served over Modbus TCP on loopback: the gateway
 * gets a GridMeter service with the meter's values.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModbusDriverIT extends FuseboxKarafTestSupport {

    @Configuration
    public Option[] options() {
        // Booted with the platform and this one feature: the test class itself uses j2mod, so the bundle
        // must be there before the probe runs (installing it alone is covered by FeatureInstallIT).
        return withOptions(distribution(), editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "featuresBoot",
                String.join(",", PLATFORM_BOOT_FEATURES) + ",fusebox-driver-modbus"));
    }

    @Test
    public void aConfiguredMeterAppearsAsAGridMeterWithItsValues() throws Exception {
        assertBundleActive("fusebox-driver-modbus");

        int port = freePort();
        SimpleProcessImage image = new SimpleProcessImage(1);
        for (int address = 0; address < 0x50; address++) {
            image.addInputRegister(new SimpleInputRegister(0));
        }
        float[] phases = { 10.5f, 12.25f, 8.0f };
        for (int p = 0; p < 3; p++) {
            putFloat(image, 0x00 + 2 * p, 231.0f);              // voltage L1..L3
            putFloat(image, 0x06 + 2 * p, phases[p]);           // current L1..L3
            putFloat(image, 0x0C + 2 * p, phases[p] * 231.0f);  // power L1..L3
        }
        putFloat(image, 0x34, (10.5f + 12.25f + 8.0f) * 231.0f); // total power
        putFloat(image, 0x46, 50.0f);                           // frequency
        putFloat(image, 0x48, 1234.5f);                         // import kWh
        putFloat(image, 0x4A, 67.25f);                          // export kWh
        ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 2, false);
        slave.addProcessImage(1, image);
        slave.open();
        try {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("id", "modbus-grid");
            props.put("role", "GRID_METER");
            props.put("host", "127.0.0.1");
            props.put("port", Integer.toString(port));
            props.put("map", "builtin:eastron-sdm630");
            props.put("pollMillis", "200");
            awaitService(ConfigurationAdmin.class).createFactoryConfiguration("fusebox.driver.modbus", "?").update(props);

            waitFor("a GridMeter modbus-grid with a reading", () -> meter().flatMap(GridMeter::reading).isPresent());
            MeterReading r = meter().orElseThrow().reading().orElseThrow();
            assertEquals(10.5, r.currents().l1().amps(), 1e-3);
            assertEquals(12.25, r.currents().l2().amps(), 1e-3);
            assertEquals(8.0, r.currents().l3().amps(), 1e-3);
            assertEquals(1_234_500, r.importedTotal().wattHours(), 1.0);
            assertEquals(67_250, r.exportedTotal().wattHours(), 1.0);
            assertEquals(231.0, r.voltage().volts(), 1e-3);
            assertEquals(true, meter().orElseThrow().status().isOnline());
        } finally {
            ModbusSlaveFactory.close(slave);
        }
        waitFor("the meter reported offline once its device is gone",
                () -> meter().map(m -> !m.status().isOnline()).orElse(false));
    }

    private java.util.Optional<GridMeter> meter() {
        try {
            Collection<ServiceReference<GridMeter>> refs = bundleContext.getServiceReferences(GridMeter.class,
                    "(" + Device.DEVICE_ID_PROPERTY + "=modbus-grid)");
            return refs.stream().findFirst().map(bundleContext::getService);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putFloat(SimpleProcessImage image, int address, float value) {
        int bits = Float.floatToIntBits(value);
        image.setInputRegister(address, new SimpleInputRegister((bits >>> 16) & 0xFFFF));
        image.setInputRegister(address + 1, new SimpleInputRegister(bits & 0xFFFF));
    }
}
