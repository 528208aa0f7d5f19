package org.fusebox.driver.modbus.peer;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Two pseudo terminals joined by socat: a virtual null-modem cable. Whatever is written to one end is read
 * from the other, byte for byte, so real RTU frames (with CRC) cross it through jSerialComm on both sides.
 */
public final class SocatPtyPair implements AutoCloseable {

    private static final Duration START_DEADLINE = Duration.ofSeconds(20);
    private static final String INSTALL_HINT = "install it with: sudo apt-get install -y socat";

    private final Process socat;
    private final Path driverEnd;
    private final Path deviceEnd;
    private final Path log;

    private SocatPtyPair(Process socat, Path driverEnd, Path deviceEnd, Path log) {
        this.socat = socat;
        this.driverEnd = driverEnd;
        this.deviceEnd = deviceEnd;
        this.log = log;
    }

    /**
     * The socat executable. Without it the RTU tests cannot run: on CI (CI=true) that is a failure, since
     * the pipeline must provide it; elsewhere the test is skipped with how to install it.
     */
    public static Path requireSocat() {
        Optional<Path> found = findOnPath("socat");
        if (found.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("socat is not installed, so Modbus RTU cannot be tested over a pseudo-terminal pair: "
                        + ".ci/run must install socat (apt-get install -y socat)");
            }
            Assumptions.abort("SKIPPED: socat is not installed, so no Modbus RTU frame is exchanged in this build; "
                    + INSTALL_HINT);
        }
        return found.get();
    }

    private static Optional<Path> findOnPath(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + File.pathSeparator
                + "/usr/bin" + File.pathSeparator + "/usr/local/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Starts socat with its two links in {@code dir} and waits until both exist. */
    public static SocatPtyPair start(Path dir) throws IOException, InterruptedException {
        Path socat = requireSocat();
        Path driverEnd = dir.resolve("ttyDriver");
        Path deviceEnd = dir.resolve("ttyDevice");
        Path log = dir.resolve("socat.log");
        Process process = new ProcessBuilder(socat.toString(), "-d", "-d",
                "pty,raw,echo=0,link=" + driverEnd, "pty,raw,echo=0,link=" + deviceEnd)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        SocatPtyPair pair = new SocatPtyPair(process, driverEnd, deviceEnd, log);
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (!(Files.exists(driverEnd) && Files.exists(deviceEnd))) {
            if (!process.isAlive()) {
                String output = pair.log();
                pair.close();
                fail("socat exited with " + process.exitValue() + " before creating its ptys: " + output);
            }
            if (System.nanoTime() > deadline) {
                String output = pair.log();
                pair.close();
                fail("socat did not create " + driverEnd + " and " + deviceEnd + " within " + START_DEADLINE
                        + ": " + output);
            }
            Thread.sleep(20);
        }
        return pair;
    }

    /** The end the driver under test opens. */
    public Path driverEnd() {
        return driverEnd;
    }

    /** The end the simulated device listens on. */
    public Path deviceEnd() {
        return deviceEnd;
    }

    /** What socat said (its -d -d notices), for failure messages. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(no socat log: " + e.getMessage() + ")";
        }
    }

    /** Ends this socat process only (TERM, then KILL if it lingers). */
    @Override
    public void close() throws InterruptedException {
        socat.destroy();
        if (!socat.waitFor(5, TimeUnit.SECONDS)) {
            socat.destroyForcibly();
            socat.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
