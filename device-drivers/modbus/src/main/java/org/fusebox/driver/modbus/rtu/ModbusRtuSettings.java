package org.fusebox.driver.modbus.rtu;

import com.fazecast.jSerialComm.SerialPort;
import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.facade.AbstractModbusMaster;
import com.ghgande.j2mod.modbus.facade.ModbusSerialMaster;
import com.ghgande.j2mod.modbus.util.SerialParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.fusebox.driver.modbus.ModbusTransport;
import org.fusebox.driver.modbus.map.ReadPlanner;

/**
 * A Modbus RTU device on a serial line (RS-485 adapter, usually /dev/ttyUSB0 or COM3).
 *
 * @param portName            the serial port's system name
 * @param baudRate            line speed, one of the usual rates
 * @param dataBits            7 or 8 (RTU needs 8; 7 only for odd gateways)
 * @param parity              none, even or odd (Modbus RTU's default is even)
 * @param stopBits            1 or 2
 * @param unitId              slave address on the bus, 1..247 (0 is broadcast, which never answers)
 * @param timeoutMillis       reply timeout per request
 * @param maxRegistersPerRead cap per read request, 1..125
 * @param maxGap              unused registers read to join two neighbouring spans
 */
public record ModbusRtuSettings(String portName, int baudRate, int dataBits, Parity parity, int stopBits,
        int unitId, int timeoutMillis, int maxRegistersPerRead, int maxGap) implements ModbusTransport {

    public static final Set<Integer> BAUD_RATES = Set.of(1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200);

    /** Parity of each character. */
    public enum Parity {
        NONE, EVEN, ODD;

        /** @throws IllegalArgumentException naming the allowed values */
        public static Parity parse(String text) {
            try {
                return valueOf(String.valueOf(text).trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("parity '" + text + "' is not one of none, even, odd");
            }
        }
    }

    public ModbusRtuSettings {
        List<String> problems = problems(portName, baudRate, dataBits, parity, stopBits, unitId, timeoutMillis,
                maxRegistersPerRead, maxGap);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** Every reason these values cannot make a serial link; empty when they can. */
    public static List<String> problems(String portName, int baudRate, int dataBits, Parity parity, int stopBits,
            int unitId, int timeoutMillis, int maxRegistersPerRead, int maxGap) {
        List<String> problems = new ArrayList<>();
        if (portName == null || portName.isBlank()) {
            problems.add("serialPort is empty (e.g. /dev/ttyUSB0 or COM3)");
        }
        if (!BAUD_RATES.contains(baudRate)) {
            problems.add("baudRate " + baudRate + " is not one of " + BAUD_RATES.stream().sorted().toList());
        }
        if (dataBits != 7 && dataBits != 8) {
            problems.add("dataBits " + dataBits + " is not 7 or 8");
        }
        if (parity == null) {
            problems.add("parity is missing (none, even or odd)");
        }
        if (stopBits != 1 && stopBits != 2) {
            problems.add("stopBits " + stopBits + " is not 1 or 2");
        }
        if (unitId < 1 || unitId > 247) {
            problems.add("unitId " + unitId + " is outside 1..247 on a serial bus");
        }
        if (timeoutMillis < 1 || timeoutMillis > 60_000) {
            problems.add("timeoutMillis " + timeoutMillis + " is outside 1..60000");
        }
        if (maxRegistersPerRead < 1 || maxRegistersPerRead > ReadPlanner.MAX_REGISTERS_PER_READ) {
            problems.add("maxRegistersPerRead " + maxRegistersPerRead + " is outside 1.."
                    + ReadPlanner.MAX_REGISTERS_PER_READ);
        }
        if (maxGap < 0) {
            problems.add("maxGap " + maxGap + " is negative");
        }
        return problems;
    }

    public static ModbusRtuSettings of(String portName, int baudRate, Parity parity, int unitId) {
        return new ModbusRtuSettings(portName, baudRate, 8, parity, parity == Parity.NONE ? 2 : 1, unitId, 1000,
                ReadPlanner.MAX_REGISTERS_PER_READ, 8);
    }

    /** The j2mod serial parameters: RTU encoding, no flow control, echo off. */
    public SerialParameters serialParameters() {
        SerialParameters p = new SerialParameters();
        p.setPortName(portName);
        p.setBaudRate(baudRate);
        p.setDatabits(dataBits);
        p.setParity(parity.name().toLowerCase(Locale.ROOT));
        p.setStopbits(String.valueOf(stopBits));
        p.setEncoding(Modbus.SERIAL_ENCODING_RTU);
        p.setEcho(false);
        return p;
    }

    @Override
    public AbstractModbusMaster createMaster() {
        releasePort();
        return new ModbusSerialMaster(serialParameters(), timeoutMillis);
    }

    /**
     * j2mod cannot reopen a serial port it has closed itself (its next open fails three times), while an open
     * and close through jSerialComm directly puts the port back in a state j2mod opens again. Done before
     * every new master, so a device that went silent is picked up when it answers again.
     */
    private void releasePort() {
        try {
            SerialPort port = SerialPort.getCommPort(portName);
            if (port.openPort()) {
                port.closePort();
            }
        } catch (RuntimeException e) {
            // a port that is not there: j2mod's own open reports it with the reason
        }
    }

    @Override
    public ReadPlanner planner() {
        return new ReadPlanner(maxRegistersPerRead, maxGap);
    }

    @Override
    public String describe() {
        return portName + " " + baudRate + " " + dataBits + parity.name().charAt(0) + stopBits + " unit " + unitId;
    }
}
