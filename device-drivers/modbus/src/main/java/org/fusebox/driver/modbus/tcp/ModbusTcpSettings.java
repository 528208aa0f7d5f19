package org.fusebox.driver.modbus.tcp;

import com.ghgande.j2mod.modbus.facade.AbstractModbusMaster;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import java.util.Objects;
import org.fusebox.driver.modbus.ModbusTransport;
import org.fusebox.driver.modbus.map.ReadPlanner;

/**
 * Where a Modbus TCP device is and how patiently to talk to it.
 *
 * @param host                host name or address
 * @param port                TCP port, usually 502
 * @param unitId              Modbus unit id (slave id), 0..255; gateways use it to pick the device behind them
 * @param timeoutMillis       connect and reply timeout; a silent device costs at most this per request
 * @param maxRegistersPerRead cap per read request, 1..125
 * @param maxGap              unused registers read to join two neighbouring spans
 */
public record ModbusTcpSettings(String host, int port, int unitId, int timeoutMillis, int maxRegistersPerRead,
        int maxGap) implements ModbusTransport {

    public ModbusTcpSettings {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535");
        }
        if (unitId < 0 || unitId > 255) {
            throw new IllegalArgumentException("unit id must be 0..255");
        }
        if (timeoutMillis < 1) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    public static ModbusTcpSettings of(String host, int port, int unitId) {
        return new ModbusTcpSettings(host, port, unitId, 1000, ReadPlanner.MAX_REGISTERS_PER_READ, 8);
    }

    public ModbusTcpSettings withTimeout(int millis) {
        return new ModbusTcpSettings(host, port, unitId, millis, maxRegistersPerRead, maxGap);
    }

    public ModbusTcpSettings withMaxGap(int gap) {
        return new ModbusTcpSettings(host, port, unitId, timeoutMillis, maxRegistersPerRead, gap);
    }

    @Override
    public AbstractModbusMaster createMaster() {
        // reconnecting=false keeps one socket for all requests instead of one per transaction
        return new ModbusTCPMaster(host, port, timeoutMillis, false);
    }

    @Override
    public ReadPlanner planner() {
        return new ReadPlanner(maxRegistersPerRead, maxGap);
    }

    @Override
    public String describe() {
        return host + ":" + port + " unit " + unitId;
    }
}
