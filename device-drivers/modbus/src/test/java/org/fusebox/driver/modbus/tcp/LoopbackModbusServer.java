package org.fusebox.driver.modbus.tcp;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * j2mod's own Modbus TCP slave on a free loopback port: an independent server implementation, so the
 * driver is tested against code we did not write. Registers outside the image answer "illegal data
 * address", as a real device does.
 */
public final class LoopbackModbusServer implements AutoCloseable {

    public static final int UNIT_ID = 1;

    private final int port;
    private final SimpleProcessImage image = new SimpleProcessImage(UNIT_ID);
    private ModbusSlave slave;

    public LoopbackModbusServer(int holdingRegisters, int inputRegisters) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        for (int i = 0; i < holdingRegisters; i++) {
            image.addRegister(new SimpleRegister(0));
        }
        for (int i = 0; i < inputRegisters; i++) {
            image.addInputRegister(new SimpleInputRegister(0));
        }
    }

    public int port() {
        return port;
    }

    SimpleProcessImage image() {
        return image;
    }

    public void setHolding(int address, int... words) {
        for (int i = 0; i < words.length; i++) {
            image.getRegister(address + i).setValue(words[i]);
        }
    }

    public void setInput(int address, int... words) {
        for (int i = 0; i < words.length; i++) {
            image.setInputRegister(address + i, new SimpleInputRegister(words[i]));
        }
    }

    int holding(int address) {
        return image.getRegister(address).toUnsignedShort();
    }

    public LoopbackModbusServer start() throws ModbusException {
        slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 4, false);
        slave.addProcessImage(UNIT_ID, image);
        slave.open();
        return this;
    }

    void stop() {
        if (slave != null) {
            ModbusSlaveFactory.close(slave);
            slave = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
