package org.fusebox.driver.modbus;

import com.ghgande.j2mod.modbus.facade.AbstractModbusMaster;
import org.fusebox.driver.modbus.map.ReadPlanner;

/**
 * How to reach one Modbus device: the wire (TCP or a serial line), the unit id behind it and how patiently
 * to wait for replies. Implementations are validated records; building the master opens nothing.
 */
public interface ModbusTransport {

    /** A new, unconnected j2mod master for this wire. */
    AbstractModbusMaster createMaster();

    int unitId();

    /** Reply timeout per request; a silent device costs at most about this per request. */
    int timeoutMillis();

    ReadPlanner planner();

    /** Where the device is, for messages: "host:port unit 1" or "/dev/ttyUSB0 9600 8N1 unit 3". */
    String describe();
}
