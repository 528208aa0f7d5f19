package org.fusebox.driver.modbus;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.ModbusIOException;
import com.ghgande.j2mod.modbus.ModbusSlaveException;
import com.ghgande.j2mod.modbus.facade.AbstractModbusMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.driver.Channel;
import org.fusebox.api.driver.ChannelRecord;
import org.fusebox.api.driver.ConnectionException;
import org.fusebox.api.driver.Driver;
import org.fusebox.api.driver.PreparedRead;
import org.fusebox.driver.modbus.map.Point;
import org.fusebox.driver.modbus.map.RegisterCodec;
import org.fusebox.driver.modbus.map.RegisterType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Driver} for one Modbus device over one connection, TCP or serial (RTU), through j2mod's master. A transport failure closes the
 * connection and surfaces as a {@link ConnectionException}; the next call connects again, so a device that
 * comes back is picked up without a restart. Modbus exception replies fail only the channels they concern.
 */
public final class ModbusMasterDriver implements Driver, RegisterReader {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusMasterDriver.class);

    private final String id;
    private final ModbusTransport settings;
    private final Clock clock;
    private final RequestCounters counters;
    private AbstractModbusMaster master;
    private long connections;
    private final java.util.Set<String> refusedOptional = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ModbusMasterDriver(String id, ModbusTransport settings, Clock clock) {
        this(id, settings, clock, new RequestCounters());
    }

    /** @param counters where requests, failures and connections are counted (kept by the device across drivers) */
    public ModbusMasterDriver(String id, ModbusTransport settings, Clock clock, RequestCounters counters) {
        this.id = Objects.requireNonNull(id, "id");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /** What this driver's requests came to. */
    public RequestCounters counters() {
        return counters;
    }

    public ModbusMasterDriver(String id, ModbusTransport settings) {
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
        AbstractModbusMaster fresh = settings.createMaster();
        try {
            fresh.connect();
        } catch (Exception e) {
            fresh.disconnect();
            counters.connectFailed();
            throw new ConnectionException(id + ": cannot connect to " + where() + ": " + reason(e), e);
        }
        // j2mod's own retries (five, with random sleeps between) would multiply the timeout; a failed cycle is
        // cheaper than a stalled one. connect() builds a new transaction with the default, so this comes after.
        fresh.setRetries(1);
        master = fresh;
        connections++;
        counters.connected();
        LOG.info("{}: connected to {}", id, where());
    }

    /** How many connections were made so far; a new one means the device may have restarted. */
    public synchronized long connections() {
        return connections;
    }

    /** Whether the device refused a write of this optional point before; it is then not written again. */
    public boolean refusedOptional(String pointName) {
        return refusedOptional.contains(pointName);
    }

    public void markRefusedOptional(String pointName, String why) {
        if (refusedOptional.add(pointName)) {
            LOG.warn("{}: the device does not take the optional point {} ({}); setpoints are written without it",
                    id, pointName, why);
        }
    }

    @Override
    public synchronized void disconnect() {
        if (master != null) {
            master.disconnect();
            master = null;
            counters.disconnected();
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
                synchronized (ModbusMasterDriver.this) {
                    return plan.execute(ModbusMasterDriver.this);
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
        counters.requested();
        try {
            InputRegister[] registers = type == RegisterType.HOLDING
                    ? master.readMultipleRegisters(settings.unitId(), address, count)
                    : master.readInputRegisters(settings.unitId(), address, count);
            if (registers.length != count) {
                // the callers fail the request's channels as a short reply
                counters.failed(RequestCounters.Failure.MALFORMED);
            }
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
        if (value.value() == null) {
            return ChannelRecord.failure(channel, "nothing to write", clock.instant());
        }
        Point point;
        double wanted;
        try {
            point = PointChannels.toPoint(channel);
            wanted = value.value().asDouble();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return ChannelRecord.failure(channel, e.getMessage(), clock.instant());
        }
        WriteResult result = writePoint(point, wanted);
        return result.isAccepted() ? ChannelRecord.success(channel, value.value(), clock.instant())
                : ChannelRecord.failure(channel, result.outcome() + ": " + result.detail(), clock.instant());
    }

    /**
     * Writes one point in its engineering units: unscales it (by its fixed scale or by its scale-factor
     * register, read first), encodes it, writes it, and when the point says {@code verify} reads it back.
     *
     * @return ACCEPTED; REJECTED when the value cannot be encoded or the device answered with an exception;
     *         FAILED when the read-back differs or the reply was unusable
     * @throws ConnectionException when the device could not be reached (the connection is dropped)
     */
    public synchronized WriteResult writePoint(Point point, double value) throws ConnectionException {
        if (!point.registerType().writable()) {
            return WriteResult.rejected(point.name() + ": input registers cannot be written");
        }
        if (!Double.isFinite(value)) {
            return WriteResult.rejected(point.name() + ": " + value + " is not a number that can be written");
        }
        try {
            long exponent = point.scale();
            if (point.scaleFactorAddress() != null) {
                int[] sf = read(point.registerType(), point.scaleFactorAddress(), 1);
                OptionalLong sfValue = sf.length == 1 ? RegisterCodec.decodeScaleFactor(sf[0]) : OptionalLong.empty();
                if (sfValue.isEmpty()) {
                    return WriteResult.failed(point.name() + ": scale factor at " + point.scaleFactorAddress()
                            + " is not implemented or unreadable");
                }
                exponent = sfValue.getAsLong();
            }
            double raw = RegisterCodec.scale(value, -exponent);
            int[] words;
            try {
                words = RegisterCodec.encode(point.type(), point.wordOrder(), raw);
            } catch (IllegalArgumentException e) {
                return WriteResult.rejected(point.name() + ": " + value + " " + point.unit() + " is " + raw
                        + " raw, which " + e.getMessage().replaceFirst("^\\S+ ", ""));
            }
            writeWords(point.address(), words);
            if (!point.verify()) {
                return WriteResult.accepted();
            }
            int[] back = read(point.registerType(), point.address(), words.length);
            if (!java.util.Arrays.equals(back, words)) {
                return WriteResult.failed(point.name() + ": wrote " + readable(value) + " " + point.unit()
                        + " but the device holds " + heldValue(point, back, exponent));
            }
            return WriteResult.accepted();
        } catch (ModbusReplyException e) {
            return WriteResult.rejected(point.name() + ": " + e.getMessage());
        }
    }

    /** Writes holding registers: function 6 for one word, 16 for more. */
    public synchronized void writeWords(int address, int[] words) throws ModbusReplyException, ConnectionException {
        connect();
        counters.requested();
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
        counters.failed(RequestCounters.Failure.of(e));
        if (e instanceof ModbusSlaveException slave) {
            return new ModbusReplyException(slave.getType(), what + ": device replied "
                    + ModbusReplyException.describe(slave.getType()));
        }
        disconnect();
        String kind = e instanceof ModbusIOException ? "connection failed" : "bad reply";
        throw new ConnectionException(id + ": " + what + " at " + where() + ": " + kind + ": " + reason(e), e);
    }

    private static String heldValue(Point point, int[] back, long exponent) {
        if (back.length != point.type().words()) {
            return back.length + " registers instead of " + point.type().words();
        }
        java.util.OptionalDouble raw = RegisterCodec.decodeUnscaled(point.type(), point.wordOrder(), back);
        return raw.isEmpty() ? "no value (not implemented)"
                : readable(RegisterCodec.scale(raw.getAsDouble(), exponent)) + " " + point.unit();
    }

    private static String readable(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    // j2mod puts whole frames in hex into some messages; a reason is for people, so they become a byte count
    private static final java.util.regex.Pattern HEX_DUMP =
            java.util.regex.Pattern.compile("(?:\\b[0-9a-fA-F]{2}(?:[ :,]|$)){4,}|\\b(?=[0-9]*[a-fA-F])[0-9a-fA-F]{16,}\\b");

    static String readableReason(String message) {
        java.util.regex.Matcher m = HEX_DUMP.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String dump = m.group().trim();
            int bytes = dump.contains(" ") || dump.contains(":") || dump.contains(",")
                    ? dump.split("[ :,]+").length : dump.length() / 2;
            m.appendReplacement(out, "(" + bytes + " bytes) ");
        }
        m.appendTail(out);
        return out.toString().trim().replaceAll("\\s{2,}", " ");
    }

    private String where() {
        return settings.describe();
    }

    private static String reason(Throwable e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        if ((message == null || message.isBlank()) && cause != null) {
            return reason(cause);
        }
        return message == null ? e.getClass().getSimpleName() : readableReason(message);
    }
}
