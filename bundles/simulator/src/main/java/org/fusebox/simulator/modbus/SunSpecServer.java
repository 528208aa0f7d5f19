package org.fusebox.simulator.modbus;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Consumer;
import org.fusebox.simulator.model.SiteModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated device served over Modbus TCP by j2mod's slave, unit id 1, with a SunSpec map at 40000.
 * The simulation calls {@link #update} on its own thread after every step; writes arrive on j2mod's
 * threads and reach the model only through the simulator's command queue.
 */
public abstract class SunSpecServer implements AutoCloseable {

    public static final int UNIT_ID = 1;
    static final int HZ_SF = -2;
    static final int V_SF = -1;

    private static final Logger LOG = LoggerFactory.getLogger(SunSpecServer.class);

    /** Queues a write to the model, under a target key that later writes to the same target replace. */
    @FunctionalInterface
    public interface CommandSink {
        void submit(String target, Consumer<SiteModel> command);
    }

    private final String deviceId;
    private SunSpecRegisters registers;
    private ModbusSlave slave;
    private String where = "";

    SunSpecServer(String deviceId) {
        this.deviceId = deviceId;
    }

    /** Set once by the subclass's constructor, whose write listeners may then refer to the server. */
    final void use(SunSpecRegisters image) {
        if (registers != null) {
            throw new IllegalStateException("the image is set once");
        }
        registers = image;
    }

    public String deviceId() {
        return deviceId;
    }

    public SunSpecRegisters registers() {
        return registers;
    }

    /** Where it listens, for logs and health: "127.0.0.1:5020". */
    public String where() {
        return where;
    }

    /** Binds and starts serving. @throws ModbusException when the port cannot be had */
    public synchronized void start(String host, int port) throws ModbusException {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ModbusException("unknown host " + host);
        }
        ModbusSlave s = ModbusSlaveFactory.createTCPSlave(address, port, 4, false);
        s.addProcessImage(UNIT_ID, registers);
        try {
            s.open();
        } catch (ModbusException e) {
            ModbusSlaveFactory.close(s);
            throw e;
        }
        slave = s;
        where = host + ":" + port;
        LOG.info("Simulated {} served over Modbus TCP at {} unit {} (SunSpec at {})", deviceId, where, UNIT_ID,
                SunSpecRegisters.BASE);
    }

    /** Takes the model's values after a step. Called on the simulation thread. */
    public abstract void update(SiteModel model, long realNanos);

    @Override
    public synchronized void close() {
        if (slave != null) {
            ModbusSlaveFactory.close(slave);
            slave = null;
        }
    }

    /**
     * The smallest power of ten that lets {@code maxAbs} fit the register: 32767 for int16, 65534 for
     * uint16 (65535 means "not implemented"). Values are then sent as round(value / 10^sf).
     */
    static int scaleFactorFor(double maxAbs, boolean signed) {
        double limit = signed ? Short.MAX_VALUE : 0xFFFE;
        for (int sf = -3; sf < 10; sf++) {
            if (Math.abs(maxAbs) / Math.pow(10, sf) <= limit) {
                return sf;
            }
        }
        return 10;
    }

    static long raw(double value, int sf) {
        return Math.round(value / Math.pow(10, sf));
    }

    static double scaled(int raw, int sf) {
        return raw * Math.pow(10, sf);
    }

    /** Fills offsets with a value, e.g. the "not implemented" value of their type. */
    static void fill(SunSpecRegisters r, int model, int value, int... offsets) {
        for (int o : offsets) {
            r.set(model, o, value);
        }
    }
}
