package org.fusebox.driver.modbus.peer;

import com.digitalpetri.modbus.ExceptionCode;
import com.digitalpetri.modbus.FunctionCode;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersResponse;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadInputRegistersResponse;
import com.digitalpetri.modbus.pdu.WriteMultipleRegistersRequest;
import com.digitalpetri.modbus.pdu.WriteMultipleRegistersResponse;
import com.digitalpetri.modbus.pdu.WriteSingleRegisterRequest;
import com.digitalpetri.modbus.pdu.WriteSingleRegisterResponse;
import com.digitalpetri.modbus.server.ModbusRequestContext;
import com.digitalpetri.modbus.server.ModbusServices;
import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The digitalpetri Modbus TCP server (a netty implementation we did not write) on a free loopback port,
 * over a register image: registers not mapped answer "illegal data address", writes to registers marked
 * read-only answer "illegal data value", and every read is counted per register so tests can tell how
 * often a point was polled.
 */
public final class PetriModbusServer implements AutoCloseable {

    public static final int UNIT_ID = 1;

    private final int[] holding = new int[65536];
    private final int[] input = new int[65536];
    private final BitSet holdingMapped = new BitSet(65536);
    private final BitSet inputMapped = new BitSet(65536);
    private final Set<Integer> readOnly = ConcurrentHashMap.newKeySet();
    private final Set<Integer> ignoresWrites = ConcurrentHashMap.newKeySet();
    private final AtomicIntegerArray holdingReads = new AtomicIntegerArray(65536);
    private final AtomicIntegerArray inputReads = new AtomicIntegerArray(65536);
    private final int port;
    private ModbusTcpServer server;

    public PetriModbusServer() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public synchronized PetriModbusServer setHolding(int address, int... words) {
        for (int i = 0; i < words.length; i++) {
            holding[address + i] = words[i] & 0xFFFF;
            holdingMapped.set(address + i);
        }
        return this;
    }

    public synchronized PetriModbusServer setInput(int address, int... words) {
        for (int i = 0; i < words.length; i++) {
            input[address + i] = words[i] & 0xFFFF;
            inputMapped.set(address + i);
        }
        return this;
    }

    public synchronized PetriModbusServer setInputFloat(int address, float value) {
        int bits = Float.floatToIntBits(value);
        return setInput(address, bits >>> 16, bits & 0xFFFF);
    }

    public synchronized int holding(int address) {
        return holding[address];
    }

    /** Writes to this register are refused with "illegal data value", as a device does for a bad setpoint. */
    public void refuseWritesTo(int address) {
        readOnly.add(address);
    }

    /** Writes to this register are acknowledged but not kept, as a device that clamps or ignores them. */
    public void ignoreWritesTo(int address) {
        ignoresWrites.add(address);
    }

    public int holdingReads(int address) {
        return holdingReads.get(address);
    }

    public int inputReads(int address) {
        return inputReads.get(address);
    }

    public PetriModbusServer start() throws Exception {
        NettyTcpServerTransport transport = NettyTcpServerTransport.create(cfg -> {
            cfg.bindAddress = "127.0.0.1";
            cfg.port = port;
        });
        server = ModbusTcpServer.create(transport, new Services());
        server.start();
        return this;
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    private synchronized byte[] read(int[] table, BitSet mapped, AtomicIntegerArray counts, FunctionCode function,
            int address, int quantity) throws ModbusResponseException {
        if (quantity < 1 || quantity > 125 || address + quantity > 65536
                || mapped.nextClearBit(address) < address + quantity) {
            throw new ModbusResponseException(function, ExceptionCode.ILLEGAL_DATA_ADDRESS);
        }
        byte[] bytes = new byte[quantity * 2];
        for (int i = 0; i < quantity; i++) {
            counts.incrementAndGet(address + i);
            bytes[2 * i] = (byte) (table[address + i] >>> 8);
            bytes[2 * i + 1] = (byte) table[address + i];
        }
        return bytes;
    }

    private synchronized void write(FunctionCode function, int address, int[] words) throws ModbusResponseException {
        for (int i = 0; i < words.length; i++) {
            if (!holdingMapped.get(address + i)) {
                throw new ModbusResponseException(function, ExceptionCode.ILLEGAL_DATA_ADDRESS);
            }
            if (readOnly.contains(address + i)) {
                throw new ModbusResponseException(function, ExceptionCode.ILLEGAL_DATA_VALUE);
            }
        }
        for (int i = 0; i < words.length; i++) {
            if (!ignoresWrites.contains(address + i)) {
                holding[address + i] = words[i];
            }
        }
    }

    private final class Services implements ModbusServices {
        @Override
        public ReadHoldingRegistersResponse readHoldingRegisters(ModbusRequestContext context, int unitId,
                ReadHoldingRegistersRequest request) throws ModbusResponseException {
            return new ReadHoldingRegistersResponse(read(holding, holdingMapped, holdingReads,
                    FunctionCode.READ_HOLDING_REGISTERS, request.address(), request.quantity()));
        }

        @Override
        public ReadInputRegistersResponse readInputRegisters(ModbusRequestContext context, int unitId,
                ReadInputRegistersRequest request) throws ModbusResponseException {
            return new ReadInputRegistersResponse(read(input, inputMapped, inputReads,
                    FunctionCode.READ_INPUT_REGISTERS, request.address(), request.quantity()));
        }

        @Override
        public WriteSingleRegisterResponse writeSingleRegister(ModbusRequestContext context, int unitId,
                WriteSingleRegisterRequest request) throws ModbusResponseException {
            write(FunctionCode.WRITE_SINGLE_REGISTER, request.address(), new int[] {request.value() & 0xFFFF});
            return new WriteSingleRegisterResponse(request.address(), request.value());
        }

        @Override
        public WriteMultipleRegistersResponse writeMultipleRegisters(ModbusRequestContext context, int unitId,
                WriteMultipleRegistersRequest request) throws ModbusResponseException {
            byte[] v = request.values();
            int[] words = new int[request.quantity()];
            for (int i = 0; i < words.length; i++) {
                words[i] = ((v[2 * i] & 0xFF) << 8) | (v[2 * i + 1] & 0xFF);
            }
            write(FunctionCode.WRITE_MULTIPLE_REGISTERS, request.address(), words);
            return new WriteMultipleRegistersResponse(request.address(), request.quantity());
        }
    }
}
