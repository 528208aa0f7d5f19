package org.fusebox.driver.ocpp.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.fusebox.api.device.Device;
import org.fusebox.api.device.EvCharger;
import org.fusebox.api.device.WriteResult;
import org.fusebox.api.units.Current;
import org.fusebox.driver.ocpp.OcppCentralSystemComponent;
import org.fusebox.driver.ocpp.OcppConfig;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The central system under test, in its own JVM so that its heap and CPU are measured apart from the
 * simulated chargers. It runs the real DS component, activated the way DS would (reflection, a config
 * proxy) with a stand-in {@link BundleContext} that keeps the {@link EvCharger} services it registers,
 * so the benchmark can act as the core does on them.
 *
 * <p>Line protocol: stdout says {@code READY <port>}, then one answer line per command read from stdin:
 * {@code STATS}, {@code LIMIT <amps> <timeoutMillis>}, {@code QUIT}.
 */
public final class CentralSystemProcess {

    private static final PrintStream OUT = System.out;

    /** The EvCharger services the component registered, as the core's service tracker would see them. */
    private final Map<String, EvCharger> chargers = new ConcurrentHashMap<>();
    private final AtomicLong maxHeapAfterGc = new AtomicLong();
    private final AtomicLong lastHeapAfterGc = new AtomicLong();
    private final AtomicInteger gcCount = new AtomicInteger();
    private final AtomicLong gcPauseMillis = new AtomicLong();
    private final AtomicLong maxGcPauseMillis = new AtomicLong();

    public static void main(String[] args) throws Exception {
        // the benchmark reads stdout; everything else (slf4j-simple writes to stderr or a file) stays off it
        System.setOut(new PrintStream(System.err, true, StandardCharsets.UTF_8));
        new CentralSystemProcess().run(Integer.parseInt(args[0]));
    }

