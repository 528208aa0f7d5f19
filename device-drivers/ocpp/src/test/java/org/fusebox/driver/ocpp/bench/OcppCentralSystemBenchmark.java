package org.fusebox.driver.ocpp.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Load and overload-reaction benchmark of the OCPP central system (docs/benchmarks.md). The central
 * system runs in a child JVM ({@link CentralSystemProcess}); this JVM plays the chargers.
 *
 * <ul>
 * <li>load: N chargers connect at a fixed rate, boot, start a transaction, then send MeterValues and
 * Heartbeats for a measured window; CALL-to-CALLRESULT latencies as the chargers see them, and the
 * central system's heap after GC, threads, file descriptors and CPU.</li>
 * <li>overload: K chargers in transactions; repeated rounds of setCurrentLimit on every EvCharger service
 * the component registered, timed until every charger's Accepted has come back.</li>
 * </ul>
 *
 * Parameters are system properties, see {@link #main}. Numbers only; nothing here asserts a goal.
 */
public final class OcppCentralSystemBenchmark {

    private final List<String> report = new ArrayList<>();
    private final Path outputDir = Path.of(System.getProperty("bench.outputDir", "target/bench"));

    public static void main(String[] args) throws Exception {
        OcppCentralSystemBenchmark b = new OcppCentralSystemBenchmark();
        Files.createDirectories(b.outputDir);
        b.machine();
        List<String> scenarios = Arrays.stream(System.getProperty("bench.scenarios", "load,overload").split(","))
                .map(String::trim).toList();
        if (scenarios.contains("load")) {
            b.load(Integer.getInteger("bench.chargePoints", 2000), Double.parseDouble(System.getProperty("bench.rampPerSecond", "100")),
                    Integer.getInteger("bench.windowSeconds", 120));
        }
        if (scenarios.contains("overload")) {
            for (String k : System.getProperty("bench.overloadChargePoints", "100,500").split(",")) {
                b.overload(Integer.parseInt(k.trim()), Integer.getInteger("bench.overloadRounds", 30),
                        Double.parseDouble(System.getProperty("bench.rampPerSecond", "100")));
            }
        }
        Path results = b.outputDir.resolve("ocpp-bench-" + LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS)
                .toString().replace(':', '-') + ".txt");
        Files.write(results, b.report);
        System.out.println("\n==== summary (also in " + results + ") ====");
        b.report.forEach(System.out::println);
        System.exit(0);
    }

    private void say(String line) {
        System.out.println(line);
        report.add(line);
    }

    private static int meterIntervalSeconds() {
        return Integer.getInteger("bench.meterIntervalSeconds", 10);
    }

    private static int heartbeatSeconds() {
        return Integer.getInteger("bench.heartbeatSeconds", 60);
    }

    private void machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().orElse("?").replaceAll("\\s+", " ");
        say("machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + mem + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.vm.version") + ", load average at start " + loadAverage());
        say("client JVM: " + ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X")).toList() + "; central system JVM: " + serverJvmArgs());
        say("meter values every " + meterIntervalSeconds() + " s, heartbeat interval " + heartbeatSeconds() + " s");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static List<String> serverJvmArgs() {
        return Arrays.stream(System.getProperty("bench.serverJvmArgs", "-Xmx512m -XX:+UseSerialGC").trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).toList();
    }

    // ---- scenario 1: many chargers ----

    private void load(int n, double perSecond, int windowSeconds) throws Exception {
        say("");
        say("== load: " + n + " chargers, ramp " + perSecond + "/s, window " + windowSeconds + " s ==");
        try (ServerProcess server = new ServerProcess("load-" + n)) {
            Fleet fleet = new Fleet("ws://127.0.0.1:" + server.port + "/ocpp/", meterIntervalSeconds() * 1000L);
            long rampStart = System.nanoTime();
            fleet.rampUp("CP", n, perSecond);
            long rampMillis = (long) (n / perSecond * 1000);
            boolean allStarted = awaitWithProgress(fleet, server, n, rampMillis + 120_000);
            double startupSeconds = (System.nanoTime() - rampStart) / 1e9;
            say(String.format("ramp: %d connected, %d in transaction after %.1f s (%s), %d connect failures, %d lost, %d problems",
                    fleet.connected.get(), fleet.ready.get(), startupSeconds, allStarted ? "all" : "deadline passed",
                    fleet.connectFailures.get(), fleet.lost.get(), fleet.problems.get()));
            say("  connect (TCP + upgrade): " + fleet.connectLatency.summary());
            fleet.startupLatencies().forEach((a, l) -> say("  " + a + " during ramp: " + l.summary()));
            say("  all calls during ramp: " + Fleet.all(fleet.startupLatencies()).summary());
            say("  after the first " + Fleet.WARM_AFTER_NANOS / 1_000_000_000L + " s of the ramp (both JVMs past class loading"
                    + " and first compilation): connect " + fleet.connectLatencyWarm.summary() + "; calls "
                    + Fleet.all(fleet.startupWarmLatencies()).summary());

            Map<String, String> before = server.stats(false);
            long clientCpuBefore = clientCpuNanos();
            long windowStart = System.nanoTime();
            fleet.startWindow();
            long maxHeapUsed = 0;
            while (System.nanoTime() - windowStart < windowSeconds * 1_000_000_000L) {
                Thread.sleep(Math.min(10_000, Math.max(1, windowSeconds * 1000L - (System.nanoTime() - windowStart) / 1_000_000)));
                Map<String, String> s = server.stats(false);
                maxHeapUsed = Math.max(maxHeapUsed, Long.parseLong(s.get("heapUsed")));
                System.out.printf("  t=%3ds chargers=%s heapUsed=%s maxHeapAfterGc=%s threads=%s lost=%d problems=%d%n",
                        (System.nanoTime() - windowStart) / 1_000_000_000L, s.get("chargers"), mb(s.get("heapUsed")),
                        mb(s.get("maxHeapAfterGc")), s.get("threads"), fleet.lost.get(), fleet.problems.get());
            }
            fleet.endWindow();
            double windowCpuSeconds = (System.nanoTime() - windowStart) / 1e9;
            Map<String, String> after = server.stats(false);
            long clientCpu = clientCpuNanos() - clientCpuBefore;
            // let the last answers of the window come in before reading the latencies
            Thread.sleep(2000);
            Map<String, String> live = server.stats(true);

            say("window: " + fleet.windowLatencies().values().stream().mapToInt(Latencies::count).sum() + " calls in "
                    + windowSeconds + " s, " + fleet.lost.get() + " connections lost, " + fleet.callErrors.get()
                    + " CALLERRORs, " + fleet.problems.get() + " problems in all");
            fleet.windowLatencies().forEach((a, l) -> say("  " + a + ": " + l.summary()));
            say("  all calls in the window: " + Fleet.all(fleet.windowLatencies()).summary());
            say("  calls over " + Fleet.SLOW_MICROS / 1000 + " ms: " + fleet.slowCalls() + ", busiest seconds of the window "
                    + fleet.slowestSeconds(6));
            say("central system: " + after.get("chargers") + " EvCharger services; heap after GC max during run "
                    + mb(after.get("maxHeapAfterGc")) + ", live after a full GC at the end " + mb(live.get("heapUsed"))
                    + ", max used (sampled every 10 s) " + mb(Long.toString(maxHeapUsed)) + ", committed "
                    + mb(after.get("heapCommitted")) + " of max " + mb(after.get("heapMax")) + "; RSS " + mb(after.get("rssBytes"))
                    + "; " + after.get("threads") + " threads (peak " + after.get("peakThreads") + "), " + after.get("openFds")
                    + " open file descriptors");
            say(String.format("  GC: %s collections, %s ms paused in all, longest %s ms",
                    after.get("gcCount"), after.get("gcPauseMillis"), after.get("maxGcPauseMillis")));
            say(String.format("  CPU in the window: central system %.1f%% of one core, chargers' JVM %.1f%%; load average now %s",
                    100.0 * (Long.parseLong(after.get("cpuNanos")) - Long.parseLong(before.get("cpuNanos"))) / 1e9 / windowCpuSeconds,
                    100.0 * clientCpu / 1e9 / windowCpuSeconds, loadAverage()));
            if (!fleet.firstProblems().isEmpty()) {
                say("  first problems: " + fleet.firstProblems());
            }
            fleet.closeAll();
            Thread.sleep(500);
            fleet.shutdown();
        }
    }

    private boolean awaitWithProgress(Fleet fleet, ServerProcess server, int n, long deadlineMillis) throws Exception {
        long end = System.currentTimeMillis() + deadlineMillis;
        while (!fleet.awaitStarted(n, 5000)) {
            Map<String, String> s = server.stats(false);
            System.out.printf("  ramp: connected=%d inTransaction=%d failures=%d lost=%d | central system chargers=%s heapUsed=%s threads=%s fds=%s%n",
                    fleet.connected.get(), fleet.ready.get(), fleet.connectFailures.get(), fleet.lost.get(),
                    s.get("chargers"), mb(s.get("heapUsed")), s.get("threads"), s.get("openFds"));
            if (System.currentTimeMillis() > end) {
                return false;
            }
        }
        return true;
    }

    // ---- scenario 2: the core cuts every charger's limit ----

    private void overload(int k, int rounds, double perSecond) throws Exception {
        say("");
        say("== overload reaction: " + k + " chargers in transactions, " + rounds + " rounds (after 3 warm-up rounds) ==");
        try (ServerProcess server = new ServerProcess("overload-" + k)) {
            Fleet fleet = new Fleet("ws://127.0.0.1:" + server.port + "/ocpp/", meterIntervalSeconds() * 1000L);
            fleet.rampUp("OV", k, perSecond);
            boolean allStarted = awaitWithProgress(fleet, server, k, (long) (k / perSecond * 1000) + 120_000);
            long until = System.currentTimeMillis() + 30_000;
            while (Integer.parseInt(server.stats(false).get("chargers")) < k && System.currentTimeMillis() < until) {
                Thread.sleep(100);
            }
            say("  " + fleet.ready.get() + " in transaction (" + (allStarted ? "all" : "deadline passed") + "), "
                    + server.stats(false).get("chargers") + " EvCharger services, " + fleet.connectFailures.get()
                    + " connect failures");

            String liveBefore = mb(server.stats(true).get("heapUsed"));
            Latencies roundTimes = new Latencies();
            Latencies perCharger = new Latencies();
            Latencies callLoop = new Latencies();
            int notAccepted = 0;
            String firstRound = null;
            List<String> failures = new ArrayList<>();
            for (int r = -3; r < rounds; r++) {
                // alternate, so that every round changes every limit and sends a profile
                double amps = (r & 1) == 0 ? 10 : 16;
                Map<String, String> round = server.command("LIMIT " + amps + " 20000");
                long[] done = round.get("doneMicros").equals("-") ? new long[0]
                        : Arrays.stream(round.get("doneMicros").split(",")).mapToLong(Long::parseLong).toArray();
                long last = Arrays.stream(done).max().orElse(-1);
                int accepted = Integer.parseInt(round.get("accepted"));
                if (r == -3) {
                    firstRound = Latencies.ms(last) + " ms (" + accepted + "/" + round.get("chargers") + " accepted)";
                }
                if (r >= 0) {
                    roundTimes.add(last);
                    Arrays.stream(done).forEach(perCharger::add);
                    callLoop.add(Long.parseLong(round.get("callLoopMicros")));
                    notAccepted += Integer.parseInt(round.get("chargers")) - accepted;
                    if (!"-".equals(round.get("failures"))) {
                        failures.add(round.get("failures"));
                    }
                }
                System.out.printf("  round %d: %s A, %s/%s accepted, all answered after %s ms (calls made in %s ms)%n", r, amps,
                        accepted, round.get("chargers"), Latencies.ms(last), Latencies.ms(Long.parseLong(round.get("callLoopMicros"))));
                // rounds fall at different moments of the meter value traffic
                Thread.sleep(300 + ThreadLocalRandom.current().nextInt(700));
            }
            say("  time until every charger answered Accepted, per round: " + roundTimes.summary());
            say("  each charger's Accepted after the decision: " + perCharger.summary());
            say("  setCurrentLimit loop over all chargers: " + callLoop.summary());
            say("  first (cold) round: " + firstRound + "; not accepted in measured rounds: " + notAccepted
                    + (failures.isEmpty() ? "" : " " + failures) + "; SetChargingProfile seen by chargers: "
                    + fleet.callsFromCentralSystem.getOrDefault("SetChargingProfile", new java.util.concurrent.atomic.AtomicInteger()).get()
                    + "; lost connections " + fleet.lost.get());
            Map<String, String> afterRounds = server.stats(false);
            say("  central system heap: live before the rounds " + liveBefore + ", just after them " + mb(afterRounds.get("heapUsed"))
                    + " used, after a full GC " + mb(server.stats(true).get("heapUsed")) + "; GC pauses longest "
                    + afterRounds.get("maxGcPauseMillis") + " ms");
            fleet.closeAll();
            Thread.sleep(500);
            fleet.shutdown();
        }
    }

    // ---- helpers ----

    private static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String mb(String bytes) {
        if (bytes == null) {
            return "?";
        }
        return String.format("%.1f MiB", Long.parseLong(bytes) / 1048576.0);
    }

    static Map<String, String> keyValues(String line) {
        Map<String, String> m = new HashMap<>();
        for (String word : line.split(" ")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                m.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return m;
    }

    /** The central system's JVM, talked to over its stdin and stdout. */
    private final class ServerProcess implements AutoCloseable {

        final int port;
        private final Process process;
        private final BufferedReader out;
        private final PrintWriter in;

        ServerProcess(String name) throws Exception {
            Path log = outputDir.resolve("central-system-" + name + ".log").toAbsolutePath();
            Path gcLog = outputDir.resolve("gc-" + name + ".log").toAbsolutePath();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(serverJvmArgs());
            command.add("-Xlog:gc:file=" + gcLog);
            // slf4j-simple, when present (the bench profile adds it): INFO to a file, as a gateway logs
            command.add("-Dorg.slf4j.simpleLogger.logFile=" + log);
            command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(CentralSystemProcess.class.getName());
            command.add(Integer.toString(heartbeatSeconds()));
            process = new ProcessBuilder(command).redirectError(outputDir.resolve("central-system-" + name + ".stderr").toFile())
                    .start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            String ready = CompletableFuture.supplyAsync(this::readLine).get(60, TimeUnit.SECONDS);
            if (ready == null || !ready.startsWith("READY ")) {
                throw new IllegalStateException("the central system did not start: " + ready + " (see " + log + ")");
            }
            port = Integer.parseInt(ready.substring(6).trim());
            say("central system: pid " + process.pid() + " on port " + port + ", log " + log);
        }

        private String readLine() {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }

        synchronized Map<String, String> command(String command) throws IOException {
            in.println(command);
            String answer = out.readLine();
            if (answer == null) {
                throw new IOException("the central system ended (exit " + (process.isAlive() ? "?" : process.exitValue()) + ")");
            }
            return keyValues(answer);
        }

        Map<String, String> stats(boolean collectFirst) throws IOException {
            return command(collectFirst ? "GC" : "STATS");
        }

        @Override
        public void close() throws Exception {
            try {
                if (process.isAlive()) {
                    command("QUIT");
                }
            } catch (IOException e) {
                // already gone
            }
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
