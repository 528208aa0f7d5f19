package org.fusebox.driver.modbus.rtu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fazecast.jSerialComm.SerialPort;
import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.facade.ModbusSerialMaster;
import com.ghgande.j2mod.modbus.util.SerialParameters;
import org.fusebox.api.driver.ConnectionException;
import org.fusebox.driver.modbus.ModbusMasterDriver;
import org.fusebox.driver.modbus.rtu.ModbusRtuSettings.Parity;
import org.junit.jupiter.api.Test;

/**
 * The RTU transport up to the serial port: settings are checked with every reason, turned into j2mod's
 * serial parameters and master, and a port that does not exist is a ConnectionException naming it. No
 * serial hardware (or pseudo terminal) is involved, so no RTU frame is exchanged here.
 */
class ModbusRtuTest {

    private static final String NO_SUCH_PORT = "/dev/ttyFUSEBOX-NONE";

    @Test
    void everyBadValueIsNamed() {
        assertThatThrownBy(() -> new ModbusRtuSettings(" ", 9601, 6, null, 3, 0, 0, 126, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("serialPort is empty", "baudRate 9601", "dataBits 6", "parity is missing",
                        "stopBits 3", "unitId 0", "timeoutMillis 0", "maxRegistersPerRead 126", "maxGap -1");
        assertThatThrownBy(() -> Parity.parse("mark")).hasMessageContaining("none, even, odd");
    }

    @Test
    void settingsBecomeJ2modSerialParametersForRtu() {
        ModbusRtuSettings s = new ModbusRtuSettings("/dev/ttyUSB0", 19200, 8, Parity.NONE, 2, 7, 800, 60, 0);
        SerialParameters p = s.serialParameters();
        assertThat(p.getPortName()).isEqualTo("/dev/ttyUSB0");
        assertThat(p.getBaudRate()).isEqualTo(19200);
        assertThat(p.getDatabits()).isEqualTo(8);
        assertThat(p.getParity()).isEqualTo(SerialPort.NO_PARITY);
        assertThat(p.getStopbits()).isEqualTo(SerialPort.TWO_STOP_BITS);
        assertThat(p.getEncoding()).isEqualTo(Modbus.SERIAL_ENCODING_RTU);
        assertThat(s.describe()).isEqualTo("/dev/ttyUSB0 19200 8N2 unit 7");
        assertThat(s.planner()).isNotNull();

        SerialParameters even = ModbusRtuSettings.of("COM3", 9600, Parity.EVEN, 1).serialParameters();
        assertThat(even.getParity()).isEqualTo(SerialPort.EVEN_PARITY);
        assertThat(even.getStopbits()).isEqualTo(SerialPort.ONE_STOP_BIT);
        assertThat(ModbusRtuSettings.of("COM3", 9600, Parity.NONE, 1).stopBits()).isEqualTo(2);

        ModbusSerialMaster master = (ModbusSerialMaster) s.createMaster();
        assertThat(master.isConnected()).isFalse();
        assertThat(master.getTimeout()).isEqualTo(800);
    }

    @Test
    void aMissingPortIsAConnectionExceptionNamingIt() {
        ModbusMasterDriver driver = new ModbusMasterDriver("rtu-meter",
                ModbusRtuSettings.of(NO_SUCH_PORT, 9600, Parity.EVEN, 3));
        assertThatThrownBy(driver::connect).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("rtu-meter").hasMessageContaining(NO_SUCH_PORT + " 9600 8E1 unit 3");
        assertThat(driver.connected()).isFalse();
    }
}