    private void run(int heartbeatSeconds) throws Exception {
        watchGarbageCollections();
        OcppCentralSystemComponent component = new OcppCentralSystemComponent();
        OcppConfig config = config(Map.of(
                "port", 0,
                "bindHost", "127.0.0.1",
                "autoRegistration", true,
                "securityProfile", 0,
                // every round changes every limit; increases are held back by default (ADR 0014), not here
                "limitIncreaseIntervalSeconds", 0,
                "acceptAnyIdTag", true,
                "heartbeatIntervalSeconds", heartbeatSeconds));
        invoke(component, "activate", new Class<?>[] {BundleContext.class, OcppConfig.class}, bundleContext(), config);
        int port = port(component);
        answer("READY " + port);

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split("\\s+");
            switch (words[0]) {
                case "STATS" -> answer(stats(false));
                case "GC" -> answer(stats(true));
                case "LIMIT" -> answer(limitRound(Double.parseDouble(words[1]), Long.parseLong(words[2])));
                case "QUIT" -> {
                    invoke(component, "deactivate", new Class<?>[0]);
                    answer("BYE");
                    return;
                }
                default -> answer("ERROR unknown command " + words[0]);
            }
        }
    }

    private static void answer(String line) {
        OUT.println(line);
        OUT.flush();
    }

    /**
     * What the core does after it decided new limits: setCurrentLimit on every charger, one after the other
     * from one thread, then waits for all answers. Times are from just before the first call.
     */
    private String limitRound(double amps, long timeoutMillis) throws Exception {
        List<EvCharger> all = new ArrayList<>(chargers.values());
        long[] doneAtNanos = new long[all.size()];
        AtomicInteger accepted = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        List<CompletableFuture<Void>> waits = new ArrayList<>(all.size());
        long start = System.nanoTime();
        for (int i = 0; i < all.size(); i++) {
            int index = i;
            waits.add(all.get(i).setCurrentLimit(1, Current.ofAmps(amps)).toCompletableFuture().thenAccept(r -> {
                doneAtNanos[index] = System.nanoTime();
                if (r.outcome() == WriteResult.Outcome.ACCEPTED) {
                    accepted.incrementAndGet();
                } else {
                    synchronized (failures) {
                        failures.add(r.outcome() + " " + r.detail());
                    }
                }
            }));
        }
        long calledNanos = System.nanoTime() - start;
        try {
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            failures.add("not all answered within " + timeoutMillis + " ms");
        }
        StringBuilder micros = new StringBuilder();
        for (long t : doneAtNanos) {
            if (t != 0) {
                micros.append(micros.length() == 0 ? "" : ",").append((t - start) / 1000);
            }
        }
        return "ROUND chargers=" + all.size() + " accepted=" + accepted.get() + " callLoopMicros=" + calledNanos / 1000
                + " failures=" + (failures.isEmpty() ? "-" : failures.get(0).replace(' ', '_') + "(x" + failures.size() + ")")
                + " doneMicros=" + (micros.length() == 0 ? "-" : micros);
    }

    private String stats(boolean collectFirst) throws Exception {
        if (collectFirst) {
            // two full collections, then the heap holds what the central system keeps alive
            System.gc();
            System.gc();
            Thread.sleep(200);
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = ManagementFactory.getThreadMXBean();
        long fds;
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            fds = list.count();
        }
        return "STATS chargers=" + chargers.size()
                + " heapUsed=" + heap.getUsed() + " heapCommitted=" + heap.getCommitted() + " heapMax=" + heap.getMax()
                + " heapAfterLastGc=" + lastHeapAfterGc.get() + " maxHeapAfterGc=" + maxHeapAfterGc.get()
                + " nonHeapUsed=" + nonHeap.getUsed()
                + " gcCount=" + gcCount.get() + " gcPauseMillis=" + gcPauseMillis.get() + " maxGcPauseMillis=" + maxGcPauseMillis.get()
                + " threads=" + threads.getThreadCount() + " peakThreads=" + threads.getPeakThreadCount()
                + " openFds=" + fds + " cpuNanos=" + os.getProcessCpuTime() + " rssBytes=" + rss();
    }

    private static long rss() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // not Linux: no RSS figure
        }
        return -1;
    }

    /** Heap in use right after every collection, young or full, from the collectors' own notifications. */
    private void watchGarbageCollections() {
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                // non-heap pools (metaspace, code cache) are in this map too: count heap pools only
                long heapAfter = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
                lastHeapAfterGc.set(heapAfter);
                maxHeapAfterGc.accumulateAndGet(heapAfter, Math::max);
                gcCount.incrementAndGet();
                gcPauseMillis.addAndGet(info.getGcInfo().getDuration());
                maxGcPauseMillis.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
            }, null, null);
        }
    }

    // ---- the DS side, without a framework ----

    private BundleContext bundleContext() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[1] instanceof EvCharger charger) {
                        String id = String.valueOf(((Dictionary<?, ?>) args[2]).get(Device.DEVICE_ID_PROPERTY));
                        chargers.put(id, charger);
                        return registration(() -> chargers.remove(id, charger));
                    }
                    if (method.getName().equals("toString")) {
                        return "bench BundleContext";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private ServiceRegistration<?> registration(Runnable unregister) {
        return (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (method.getName().equals("unregister")) {
                        unregister.run();
                        return null;
                    }
                    if (method.getName().equals("toString")) {
                        return "bench ServiceRegistration";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A config annotation instance as DS builds it: the given values, else the annotation's defaults. */
    private static OcppConfig config(Map<String, Object> values) {
        return (OcppConfig) Proxy.newProxyInstance(CentralSystemProcess.class.getClassLoader(), new Class<?>[] {OcppConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> OcppConfig.class;
                    case "toString" -> "bench OcppConfig";
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    default -> values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
                });
    }

    private static Object invoke(Object target, String name, Class<?>[] types, Object... args) throws Exception {
        Method m = target.getClass().getDeclaredMethod(name, types);
        m.setAccessible(true);
        return m.invoke(target, args);
    }

    private static int port(OcppCentralSystemComponent component) throws Exception {
        Object engine = invoke(component, "engine", new Class<?>[0]);
        if (engine == null) {
            throw new IllegalStateException("the central system did not start: " + component.health().details());
        }
        return (Integer) engine.getClass().getMethod("port").invoke(engine);
    }
}
