package org.fusebox.cloud.mqtt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.fusebox.api.cloud.CloudException;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.MessagePriority;

/**
 * Durable messages per second through {@link MessageStore#put} (each returns only once its message is committed
 * and fsynced), for 1, 4 and 16 publisher threads and 500 B and 2 KB JSON payloads: first the store alone (no
 * broker), then the whole link ({@link MqttLink#publish}) while it drains to an embedded Moquette broker on
 * loopback. Also times a bare 4 KiB write + fsync on the same disk, the floor under any single publisher.
 *
 * <p>Not a test: run it with {@code mvn -B -o -Pbench -DskipTests verify} in this module. Arguments
 * ({@code -Dbench.args="..."}): seconds measured per case (default 5), the folder for the store files (default
 * java.io.tmpdir), and which part to run: {@code all} (default), {@code store} or {@code link}.
 */
public final class StoreThroughputBenchmark {

    private static final int[] THREADS = { 1, 4, 16 };
    private static final int[] PAYLOADS = { 500, 2048 };
    private static final long WARMUP_NANOS = 1_000_000_000L;

    private StoreThroughputBenchmark() {
    }

    @FunctionalInterface
    private interface Publisher {
        void publish(CloudMessage m) throws CloudException;
    }

    /** One case's outcome; latencies in microseconds. */
    private record Result(long messages, double seconds, long p50, long p99, long max) {
        double perSecond() {
            return messages / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        long measureNanos = (long) ((args.length > 0 ? Double.parseDouble(args[0]) : 5) * 1e9);
        Path base = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir"));
        String part = args.length > 2 ? args[2] : "all";
        if (!List.of("all", "store", "link").contains(part)) {
            throw new IllegalArgumentException("the third argument is all, store or link, not " + part);
        }
        Path dir = Files.createTempDirectory(base, "store-bench-");
        try {
            System.out.printf(Locale.ROOT, "store files in %s, %d cores, %s%n", dir, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.version"));
            fsyncFloor(dir.resolve("fsync.bin"));

            if (!part.equals("link")) {
                storeCases(dir, measureNanos);
            }
            if (!part.equals("store")) {
                linkCases(dir, measureNanos);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void storeCases(Path dir, long measureNanos) throws Exception {
        System.out.println();
        System.out.println("store alone (MessageStore.put, EVENT), no broker");
        header();
        for (int payload : PAYLOADS) {
            for (int threads : THREADS) {
                Path file = dir.resolve("store-" + payload + "-" + threads + ".mv.db");
                try (MessageStore store = new MessageStore(file, new MessageStore.Limits(100_000_000, 1L << 40, Duration.ZERO),
                        Clock.systemUTC())) {
                    Result r = run(store::put, threads, payload, measureNanos);
                    row(threads, payload, r, String.format(Locale.ROOT, "%.1f messages per fsync, file %d MiB",
                            store.size() / (double) Math.max(1, store.durablePoints()), Files.size(file) >> 20));
                }
                deleteStore(file);
            }
        }
    }

    private static void linkCases(Path dir, long measureNanos) throws Exception {
        System.out.println();
        System.out.println("whole link (MqttLink.publish, EVENT QoS 1) while it drains to Moquette on loopback");
        header();
        for (int payload : PAYLOADS) {
            for (int threads : THREADS) {
                linkCase(dir, threads, payload, measureNanos);
            }
        }
    }

    /** What the disk itself allows one writer: append 4 KiB, force, repeat. */
    private static void fsyncFloor(Path file) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(4096);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            List<Long> lat = new ArrayList<>();
            long end = System.nanoTime() + 3_000_000_000L;
            long t0 = System.nanoTime();
            while (System.nanoTime() < end) {
                long s = System.nanoTime();
                block.clear();
                ch.write(block);
                ch.force(true);
                lat.add((System.nanoTime() - s) / 1000);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] a = lat.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "disk: 4 KiB append + fsync, one thread: %.0f/s, p50 %d us, p99 %d us%n",
                    a.length / seconds, a[a.length / 2], a[(int) (a.length * 0.99)]);
        }
        Files.deleteIfExists(file);
    }

    private static void linkCase(Path dir, int threads, int payload, long measureNanos) throws Exception {
        Path file = dir.resolve("link-" + payload + "-" + threads + ".mv.db");
        CloudMqttComponent component = new CloudMqttComponent(Clock.systemUTC(), () -> Map.of("fusebox-cloud-mqtt", "bench"), dir);
        try (TestBroker broker = new TestBroker(TcpProxy.freePort()).start()) {
            // the default capacity (100,000 messages, 64 MiB): when publishing outruns draining, EVENT pushes out EVENT
            component.configure(TestConfig.of("tcp://127.0.0.1:" + broker.port, "bench" + threads + "x" + payload, file.toString()));
            MqttLink link = component.link();
            TestBroker.await("connected", 30, link::isConnected);
            MessageStore.Stats before = link.stats().orElseThrow();
            Result r = run(link::publish, threads, payload, measureNanos);
            MessageStore.Stats after = link.stats().orElseThrow();
            long dropped = after.lost() - before.lost();
            row(threads, payload, r, "queued at end " + after.total() + ", dropped " + dropped);
        } finally {
            component.deactivate();
        }
        deleteStore(file);
    }

    private static void deleteStore(Path file) throws IOException {
        Files.deleteIfExists(file);
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            for (Path p : siblings.toList()) {
                if (p.getFileName().toString().startsWith(file.getFileName().toString())) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Warm-up, then every thread publishes as fast as it can for the measured time. */
    private static Result run(Publisher publisher, int threads, int payloadBytes, long measureNanos) throws Exception {
        byte[] payload = json(payloadBytes);
        AtomicBoolean stop = new AtomicBoolean();
        long[][] latencies = new long[threads][];
        int[] counts = new int[threads];
        Throwable[] failure = new Throwable[1];
        long[] window = new long[2];
        List<Thread> workers = new ArrayList<>();
        long startAt = System.nanoTime();
        long measureFrom = startAt + WARMUP_NANOS;
        long measureTo = measureFrom + measureNanos;
        window[0] = measureFrom;
        window[1] = measureTo;
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread w = new Thread(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                try {
                    for (long i = 0; !stop.get(); i++) {
                        long s = System.nanoTime();
                        publisher.publish(new CloudMessage("bench/" + me, payload, 1, false, MessagePriority.EVENT));
                        long e = System.nanoTime();
                        if (s >= measureFrom && e <= measureTo) {
                            if (n == lat.length) {
                                lat = Arrays.copyOf(lat, n * 2);
                            }
                            lat[n++] = (e - s) / 1000;
                        }
                        if (e > measureTo) {
                            break;
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                    stop.set(true);
                }
                latencies[me] = lat;
                counts[me] = n;
            }, "publisher-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        if (failure[0] != null) {
            throw new IllegalStateException("a publisher failed", failure[0]);
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        if (total == 0) {
            return new Result(0, measureNanos / 1e9, 0, 0, 0);
        }
        return new Result(total, (window[1] - window[0]) / 1e9, all[total / 2], all[Math.min(total - 1, (int) (total * 0.99))],
                all[total - 1]);
    }

    /** A telemetry-like JSON document of exactly the given size. */
    static byte[] json(int size) {
        StringBuilder b = new StringBuilder("{\"site\":\"depot-17\",\"cycle\":123456,\"values\":[");
        int i = 0;
        while (b.length() < size - 40) {
            b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", 230.0 + (i % 97) * 0.731));
            i++;
        }
        b.append("],\"pad\":\"");
        while (b.length() < size - 2) {
            b.append('x');
        }
        b.append("\"}");
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length != size) {
            throw new IllegalStateException("payload of " + bytes.length + " bytes, wanted " + size);
        }
        return bytes;
    }

    private static void header() {
        System.out.printf(Locale.ROOT, "%8s %8s %12s %10s %10s %10s  %s%n", "threads", "payload", "msgs/s", "p50 us", "p99 us",
                "max us", "");
    }

    private static void row(int threads, int payload, Result r, String note) {
        System.out.printf(Locale.ROOT, "%8d %8d %12.0f %10d %10d %10d  %s%n", threads, payload, r.perSecond(), r.p50(), r.p99(),
                r.max(), note);
    }
}
