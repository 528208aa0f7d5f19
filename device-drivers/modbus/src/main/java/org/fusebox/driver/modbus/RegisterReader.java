package org.fusebox.driver.modbus;

import org.fusebox.api.driver.ConnectionException;
import org.fusebox.driver.modbus.map.RegisterType;

/** Reads a run of registers from one device; the seam between decoding and the wire. */
@FunctionalInterface
public interface RegisterReader {

    /**
     * @return {@code count} words, each 0..65535
     * @throws ModbusReplyException the device answered with a Modbus exception (the connection is fine)
     * @throws ConnectionException  the device could not be reached or the reply never came
     */
    int[] read(RegisterType type, int address, int count) throws ModbusReplyException, ConnectionException;
}
