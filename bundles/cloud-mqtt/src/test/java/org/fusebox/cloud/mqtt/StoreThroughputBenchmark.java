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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.fusebox.api.cloud.CloudException;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.MessagePriority;

/**
 * Durable messages per second, for 500 B and 2 KB JSON payloads: first the store alone (no broker), then the
 * whole link while it drains to an embedded Moquette broker on loopback. Two ways of publishing:
 * <ul>
 * <li>blocking: {@link MessageStore#put} / {@link MqttLink#publish}, each returning only once its message is
 * committed and fsynced, from 1, 4 and 16 threads;</li>
 * <li>async: {@link MessageStore#append} / {@link MqttLink#publishAsync} from 1 and 4 producer threads that never
 * wait; a message counts once its stage has completed (a sync covering it has completed), and its latency is
 * from the call to that completion.</li>
 * </ul>
 * Also times a bare 4 KiB write + fsync on the same disk, the floor under any single blocking publisher.
 *
 * <p>Not a test: run it with {@code mvn -B -o -Pbench -DskipTests verify} in this module. Arguments
 * ({@code -Dbench.args="..."}): seconds measured per case (default 5), the folder for the store files (default
 * java.io.tmpdir), which part to run: {@code all} (default), {@code store} or {@code link}, and which way of
 * publishing: {@code all} (default), {@code blocking} or {@code async}.
 */
public final class StoreThroughputBenchmark {

    private static final int[] THREADS = { 1, 4, 16 };
    private static final int[] ASYNC_PRODUCERS = { 1, 4 };
    /** The goal of issue 6, offered by one producer to see the latency at that rate rather than at saturation. */
    private static final int PACED_RATE = 20_000;
    private static final int[] PAYLOADS = { 500, 2048 };
    private static final long WARMUP_NANOS = 1_000_000_000L;

    private StoreThroughputBenchmark() {
    }

    @FunctionalInterface
    private interface Publisher {
        void publish(CloudMessage m) throws CloudException;
    }

