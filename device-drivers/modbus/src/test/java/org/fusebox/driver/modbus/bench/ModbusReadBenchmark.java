package org.fusebox.driver.modbus.bench;

import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fusebox.api.driver.Channel;
import org.fusebox.api.driver.ChannelRecord;
import org.fusebox.api.driver.PreparedRead;
import org.fusebox.driver.modbus.ModbusMasterDriver;
import org.fusebox.driver.modbus.PointChannels;
import org.fusebox.driver.modbus.map.Point;
import org.fusebox.driver.modbus.map.ReadPlanner;
import org.fusebox.driver.modbus.map.RegisterMap;
import org.fusebox.driver.modbus.map.RegisterMapReader;
import org.fusebox.driver.modbus.map.RegisterSpan;
import org.fusebox.driver.modbus.map.RegisterType;
import org.fusebox.driver.modbus.tcp.LoopbackModbusServer;
import org.fusebox.driver.modbus.tcp.ModbusTcpSettings;

/**
 * Registers per second for the shipped SDM630 map (13 points, 26 registers) against j2mod's Modbus TCP
 * slave on loopback: our driver's planned read (requests, decoding, channel records) against bare j2mod
 * reads of the same planned requests (no decoding), and bare j2mod reading point by point, as a simple
 * integration would. Not a test: run it with {@code mvn -B -o -Pbench -DskipTests verify} in this module.
 * Each case runs a warm-up and then three timed rounds; the median round is reported. Bounded in time
 * (about 40 s) and talks only to 127.0.0.1.
 */
public final class ModbusReadBenchmark {

    private static final long WARMUP_NANOS = 2_000_000_000L;
    private static final long ROUND_NANOS = 3_000_000_000L;
    private static final int ROUNDS = 3;

    private ModbusReadBenchmark() {
    }

    @FunctionalInterface
    private interface Iteration {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        RegisterMap map;
        try (InputStream in = ModbusReadBenchmark.class.getResourceAsStream("/maps/eastron-sdm630.json")) {
            map = new RegisterMapReader().read(in);
        }
        int pointRegisters = map.points().stream().mapToInt(p -> p.type().words()).sum();
        List<Channel> channels = map.points().stream().map(PointChannels::toChannel).toList();
        List<RegisterSpan> planned = ReadPlanner.defaults().planPoints(map.points());

        try (LoopbackModbusServer server = new LoopbackModbusServer(1, 128).start()) {
            for (int a = 0; a < 128; a += 2) {
                int bits = Float.floatToIntBits(a * 1.5f);
                server.setInput(a, bits >>> 16, bits & 0xFFFF);
            }
            ModbusMasterDriver driver = new ModbusMasterDriver("bench",
                    ModbusTcpSettings.of("127.0.0.1", server.port(), LoopbackModbusServer.UNIT_ID));
            PreparedRead read = driver.prepareRead(channels);
            ModbusTCPMaster bare = new ModbusTCPMaster("127.0.0.1", server.port(), 1000, false);
            bare.connect();
            bare.setRetries(1);
            try {
                System.out.printf(Locale.ROOT, "SDM630 map: %d points, %d registers; planned requests %s%n",
                        map.points().size(), pointRegisters, planned);
                report("fusebox driver, planned read + decode", planned.size(), pointRegisters, () -> {
                    List<ChannelRecord> records = read.execute();
                    if (!records.get(0).succeeded()) {
                        throw new IllegalStateException(records.get(0).error());
                    }
                });
                report("bare j2mod, same planned requests", planned.size(), pointRegisters, () -> {
                    for (RegisterSpan span : planned) {
                        InputRegister[] r = bare.readInputRegisters(LoopbackModbusServer.UNIT_ID, span.address(),
                                span.count());
                        if (r.length != span.count()) {
                            throw new IllegalStateException("short reply");
                        }
                    }
                });
                List<Point> points = new ArrayList<>(map.points());
                report("bare j2mod, one request per point", points.size(), pointRegisters, () -> {
                    for (Point p : points) {
                        if (p.registerType() == RegisterType.INPUT) {
                            bare.readInputRegisters(LoopbackModbusServer.UNIT_ID, p.address(), p.type().words());
                        }
                    }
                });
            } finally {
                bare.disconnect();
                driver.disconnect();
            }
        }
    }

    private static void report(String name, int requestsPerIteration, int registersPerIteration, Iteration iteration)
            throws Exception {
        runFor(WARMUP_NANOS, iteration);
        double[] rates = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            long iterations = runFor(ROUND_NANOS, iteration);
            double seconds = (System.nanoTime() - start) / 1e9;
            rates[i] = iterations / seconds;
        }
        java.util.Arrays.sort(rates);
        double perSecond = rates[ROUNDS / 2];
        System.out.printf(Locale.ROOT,
                "%-40s %8.0f reads/s  %9.0f registers/s  %8.0f requests/s  (%.1f us per read; rounds %.0f..%.0f reads/s)%n",
                name, perSecond, perSecond * registersPerIteration, perSecond * requestsPerIteration,
                1e6 / perSecond, rates[0], rates[ROUNDS - 1]);
    }

    private static long runFor(long nanos, Iteration iteration) throws Exception {
        long end = System.nanoTime() + nanos;
        long n = 0;
        while (System.nanoTime() < end) {
            iteration.run();
            n++;
        }
        return n;
    }
}
