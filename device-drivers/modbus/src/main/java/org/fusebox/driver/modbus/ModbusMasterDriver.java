package org.fusebox.driver.modbus.tcp;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusIOException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fusebox.api.driver.Channel;
import org.fusebox.api.driver.ChannelRecord;
import org.fusebox.api.driver.ConnectionException;
import org.fusebox.api.driver.Driver;
import org.fusebox.api.driver.PreparedRead;
import org.fusebox.driver.modbus.ModbusReplyException;
import org.fusebox.driver.modbus.PlannedRead;
import org.fusebox.driver.modbus.PointChannels;
import org.fusebox.driver.modbus.RegisterReader;
import org.fusebox.driver.modbus.map.Point;
import org.fusebox.driver.modbus.map.RegisterCodec;
import org.fusebox.driver.modbus.map.RegisterType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Driver} for one Modbus TCP device over one connection. A transport failure closes the
 * connection and surfaces as a {@link ConnectionException}; the next call connects again, so a device that
 * comes back is picked up without a restart. Modbus exception replies fail only the channels they concern.
 */
public final class ModbusTcpDriver implements Driver, RegisterReader {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusTcpDriver.class);

    private final String id;
    private final ModbusTcpSettings settings;
    private final Clock clock;
    private ModbusTCPMaster master;

    public ModbusTcpDriver(String id, ModbusTcpSettings settings, Clock clock) {
        this.id = Objects.requireNonNull(id, "id");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ModbusTcpDriver(String id, ModbusTcpSettings settings) {
        this(id, settings, Clock.systemUTC());
    }

    @Override
    public String id() {
        return id;
    }

    public synchronized boolean connected() {
        return master != null && master.isConnected();
    }

    @Override
    public synchronized void connect() throws ConnectionException {
        if (connected()) {
            return;
        }
        disconnect();
        // reconnecting=false keeps one socket for all requests instead of one per transaction
        ModbusTCPMaster fresh = new ModbusTCPMaster(settings.host(), settings.port(), settings.timeoutMillis(),
                false);
        // j2mod's own retries would multiply the timeout; a failed cycle is cheaper than a stalled one
        fresh.setRetries(1);
        try {
            fresh.connect();
        } catch (Exception e) {
            fresh.disconnect();
            throw new ConnectionException(id + ": cannot connect to " + where() + ": " + reason(e), e);
        }
        master = fresh;
        LOG.info("{}: connected to {}", id, where());
    }

    @Override
    public synchronized void disconnect() {
        if (master != null) {
            master.disconnect();
            master = null;
        }
    }

    @Override
    public synchronized List<ChannelRecord> read(List<Channel> channels) throws ConnectionException {
        return new PlannedRead(channels, settings.planner(), clock).execute(this);
    }

    @Override
    public PreparedRead prepareRead(List<Channel> channels) {
        PlannedRead plan = new PlannedRead(channels, settings.planner(), clock);
        return new PreparedRead() {
            @Override
            public List<Channel> channels() {
                return plan.channels();
            }

            @Override
            public List<ChannelRecord> execute() throws ConnectionException {
                synchronized (ModbusTcpDriver.this) {
                    return plan.execute(ModbusTcpDriver.this);
                }
            }

            @Override
            public void close() {
                // the plan holds no resources; the connection belongs to the driver
            }
        };
    }

    @Override
    public synchronized int[] read(RegisterType type, int address, int count)
            throws ModbusReplyException, ConnectionException {
        connect();
        try {
            InputRegister[] registers = type == RegisterType.HOLDING
                    ? master.readMultipleRegisters(settings.unitId(), address, count)
                    : master.readInputRegisters(settings.unitId(), address, count);
            int[] words = new int[registers.length];
            for (int i = 0; i < registers.length; i++) {
                words[i] = registers[i].toUnsignedShort();
            }
            return words;
        } catch (ModbusException e) {
            throw translate(e, "read " + count + " " + type.name().toLowerCase() + " registers at " + address);
        }
    }

    @Override
    public synchronized List<ChannelRecord> write(List<ChannelRecord> values) throws ConnectionException {
        List<ChannelRecord> results = new ArrayList<>(values.size());
        for (ChannelRecord value : values) {
            results.add(writeOne(value));
        }
        return results;
    }

    private ChannelRecord writeOne(ChannelRecord value) throws ConnectionException {
        Channel channel = value.channel();
        Instant now = clock.instant();
        if (value.value() == null) {
            return ChannelRecord.failure(channel, "nothing to write", now);
        }
        Point point;
        int[] words;
        try {
            point = PointChannels.toPoint(channel);
            if (!point.registerType().writable()) {
                return ChannelRecord.failure(channel, "input registers cannot be written", now);
            }
            if (point.scaleFactorAddress() != null) {
                return ChannelRecord.failure(channel, "writing a point scaled by a scale-factor register is not "
                        + "supported yet; write the raw register instead", now);
            }
            double raw = RegisterCodec.scale(value.value().asDouble(), -point.scale());
            words = RegisterCodec.encode(point.type(), point.wordOrder(), raw);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return ChannelRecord.failure(channel, e.getMessage(), now);
        }
        try {
            writeWords(point.address(), words);
            return ChannelRecord.success(channel, value.value(), clock.instant());
        } catch (ModbusReplyException e) {
            return ChannelRecord.failure(channel, e.getMessage(), clock.instant());
        }
    }

    /** Writes holding registers: function 6 for one word, 16 for more. */
    public synchronized void writeWords(int address, int[] words) throws ModbusReplyException, ConnectionException {
        connect();
        try {
            if (words.length == 1) {
                master.writeSingleRegister(settings.unitId(), address, new SimpleRegister(words[0]));
            } else {
                Register[] registers = new Register[words.length];
                for (int i = 0; i < words.length; i++) {
                    registers[i] = new SimpleRegister(words[i]);
                }
                master.writeMultipleRegisters(settings.unitId(), address, registers);
            }
        } catch (ModbusException e) {
            throw translate(e, "write " + words.length + " registers at " + address);
        }
    }

    /**
     * An exception reply leaves the connection usable; anything else (timeout, reset, garbled frame) may
     * leave the stream out of step, so the connection is dropped and rebuilt on the next call.
     */
    private ModbusReplyException translate(ModbusException e, String what) throws ConnectionException {
        if (e instanceof ModbusSlaveException slave) {
            return new ModbusReplyException(slave.getType(), what + ": device replied "
                    + ModbusReplyException.describe(slave.getType()));
        }
        disconnect();
        String kind = e instanceof ModbusIOException ? "connection failed" : "bad reply";
        throw new ConnectionException(id + ": " + what + " at " + where() + ": " + kind + ": " + reason(e), e);
    }

    private String where() {
        return settings.host() + ":" + settings.port() + " unit " + settings.unitId();
    }

    private static String reason(Throwable e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        if ((message == null || message.isBlank()) && cause != null) {
            return reason(cause);
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