    @FunctionalInterface
    private interface AsyncPublisher {
        CompletionStage<?> publish(CloudMessage m) throws CloudException;
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
        String mode = args.length > 3 ? args[3] : "all";
        if (!List.of("all", "blocking", "async").contains(mode)) {
            throw new IllegalArgumentException("the fourth argument is all, blocking or async, not " + mode);
        }
        boolean blocking = !mode.equals("async");
        boolean async = !mode.equals("blocking");
        Path dir = Files.createTempDirectory(base, "store-bench-");
        try {
            System.out.printf(Locale.ROOT, "store files in %s, %d cores, %s%n", dir, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.version"));
            fsyncFloor(dir.resolve("fsync.bin"));

            if (!part.equals("link") && blocking) {
                storeCases(dir, measureNanos);
            }
            if (!part.equals("link") && async) {
                asyncStoreCases(dir, measureNanos);
            }
            if (!part.equals("store") && blocking) {
                linkCases(dir, measureNanos);
            }
            if (!part.equals("store") && async) {
                asyncLinkCases(dir, measureNanos);
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

    private static void asyncStoreCases(Path dir, long measureNanos) throws Exception {
        System.out.println();
        System.out.println("store alone, async (MessageStore.append, EVENT; counted when durable), no broker");
        header();
        for (int payload : PAYLOADS) {
            for (int producers : ASYNC_PRODUCERS) {
                Path file = dir.resolve("async-store-" + payload + "-" + producers + ".mv.db");
                try (MessageStore store = new MessageStore(file, new MessageStore.Limits(100_000_000, 1L << 40, Duration.ZERO),
                        Clock.systemUTC())) {
                    Result r = runAsync(store::append, producers, payload, measureNanos, 0);
                    row(producers, payload, r, String.format(Locale.ROOT, "%.1f messages per fsync, file %d MiB",
                            store.durableMessages() / (double) Math.max(1, store.durablePoints()), Files.size(file) >> 20));
                }
                deleteStore(file);
            }
        }
        Path file = dir.resolve("paced-store.mv.db");
        try (MessageStore store = new MessageStore(file, new MessageStore.Limits(100_000_000, 1L << 40, Duration.ZERO),
                Clock.systemUTC())) {
            Result r = runAsync(store::append, 1, 500, measureNanos, PACED_RATE);
            row(1, 500, r, String.format(Locale.ROOT, "paced at %,d/s offered; %.1f messages per fsync", PACED_RATE,
                    store.durableMessages() / (double) Math.max(1, store.durablePoints())));
        }
        deleteStore(file);
    }

    private static void asyncLinkCases(Path dir, long measureNanos) throws Exception {
        System.out.println();
        System.out.println("whole link, async (MqttLink.publishAsync, EVENT QoS 1; counted when durable) while it drains to"
                + " Moquette on loopback");
        header();
        for (int payload : PAYLOADS) {
            for (int producers : ASYNC_PRODUCERS) {
                linkCase(dir, producers, payload, measureNanos, true, 0);
            }
        }
        linkCase(dir, 1, 500, measureNanos, true, PACED_RATE);
    }

    private static void linkCases(Path dir, long measureNanos) throws Exception {
        System.out.println();
        System.out.println("whole link (MqttLink.publish, EVENT QoS 1) while it drains to Moquette on loopback");
        header();
        for (int payload : PAYLOADS) {
            for (int threads : THREADS) {
                linkCase(dir, threads, payload, measureNanos, false, 0);
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

    private static void linkCase(Path dir, int threads, int payload, long measureNanos, boolean async, int rate)
            throws Exception {
        Path file = dir.resolve((async ? "async-link-" : "link-") + payload + "-" + threads + "-" + rate + ".mv.db");
        CloudMqttComponent component = new CloudMqttComponent(Clock.systemUTC(), () -> Map.of("fusebox-cloud-mqtt", "bench"), dir);
        try (TestBroker broker = new TestBroker(TcpProxy.freePort()).start()) {
            // the default capacity (100,000 messages, 64 MiB): when publishing outruns draining, EVENT pushes out EVENT
            component.configure(TestConfig.of("tcp://127.0.0.1:" + broker.port, "bench" + threads + "x" + payload, file.toString()));
            MqttLink link = component.link();
            TestBroker.await("connected", 30, link::isConnected);
            MessageStore.Stats before = link.stats().orElseThrow();
            MessageStore store = storeOf(link);
            long points = store.durablePoints();
            long durable = store.durableMessages();
            long acked = store.acknowledged();
            long t0 = System.nanoTime();
            Result r = async ? runAsync(link::publishAsync, threads, payload, measureNanos, rate)
                    : run(link::publish, threads, payload, measureNanos);
            double seconds = (System.nanoTime() - t0) / 1e9;
            MessageStore.Stats after = link.stats().orElseThrow();
            long dropped = after.lost() - before.lost();
            row(threads, payload, r, String.format(Locale.ROOT,
                    "%sdrained to the broker %.0f/s, queued at end %d, dropped %d, %.1f messages per fsync",
                    rate > 0 ? String.format(Locale.ROOT, "paced at %,d/s offered; ", rate) : "",
                    (store.acknowledged() - acked) / seconds, after.total(), dropped,
                    (store.durableMessages() - durable) / (double) Math.max(1, store.durablePoints() - points)));
        } finally {
            component.deactivate();
        }
        deleteStore(file);
    }

    private static MessageStore storeOf(MqttLink link) throws ReflectiveOperationException {
        java.lang.reflect.Field f = MqttLink.class.getDeclaredField("store");
        f.setAccessible(true);
        return (MessageStore) f.get(link);
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

    /**
     * Warm-up, then every producer publishes as fast as it can for the measured time without waiting (except the
     * store's back-pressure). A message counts when its stage completed inside the measured window; its latency
     * is from the call to that completion. Waits for every stage at the end and fails on any exceptional one.
     */
    private static Result runAsync(AsyncPublisher publisher, int producers, int payloadBytes, long measureNanos, int rate)
            throws Exception {
        long interval = rate > 0 ? 1_000_000_000L / rate : 0;
        byte[] payload = json(payloadBytes);
        long startAt = System.nanoTime();
        long measureFrom = startAt + WARMUP_NANOS;
        long measureTo = measureFrom + measureNanos;
        // room for 400,000 messages/s per producer over the measured window; more is not published
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, 400_000L * measureNanos / 1_000_000_000L);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        LongAdder durableInWindow = new LongAdder();
        long[][] latencies = new long[producers][];
        int[] measured = new int[producers];
        List<CompletableFuture<?>> lastOfProducer = new ArrayList<>(java.util.Collections.nCopies(producers, null));
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < producers; t++) {
            int me = t;
            long[] lat = new long[capacity];
            latencies[t] = lat;
            Thread w = new Thread(() -> {
                int n = 0;
                CompletionStage<?> last = null;
                long due = startAt;
                try {
                    while (failure.get() == null) {
                        if (interval > 0) {
                            // a fixed schedule: behind it, publish at once; ahead, wait for the slot
                            due += interval;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                            }
                        }
                        long s = System.nanoTime();
                        if (s > measureTo) {
                            break;
                        }
                        // slots only for messages started inside the window; each callback writes its own slot
                        int slot = s >= measureFrom && n < capacity ? n++ : -1;
                        last = publisher.publish(new CloudMessage("bench/" + me, payload, 1, false, MessagePriority.EVENT))
                                .whenComplete((ok, e) -> {
                                    long at = System.nanoTime();
                                    if (e != null) {
                                        failure.compareAndSet(null, e);
                                    }
                                    if (at >= measureFrom && at <= measureTo) {
                                        durableInWindow.increment();
                                    }
                                    if (slot >= 0) {
                                        lat[slot] = Math.max(1, (at - s) / 1000);
                                    }
                                });
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
                measured[me] = n;
                if (last != null) {
                    lastOfProducer.set(me, last.toCompletableFuture());
                }
            }, "producer-" + t);
            workers.add(w);
        }
        for (Thread w : workers) {
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        // stages complete in the order of each producer's calls: the last one completing means all did
        for (CompletableFuture<?> f : lastOfProducer) {
            if (f != null) {
                try {
                    f.get(120, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    failure.compareAndSet(null, e.getCause());
                }
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a producer failed", failure.get());
        }
        long[] all = new long[Arrays.stream(measured).sum()];
        int at = 0;
        for (int t = 0; t < producers; t++) {
            for (int i = 0; i < measured[t]; i++) {
                if (latencies[t][i] == 0) {
                    throw new IllegalStateException("producer " + t + ": message " + i + " of the window never completed");
                }
                all[at++] = latencies[t][i];
            }
        }
        Arrays.sort(all);
        if (all.length == 0) {
            return new Result(durableInWindow.sum(), measureNanos / 1e9, 0, 0, 0);
        }
        return new Result(durableInWindow.sum(), measureNanos / 1e9, all[all.length / 2],
                all[Math.min(all.length - 1, (int) (all.length * 0.99))], all[all.length - 1]);
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
