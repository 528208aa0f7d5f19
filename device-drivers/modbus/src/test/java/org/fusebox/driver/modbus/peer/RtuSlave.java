package org.fusebox.driver.modbus.peer;

import com.fazecast.jSerialComm.SerialPort;
import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import com.ghgande.j2mod.modbus.util.SerialParameters;
import java.nio.file.Path;

/**
 * j2mod's Modbus RTU slave on one end of a serial line, over a register image. Its serial parameters are
 * built here by hand, not by the driver's settings class, so a mistake there cannot cancel itself out.
 * Registers outside the image answer "illegal data address".
 */
public final class RtuSlave implements AutoCloseable {

    private final SerialParameters parameters = new SerialParameters();
    private final int unitId;
    private final SimpleProcessImage image;
    private ModbusSlave slave;

    /** 9600 baud, 8 data bits, even parity, 1 stop bit: the Modbus RTU default. */
    public RtuSlave(Path port, int unitId, int holdingRegisters, int inputRegisters) {
        this.unitId = unitId;
        this.image = new SimpleProcessImage(unitId);
        parameters.setPortName(port.toString());
        parameters.setBaudRate(9600);
        parameters.setDatabits(8);
        parameters.setParity(SerialPort.EVEN_PARITY);
        parameters.setStopbits(SerialPort.ONE_STOP_BIT);
        parameters.setEncoding(Modbus.SERIAL_ENCODING_RTU);
        parameters.setEcho(false);
        for (int i = 0; i < holdingRegisters; i++) {
            image.addRegister(new SimpleRegister(0));
        }
        for (int i = 0; i < inputRegisters; i++) {
            image.addInputRegister(new SimpleInputRegister(0));
        }
    }

    public void setFloat(int inputAddress, float value) {
        int bits = Float.floatToIntBits(value);
        image.setInputRegister(inputAddress, new SimpleInputRegister(bits >>> 16));
        image.setInputRegister(inputAddress + 1, new SimpleInputRegister(bits & 0xFFFF));
    }

    public int holding(int address) {
        return image.getRegister(address).toUnsignedShort();
    }

    public RtuSlave start() throws ModbusException {
        slave = ModbusSlaveFactory.createSerialSlave(parameters);
        slave.addProcessImage(unitId, image);
        slave.open();
        return this;
    }

    /**
     * Stops answering while the port stays open, as an unpowered device on an RS-485 bus: requests still
     * arrive but nobody replies. (j2mod cannot reopen a serial slave's port in the same JVM after closing it,
     * so a dead device is simulated by dropping the unit's image, which makes j2mod ignore its requests.)
     */
    public void silence() {
        slave.removeProcessImage(unitId);
    }

    /** Answers again after {@link #silence()}. */
    public void answer() {
        slave.addProcessImage(unitId, image);
    }

    @Override
    public void close() {
        if (slave != null) {
            ModbusSlaveFactory.close(slave);
            slave = null;
        }
    }
}
