package org.fusebox.itests;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Fusebox distribution unpacked under {@code target/} and run as an operator runs it,
 * {@code bin/karaf server} in its own process, so that a test can kill -9 its JVM and start the same
 * installation again. The JVM carries a JDWP agent on a free loopback port so a test can hold one thread at
 * an exact point ({@link #holdAt}) before killing it; nothing else differs from a production start.
 */
final class KarafGateway implements AutoCloseable {

    final Path home;
    private final Path logDir;
    private Process launcher;
    private ProcessHandle jvm;
    private int debugPort;
    private int starts;

    private KarafGateway(Path home, Path logDir) {
        this.home = home;
        this.logDir = logDir;
    }

    /** Unpacks the distribution into {@code dir/gateway} (replacing an earlier run's) and returns it, not started. */
    static KarafGateway unpack(Path dir) throws IOException, InterruptedException {
        Path tarball = distribution();
        Path target = dir.resolve("gateway");
        deleteTree(target);
        Files.createDirectories(target);
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", target.toString(), "--strip-components=1")
                .redirectErrorStream(true).start();
        String out = OtaFixtures.read(tar.getInputStream());
        if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
            throw new IllegalStateException("could not unpack " + tarball + ": " + out);
        }
        if (!Files.isExecutable(target.resolve("bin/karaf"))) {
            throw new IllegalStateException(tarball + " has no executable bin/karaf");
        }
        KarafGateway gateway = new KarafGateway(target, dir);
        // the distribution has no account; Http calls as this one (see FuseboxKarafTestSupport.testAccount)
        gateway.configure("users.properties", Http.ITEST_USER, Http.ITEST_PASSWORD + ",fusebox-admin");
        // the distribution's HTTPS port is fixed (8443): a free one, as for every port of a test
        gateway.configure("org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure", Integer.toString(FuseboxKarafTestSupport.freePort()));
        // a test polls the API from the moment Jetty listens; on a slow machine the first logins of the test account
        // can come before Karaf has re-read users.properties, fail, and would lock the account for 5 minutes (seen in
        // CI). The lockout itself is proved by SecurityIT and the web-security tests.
        // (quoted: the shipped file is in Felix's typed format, where a bare number would turn the whole file untyped)
        gateway.configure("fusebox.web.security.cfg", "loginMaxFailures", "\"1000\"");
        return gateway;
    }

    /** The assembly module's own tar.gz (fresh from this reactor), else the copy the pom made; a clear failure if neither. */
    private static Path distribution() {
        File[] built = new File("../assembly/target").listFiles(
                (d, name) -> name.startsWith("fusebox-distribution-") && name.endsWith(".tar.gz"));
        if (built != null && built.length > 0) {
            return built[0].toPath().toAbsolutePath();
        }
        String copied = System.getProperty("fusebox.distribution");
        if (copied != null && new File(copied).isFile()) {
            return Path.of(copied).toAbsolutePath();
        }
        throw new IllegalStateException("no Fusebox distribution: expected ../assembly/target/fusebox-distribution-*.tar.gz (from "
                + new File(".").getAbsolutePath() + ") or -Dfusebox.distribution; build it first with "
                + "`mvn -B -o -q install -DskipTests -pl karaf-distro/assembly` in the repository root");
    }

    // ------------------------------------------------------------------ configuration, before a start

    Path etc(String name) {
        return home.resolve("etc").resolve(name);
    }

    /** Sets {@code key = value} in a .cfg/.properties file of etc/, replacing the key's line or appending one. */
    void configure(String file, String key, String value) throws IOException {
        Path cfg = etc(file);
        List<String> lines = Files.exists(cfg) ? new ArrayList<>(Files.readAllLines(cfg, StandardCharsets.UTF_8)) : new ArrayList<>();
        Pattern keyLine = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:].*");
        String line = key + " = " + value;
        boolean replaced = false;
        for (int i = 0; i < lines.size() && !replaced; i++) {
            if (keyLine.matcher(lines.get(i)).matches()) {
                if (lines.get(i).endsWith("\\")) {
                    throw new IllegalArgumentException(key + " in " + cfg + " spans several lines: use appendToList");
                }
                lines.set(i, line);
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(line);
        }
        Files.write(cfg, lines, StandardCharsets.UTF_8);
    }

    /** Appends items to a comma-separated value that may span several lines (featuresBoot). */
    void appendToList(String file, String key, String... items) throws IOException {
        Path cfg = etc(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(cfg, StandardCharsets.UTF_8));
        Pattern keyLine = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:].*");
        for (int i = 0; i < lines.size(); i++) {
            if (keyLine.matcher(lines.get(i)).matches()) {
                int last = i;
                while (lines.get(last).endsWith("\\")) {
                    last++;
                }
                lines.set(last, lines.get(last) + ", " + String.join(", ", items));
                Files.write(cfg, lines, StandardCharsets.UTF_8);
                return;
            }
        }
        throw new IllegalStateException("no " + key + " in " + cfg);
    }

    // ------------------------------------------------------------------ process

    /** Starts {@code bin/karaf server} on this installation; its output goes to {@code karaf-<n>.out} next to it. */
    void start() throws IOException {
        if (isRunning()) {
            throw new IllegalStateException("already running (pid " + jvm.pid() + ")");
        }
        starts++;
        debugPort = FuseboxKarafTestSupport.freePort();
        // Karaf's Main writes its pid to karaf.pid (karaf.pid.file in etc/config.properties) as it starts; one left by a
        // killed JVM would name a dead (or, later, an unrelated) process
        Path pidFile = home.resolve("karaf.pid");
        Files.deleteIfExists(pidFile);
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(output(starts).toFile());
        pb.environment().remove("KARAF_EXEC");
        // bin/setenv adds the distribution's own JVM options in front of these
        pb.environment().put("EXTRA_JAVA_OPTS", "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + debugPort);
        launcher = pb.start();
        jvm = null;
        // The JVM is the pid in karaf.pid, and it must be the launcher or one of its descendants (bin/karaf forks java,
        // or execs it with KARAF_EXEC=exec). Not found through its command line: the JDK reads /proc/<pid>/cmdline only
        // up to 4 KB, and with a long installation path Karaf's main class falls beyond it.
        awaitCondition("the Karaf JVM of start " + starts + " (pid in " + pidFile + ")", Duration.ofSeconds(30), () -> {
            jvm = readPid(pidFile).flatMap(ProcessHandle::of)
                    .filter(p -> p.pid() == launcher.pid() || launcher.toHandle().descendants().anyMatch(d -> d.pid() == p.pid()))
                    .orElse(null);
            if (jvm == null && !launcher.isAlive()) {
                throw new AssertionError("bin/karaf ended with " + launcher.exitValue() + ":\n" + outputTail());
            }
            return jvm != null;
        });
    }

    /** The pid Karaf wrote, once the file is complete (a number and nothing else). */
    private static Optional<Long> readPid(Path pidFile) {
        try {
            String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
            return text.matches("\\d+") ? Optional.of(Long.parseLong(text)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    boolean isRunning() {
        return jvm != null && jvm.isAlive();
    }

    long pid() {
        return jvm.pid();
    }

    /** SIGKILL to the Karaf JVM (no shutdown hook, no bundle stop), then waits until it and the launcher are gone. */
    void kill() throws Exception {
        if (jvm != null && jvm.isAlive()) {
            jvm.destroyForcibly();
            jvm.onExit().get(30, TimeUnit.SECONDS);
        }
        if (launcher != null && !launcher.waitFor(10, TimeUnit.SECONDS)) {
            launcher.destroyForcibly();
            launcher.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM to the Karaf JVM, as systemd stops it (Karaf stops every bundle in order), then waits until it is gone. */
    void stop() throws Exception {
        if (jvm != null && jvm.isAlive()) {
            jvm.destroy();
            jvm.onExit().get(90, TimeUnit.SECONDS);
        }
        if (launcher != null && !launcher.waitFor(10, TimeUnit.SECONDS)) {
            launcher.destroyForcibly();
            launcher.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Kills whatever is still running, quietly; for finally blocks and @AfterClass. */
    @Override
    public void close() {
        for (ProcessHandle p : new ProcessHandle[] {jvm, launcher == null ? null : launcher.toHandle()}) {
            if (p != null && p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                try {
                    p.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.err.println("KarafGateway: pid " + p.pid() + " did not end: " + e);
                }
            }
        }
    }

    Path output(int start) {
        return logDir.resolve("karaf-" + start + ".out");
    }

    /** The end of this start's console output and of data/log/karaf.log, for failure messages. */
    String outputTail() {
        return tail(output(starts), 40) + "\n--- data/log/karaf.log, first line ---\n" + head(home.resolve("data/log/karaf.log"))
                + "\n--- data/log/karaf.log ---\n" + tail(home.resolve("data/log/karaf.log"), 60)
                + "\n--- JVMs on this machine (a leftover one would compete for the CPU) ---\n" + jvms();
    }

    private static String head(Path file) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
            return lines.findFirst().orElse("(empty)");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(" + file + ": " + e + ")";
        }
    }

    private static String jvms() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .map(p -> p.pid() + " cpu " + p.info().totalCpuDuration().map(Duration::toSeconds).orElse(-1L) + " s: "
                        + p.info().arguments().map(a -> String.join(" ", a)).map(a -> a.length() > 160 ? a.substring(a.length() - 160) : a).orElse("?"))
                .collect(Collectors.joining("\n"));
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(" + file + ": " + e + ")";
        }
    }

    /** Polls {@code condition} until it holds; fails with the gateway's output when the deadline passes or the JVM died. */
    void await(String what, Duration timeout, BooleanSupplier condition) {
        try {
            awaitCondition(what, timeout, () -> {
                if (jvm != null && !jvm.isAlive()) {
                    throw new AssertionError("the Karaf JVM died while waiting for " + what);
                }
                return condition.getAsBoolean();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- the gateway's output ---\n" + outputTail()
                    + "\n--- where the gateway's busy threads are ---\n" + busyThreads(), e);
        }
    }

    /**
     * The stacks of the threads that bring a gateway up (start level, feature installer, configuration, DS, web,
     * ours), from {@code jcmd Thread.print}: a start that never finishes shows where it waits.
     */
    private String busyThreads() {
        if (jvm == null || !jvm.isAlive()) {
            return "(no JVM)";
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(jvm.pid()), "Thread.print").redirectErrorStream(true).start();
            String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            StringBuilder kept = new StringBuilder();
            for (String thread : dump.split("\n\n")) {
                String name = thread.strip();
                if (name.startsWith("\"") && name.matches("(?s)\"(FelixStartLevel|features-|CM Configuration|SCR Component|paxweb|fusebox|Karaf).*")) {
                    String[] lines = thread.strip().split("\n");
                    kept.append(String.join("\n", java.util.Arrays.asList(lines).subList(0, Math.min(lines.length, 18)))).append("\n");
                }
            }
            return kept.length() == 0 ? dump.substring(0, Math.min(dump.length(), 4000)) : kept.toString();
        } catch (IOException | RuntimeException e) {
            return "(jcmd: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    static void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    // ------------------------------------------------------------------ what is on disk

    /** {@code <karaf.data>/fusebox/management}, fusebox-management's default staging directory. */
    Path staging() {
        return home.resolve("data/fusebox/management");
    }

    Path journal() {
        return staging().resolve("journal.properties");
    }

    /**
     * What the framework has persisted for the bundle installed from a location containing {@code locationPart}:
     * each revision directory of Felix's bundle cache with the Bundle-Version of its jar, e.g.
     * {@code [version0.0=0.1.0.SNAPSHOT, version0.1=0.1.1]}.
     */
    List<String> cachedRevisions(String locationPart) throws IOException {
        Path cache = home.resolve("data/cache");
        try (Stream<Path> bundles = Files.list(cache)) {
            for (Path b : bundles.filter(Files::isDirectory).collect(Collectors.toList())) {
                Path info = b.resolve("bundle.info");
                if (!Files.isRegularFile(info)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(info, StandardCharsets.UTF_8);
                if (lines.size() < 2 || !lines.get(1).contains(locationPart)) {
                    continue;
                }
                List<String> revisions = new ArrayList<>();
                try (Stream<Path> dirs = Files.list(b)) {
                    for (Path rev : dirs.filter(d -> d.getFileName().toString().startsWith("version"))
                            .sorted(Comparator.comparing(d -> d.getFileName().toString())).collect(Collectors.toList())) {
                        revisions.add(rev.getFileName() + "=" + bundleVersion(rev.resolve("bundle.jar")));
                    }
                }
                return revisions;
            }
        }
        return List.of();
    }

    private static String bundleVersion(Path jar) {
        if (!Files.isRegularFile(jar)) {
            return "(no bundle.jar)";
        }
        try (JarFile j = new JarFile(jar.toFile())) {
            return Optional.ofNullable(j.getManifest()).map(m -> m.getMainAttributes().getValue("Bundle-Version"))
                    .orElse("(no Bundle-Version)");
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ------------------------------------------------------------------ holding a thread at an exact point

    /**
     * Attaches to the running JVM's JDWP agent and holds the first thread that enters {@code className.methodName}
     * (any overload): that thread stays suspended, every other thread runs on. The point to kill at is then
     * exact instead of a race with the code that follows.
     */
    Hold holdAt(String className, String methodName) throws Exception {
        AttachingConnector socket = Bootstrap.virtualMachineManager().attachingConnectors().stream()
                .filter(c -> c.name().equals("com.sun.jdi.SocketAttach")).findFirst()
                .orElseThrow(() -> new IllegalStateException("this JDK has no JDI socket connector"));
        Map<String, Connector.Argument> args = socket.defaultArguments();
        args.get("hostname").setValue("127.0.0.1");
        args.get("port").setValue(Integer.toString(debugPort));
        args.get("timeout").setValue("10000");
        return new Hold(socket.attach(args), className, methodName);
    }

    /** A breakpoint that suspends only the thread that hits it; ends with the JVM. */
    static final class Hold {
        private final VirtualMachine vm;
        private final String className;
        private final String methodName;
        private final CountDownLatch hit = new CountDownLatch(1);
        private volatile String where;

        private Hold(VirtualMachine vm, String className, String methodName) {
            this.vm = vm;
            this.className = className;
            this.methodName = methodName;
            ClassPrepareRequest prepare = vm.eventRequestManager().createClassPrepareRequest();
            prepare.addClassFilter(className);
            prepare.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
            prepare.enable();
            // the class may be loaded already (a bundle loads it once)
            vm.classesByName(className).forEach(this::breakIn);
            Thread events = new Thread(this::dispatch, "it-jdi-" + methodName);
            events.setDaemon(true);
            events.start();
        }

        private void breakIn(ReferenceType type) {
            List<Method> methods = type.methodsByName(methodName);
            if (methods.isEmpty()) {
                throw new IllegalStateException(className + " has no method " + methodName);
            }
            for (Method m : methods) {
                BreakpointRequest bp = vm.eventRequestManager().createBreakpointRequest(m.location());
                bp.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
                bp.addCountFilter(1);
                bp.enable();
            }
        }

        private void dispatch() {
            try {
                while (true) {
                    EventSet set = vm.eventQueue().remove();
                    boolean hold = false;
                    for (Event e : set) {
                        if (e instanceof ClassPrepareEvent cp) {
                            breakIn(cp.referenceType());
                        } else if (e instanceof BreakpointEvent b && hit.getCount() > 0) {
                            where = b.thread().name() + " at " + b.location().declaringType().name() + "." + b.location().method().name();
                            hold = true;
                            hit.countDown();
                        } else if (e instanceof VMDeathEvent || e instanceof VMDisconnectEvent) {
                            return;
                        }
                    }
                    if (!hold) {
                        set.resume();
                    }
                }
            } catch (VMDisconnectedException | InterruptedException e) {
                // the JVM was killed: nothing more to hold
            }
        }

        /** Waits until a thread is held at the point; @return which thread, where. */
        String awaitHit(Duration timeout) throws InterruptedException {
            if (!hit.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("no thread reached " + className + "." + methodName + " within " + timeout.toSeconds() + " s");
            }
            return where;
        }

        /** Detaches (the JVM is usually dead already). */
        void close() {
            try {
                vm.dispose();
            } catch (VMDisconnectedException alreadyGone) {
                // killed with the JVM
            }
        }
    }
}
