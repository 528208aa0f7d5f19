package org.fusebox.driver.modbus.peer;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's pymodbus (python3-pymodbus, a Modbus TCP server we did not write) serving the register image a
 * test sends, with the faults the test switches on: src/test/python/sunspec_server.py, driven over its
 * stdin, one command per line. Without pymodbus the tests that need it fail on CI (CI=true) and are skipped
 * with how to install it elsewhere.
 */
public final class PyModbusServer implements AutoCloseable {

    public static final String INSTALL_HINT = "install it with: apt-get install -y python3-pymodbus";
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src/test/python/sunspec_server.py");

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final int port;

    private PyModbusServer(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String first = out.readLine();
        if (first == null || !first.startsWith("port ")) {
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            throw new IOException("the pymodbus server did not start: " + first + " " + err);
        }
        this.port = Integer.parseInt(first.substring(5).trim());
    }

    /** Starts the server on a free loopback port; skips or fails (CI) when pymodbus is missing. */
    public static PyModbusServer start() throws IOException, InterruptedException {
        requirePymodbus();
        ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), SCRIPT.toAbsolutePath().toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return new PyModbusServer(pb.start());
    }

    static void requirePymodbus() throws IOException, InterruptedException {
        boolean present = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c", "import pymodbus")
                .redirectErrorStream(true).start().waitFor() == 0;
        if (!present) {
            if ("true".equals(System.getenv("CI"))) {
                fail("pymodbus is not installed for /usr/bin/python3, so the driver cannot be tested against it: "
                        + ".ci/run must install python3-pymodbus");
            }
            Assumptions.abort("SKIPPED: pymodbus is not installed for /usr/bin/python3; " + INSTALL_HINT);
        }
    }

    public int port() {
        return port;
    }

    /** Sends one command and returns what follows "ok". */
    public synchronized String send(String command) {
        try {
            in.write(command + "\n");
            in.flush();
            String answer = out.readLine();
            if (answer == null || !answer.startsWith("ok")) {
                throw new IllegalStateException("pymodbus server: " + command + " -> " + answer);
            }
            return answer.substring(2).trim();
        } catch (IOException e) {
            throw new IllegalStateException("pymodbus server gone: " + e, e);
        }
    }

    private static String words(int[] words) {
        return Arrays.stream(words).mapToObj(w -> Integer.toString(w & 0xFFFF)).collect(Collectors.joining(" "));
    }

    /** The holding registers are exactly this image (as a SunSpecImage writes it). */
    public void image(int address, int[] words) {
        send("image " + address + " " + words(words));
    }

    /** This image replaces the registers when the next client connects. */
    public void imageOnReconnect(int address, int[] words) {
        send("image-on-reconnect " + address + " " + words(words));
    }

    public void set(int address, int... words) {
        send("set " + address + " " + words(words));
    }

    public int[] get(int address, int count) {
        String values = send("get " + address + " " + count);
        return Arrays.stream(values.split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    /** Registers that refuse reads, as unused registers of many devices do. */
    public void holes(int address, int count) {
        send("holes " + address + " " + count);
    }

    public void drop(int replies) {
        send("drop " + replies);
    }

    public void garble(int replies) {
        send("garble " + replies);
    }

    public void wrongTransactionId(int replies) {
        send("wrongtid " + replies);
    }

    public void refuse(int replies, int exceptionCode) {
        send("refuse " + replies + " " + exceptionCode);
    }

    /** The next {@code replies} replies to writes are this exception: a device not ready to be controlled. */
    public void refuseWrites(int replies, int exceptionCode) {
        send("refuse-writes " + replies + " " + exceptionCode);
    }

    public void delay(int millis) {
        send("delay " + millis);
    }

    public void disconnectClients() {
        send("disconnect");
    }

    /** Replies with an exception so far (refusals, illegal addresses). */
    public int errors() {
        List<String> s = List.of(send("stats").split(" "));
        return Integer.parseInt(s.get(s.indexOf("errors") + 1));
    }

    public int requests() {
        List<String> s = List.of(send("stats").split(" "));
        return Integer.parseInt(s.get(s.indexOf("requests") + 1));
    }

    /** A sink for {@link SunSpecImage#writeTo}: the whole image in one command. */
    public SunSpecImage.Sink asImage() {
        return this::image;
    }

    public SunSpecImage.Sink onReconnect() {
        return this::imageOnReconnect;
    }

    static int[] range(int n) {
        return IntStream.range(0, n).toArray();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            send("quit");
        } catch (RuntimeException gone) {
            // already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
