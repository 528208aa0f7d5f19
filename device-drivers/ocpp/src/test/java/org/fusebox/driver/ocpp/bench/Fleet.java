package org.fusebox.driver.ocpp.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated chargers of one run: one JDK {@link HttpClient} (one selector thread for every socket,
 * two threads for callbacks) and one timer thread for the ramp, meter values and heartbeats, so the
 * client side costs a handful of threads whatever the number of chargers.
 */
final class Fleet {

    private final String baseUrl;
    private final long meterIntervalMillis;
    private final ExecutorService callbacks;
    private final HttpClient http;
    private final ScheduledThreadPoolExecutor timer;
    private final List<SimulatedChargePoint> chargePoints = new ArrayList<>();

    final Latencies connectLatency = new Latencies();
    /** Calls sent before the measured window: the start-up sequence of every charger. */
    private final Map<String, Latencies> startup = new ConcurrentHashMap<>();
    /** Calls sent inside the measured window. */
    private final Map<String, Latencies> window = new ConcurrentHashMap<>();
    /** Start-up calls sent after both JVMs had a few seconds to load classes and compile. */
    private final Map<String, Latencies> startupWarm = new ConcurrentHashMap<>();
    final Latencies connectLatencyWarm = new Latencies();
    private volatile long rampStartNanos;
    static final long WARM_AFTER_NANOS = 5_000_000_000L;
    /** Window calls slower than {@link #SLOW_MICROS}, counted by the window's second they were sent in. */
    private final Map<Long, AtomicInteger> slowBySecond = new ConcurrentHashMap<>();
    static final long SLOW_MICROS = 20_000;
    private volatile long windowStartNanos = Long.MAX_VALUE;
    private volatile long windowEndNanos = Long.MAX_VALUE;

    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger connectFailures = new AtomicInteger();
    final AtomicInteger ready = new AtomicInteger();
    final AtomicInteger lost = new AtomicInteger();
    final AtomicInteger callErrors = new AtomicInteger();
    final AtomicLong problems = new AtomicLong();
    final Map<String, AtomicInteger> callsFromCentralSystem = new ConcurrentHashMap<>();
    private final List<String> firstProblems = new ArrayList<>();

    Fleet(String baseUrl, long meterIntervalMillis) {
        this.baseUrl = baseUrl;
        this.meterIntervalMillis = meterIntervalMillis;
        this.callbacks = Executors.newFixedThreadPool(2, daemon("bench-ws"));
        this.http = HttpClient.newBuilder().executor(callbacks).connectTimeout(Duration.ofSeconds(30)).build();
        this.timer = new ScheduledThreadPoolExecutor(1, daemon("bench-timer"));
        timer.setRemoveOnCancelPolicy(true);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Opens {@code count} connections, {@code perSecond} a second, evenly spaced. */
    void rampUp(String idPrefix, int count, double perSecond) {
        long spacingNanos = (long) (1e9 / perSecond);
        rampStartNanos = System.nanoTime();
        for (int i = 0; i < count; i++) {
            SimulatedChargePoint cp = new SimulatedChargePoint(this, String.format("%s%05d", idPrefix, i));
            chargePoints.add(cp);
            timer.schedule(() -> connect(cp), i * spacingNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void connect(SimulatedChargePoint cp) {
        cp.connectStartedNanos = System.nanoTime();
        http.newWebSocketBuilder().subprotocols("ocpp1.6").connectTimeout(Duration.ofSeconds(30))
                .buildAsync(URI.create(baseUrl + cp.id), cp)
                .whenComplete((ws, e) -> {
                    if (e != null) {
                        connectFailures.incrementAndGet();
                        problem(cp.id + ": connect failed: " + e);
                    }
                });
    }

    /** Waits until every charger is in its transaction or out of the game; false on the deadline. */
    boolean awaitStarted(int count, long deadlineMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + deadlineMillis;
        while (ready.get() + connectFailures.get() + lost.get() < count) {
            if (System.currentTimeMillis() > end) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    void startWindow() {
        windowStartNanos = System.nanoTime();
    }

    void endWindow() {
        windowEndNanos = System.nanoTime();
    }

    void closeAll() {
        chargePoints.forEach(SimulatedChargePoint::close);
    }

    void shutdown() {
        timer.shutdownNow();
        callbacks.shutdownNow();
    }

    // ---- what the chargers report ----

    long meterIntervalMillis() {
        return meterIntervalMillis;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    void connected(SimulatedChargePoint cp, long micros) {
        connected.incrementAndGet();
        connectLatency.add(micros);
        if (cp.connectStartedNanos - rampStartNanos > WARM_AFTER_NANOS) {
            connectLatencyWarm.add(micros);
        }
    }

    void ready(SimulatedChargePoint cp) {
        ready.incrementAndGet();
    }

    void answered(String action, long sentNanos, long micros, boolean result) {
        if (!result) {
            callErrors.incrementAndGet();
        }
        if (sentNanos < windowStartNanos) {
            startup.computeIfAbsent(action, a -> new Latencies()).add(micros);
            if (sentNanos - rampStartNanos > WARM_AFTER_NANOS) {
                startupWarm.computeIfAbsent(action, a -> new Latencies()).add(micros);
            }
        } else if (sentNanos < windowEndNanos) {
            window.computeIfAbsent(action, a -> new Latencies()).add(micros);
            if (micros > SLOW_MICROS) {
                slowBySecond.computeIfAbsent((sentNanos - windowStartNanos) / 1_000_000_000L, t -> new AtomicInteger())
                        .incrementAndGet();
            }
        }
    }

    void calledByCentralSystem(String action) {
        callsFromCentralSystem.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
    }

    void lost(SimulatedChargePoint cp, String why) {
        lost.incrementAndGet();
        problem(cp.id + ": " + why);
    }

    void problem(String what) {
        problems.incrementAndGet();
        synchronized (firstProblems) {
            if (firstProblems.size() < 10) {
                firstProblems.add(what);
            }
        }
    }

    List<String> firstProblems() {
        synchronized (firstProblems) {
            return List.copyOf(firstProblems);
        }
    }

    Map<String, Latencies> startupLatencies() {
        return new TreeMap<>(startup);
    }

    Map<String, Latencies> startupWarmLatencies() {
        return new TreeMap<>(startupWarm);
    }

    /** The seconds of the window with the most slow calls, busiest first: "t=61s:37". */
    List<String> slowestSeconds(int top) {
        return slowBySecond.entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getValue().get(), a.getValue().get())).limit(top)
                .map(e -> "t=" + e.getKey() + "s:" + e.getValue().get()).toList();
    }

    int slowCalls() {
        return slowBySecond.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    Map<String, Latencies> windowLatencies() {
        return new TreeMap<>(window);
    }

    static Latencies all(Map<String, Latencies> byAction) {
        Latencies all = new Latencies();
        byAction.values().forEach(all::addAll);
        return all;
    }
}
