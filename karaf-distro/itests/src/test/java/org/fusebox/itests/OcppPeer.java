package org.fusebox.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.Assume;

/**
 * OCPP 1.6J charge points played by an implementation Fusebox did not write: npm's {@code ocpp-rpc} in
 * strict JSON-schema mode, run by {@code src/test/node/charge-point.js} in a node process and driven over
 * its stdin/stdout, one JSON object a line (the script's header lists the commands and events). Whatever
 * the central system sends that breaks the OCPP 1.6 schemas comes back as a {@code violation} event,
 * which {@link #violations()} collects for the test to assert on.
 *
 * <p>Needs {@code node} on the PATH and {@code npm ci} run in {@code src/test/node} ({@code .ci/run} does
 * both). Without them a test is skipped with a message saying so, and fails under {@code CI=true}.
 */
final class OcppPeer implements AutoCloseable {

    /** System property with the folder of charge-point.js (set by the pom; copied into the container). */
    static final String DIR_PROPERTY = "fusebox.itest.peer.dir";
    /** System property that is "true" when the build runs in CI (the CI environment variable). */
    static final String CI_PROPERTY = "fusebox.itest.ci";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long COMMAND_TIMEOUT_SECONDS = 45;

    private final Process process;
    private final OutputStream stdin;
    private final AtomicLong refs = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
    private final StringBuilder stderr = new StringBuilder();

    private OcppPeer(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread out = new Thread(this::readEvents, "ocpp-peer-stdout");
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(this::readErrors, "ocpp-peer-stderr");
        err.setDaemon(true);
        err.start();
    }

    /**
     * Starts the node process in {@code dir} (the folder with charge-point.js and its node_modules), or
     * skips the test when node or the library is missing (fails instead when {@code ci} is true).
     */
    static OcppPeer start(String dir, boolean ci) throws Exception {
        File folder = dir == null ? null : new File(dir);
        String missing = null;
        if (folder == null || !new File(folder, "charge-point.js").isFile()) {
            missing = "charge-point.js not found in " + dir + " (system property " + DIR_PROPERTY + ")";
        } else if (!new File(folder, "node_modules/ocpp-rpc/package.json").isFile()) {
            missing = "ocpp-rpc is not installed: run `npm ci` in " + folder.getAbsolutePath();
        }
        Process p = null;
        if (missing == null) {
            try {
                p = new ProcessBuilder("node", "charge-point.js").directory(folder).start();
            } catch (IOException e) {
                missing = "node is not installed (apt-get install nodejs npm): " + e.getMessage();
            }
        }
        if (missing != null) {
            if (ci) {
                throw new AssertionError("the independent OCPP peer cannot run under CI=true: " + missing);
            }
            System.err.println("SKIPPED: the independent OCPP peer cannot run: " + missing);
            Assume.assumeTrue(missing, false);
        }
        OcppPeer peer = new OcppPeer(p);
        try {
            JsonNode hello = peer.ready.get(30, TimeUnit.SECONDS);
            System.err.println("OCPP peer ready: node " + hello.path("node").asText() + ", ocpp-rpc " + hello.path("ocppRpc").asText());
        } catch (TimeoutException e) {
            peer.close();
            throw new AssertionError("the node charge point did not start: " + peer.stderr);
        }
        return peer;
    }

    /** Sends a command for charge point {@code cp} and waits for its outcome; fails on an error. */
    JsonNode command(String cp, String cmd, Map<String, ?> fields) {
        JsonNode done = tryCommand(cp, cmd, fields);
        if (!done.path("ok").asBoolean()) {
            throw new AssertionError(cp + " " + cmd + " failed: " + done.path("error").asText() + " (" + done.path("code").asText() + ")");
        }
        return done.path("payload");
    }

    /** Sends a command and waits for its outcome, which may be an error ({@code ok} false). */
    JsonNode tryCommand(String cp, String cmd, Map<String, ?> fields) {
        long ref = refs.incrementAndGet();
        ObjectNode line = JSON.createObjectNode();
        line.put("ref", ref);
        line.put("cp", cp);
        line.put("cmd", cmd);
        fields.forEach((k, v) -> line.set(k, JSON.valueToTree(v)));
        CompletableFuture<JsonNode> outcome = new CompletableFuture<>();
        pending.put(ref, outcome);
        try {
            synchronized (stdin) {
                stdin.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
            return outcome.get(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(cp + " " + cmd + ": no outcome within " + COMMAND_TIMEOUT_SECONDS + " s");
        } catch (Exception e) {
            throw new AssertionError(cp + " " + cmd + ": " + e, e);
        } finally {
            pending.remove(ref);
        }
    }

    /** Called on the reader thread for every event after this; keep it short. */
    void onEvent(Consumer<JsonNode> listener) {
        listeners.add(listener);
    }

    /** Every event so far of one kind ("received", "violation", "close", ...) and charge point (null: any). */
    List<JsonNode> events(String kind, String cp) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode e : events) {
            if (kind.equals(e.path("event").asText()) && (cp == null || cp.equals(e.path("cp").asText()))) {
                found.add(e);
            }
        }
        return found;
    }

    /** The calls of the central system that broke the OCPP 1.6 JSON schemas (strict mode), as one line each. */
    List<String> violations() {
        List<String> found = new ArrayList<>();
        for (JsonNode v : events("violation", null)) {
            if (!v.path("outbound").asBoolean()) {
                found.add(v.path("cp").asText() + " " + v.path("method").asText() + (v.path("isCall").asBoolean() ? " call: " : " answer: ")
                        + v.path("error").asText() + " in " + (v.path("isCall").asBoolean() ? v.path("params") : v.path("result")));
            }
        }
        return found;
    }

    private void readEvents() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode e;
                try {
                    e = JSON.readTree(line);
                } catch (IOException notJson) {
                    System.err.println("ocpp peer: " + line);
                    continue;
                }
                String kind = e.path("event").asText();
                if ("ready".equals(kind)) {
                    ready.complete(e);
                    continue;
                }
                if ("done".equals(kind)) {
                    CompletableFuture<JsonNode> f = pending.get(e.path("ref").asLong());
                    if (f != null) {
                        f.complete(e);
                    }
                    continue;
                }
                events.add(e);
                for (Consumer<JsonNode> l : listeners) {
                    try {
                        l.accept(e);
                    } catch (RuntimeException failed) {
                        System.err.println("ocpp peer listener failed on " + line + ": " + failed);
                    }
                }
            }
        } catch (IOException closed) {
            // the process ended
        }
    }

    private void readErrors() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (stderr) {
                    stderr.append(line).append('\n');
                }
                System.err.println("ocpp peer stderr: " + line);
            }
        } catch (IOException closed) {
            // the process ended
        }
    }

    /** Closing stdin makes the script close its sockets and exit; killed if it does not within 5 s. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
