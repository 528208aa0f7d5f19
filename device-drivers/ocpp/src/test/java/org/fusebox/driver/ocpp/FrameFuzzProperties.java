package org.fusebox.driver.ocpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.extensions.IExtension;
import org.java_websocket.framing.TextFrame;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.protocols.IProtocol;
import org.java_websocket.protocols.Protocol;

/**
 * Fuzzing one charge point connection of the central system over real loopback WebSockets: each try
 * sends {@value #FRAMES_PER_TRY} hostile frames ({@link FuzzFrames}: mutated valid calls, truncation, wrong
 * types, huge numbers, deep nesting, random JSON, oversized text, binary and non-UTF-8 frames), at least
 * 10^5 read by the server in all, while two other charge points keep sending Heartbeat and MeterValues.
 * Frames are pipelined in chunks of {@value #CHUNK} followed by a Heartbeat: its answer says the server read
 * the whole chunk and still serves the connection. When the server closes the connection instead (a frame
 * without a unique id, a binary or non-UTF-8 frame), the charge point reconnects, as a charger would, and
 * sends again what was not read. After every try the engine still listens and every call of the other
 * chargers was answered within {@value #SERVED_WITHIN_SECONDS} s (a liveness bound for a loaded machine,
 * not a speed target).
 */
class FrameFuzzProperties {

    static final int TRIES = 100;
    static final int FRAMES_PER_TRY = 1_000;
    /** Frames pipelined before the Heartbeat that tells they were all read. */
    static final int CHUNK = 200;
    static final long SERVED_WITHIN_SECONDS = 10;

    private static CentralSystemEngine engine;
    private static FuzzSocket fuzzed;
    private static ServedCharger[] others;
    private static final AtomicLong framesRead = new AtomicLong();
    private static final AtomicLong reconnects = new AtomicLong();
    private static final AtomicLong probes = new AtomicLong();
    /** Closes by the kind of the frame first suspected of causing them, for the summary. */
    private static final Map<String, AtomicLong> closesByKind = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> closeCodes = new ConcurrentHashMap<>();

    @BeforeContainer
    static void start() throws Exception {
        engine = new CentralSystemEngine(Configs.settings(Map.of("chargePoints", new String[] {"FUZZ", "OTHER-1", "OTHER-2"})),
                new Devices(), () -> null, v -> null, Clock.systemUTC());
        engine.start();
        others = new ServedCharger[] {new ServedCharger("OTHER-1"), new ServedCharger("OTHER-2")};
        for (ServedCharger o : others) {
            o.startServing();
        }
    }

    @AfterContainer
    static void stop() {
        System.err.printf("FrameFuzzProperties: %d frames read by the server over %d connections; other chargers: %s%n",
                framesRead.get(), reconnects.get() + 1, List.of(others[0].describe(), others[1].describe()));
        System.err.println("FrameFuzzProperties: closes by the kind of frame suspected: " + closesByKind + "; close codes: " + closeCodes);
        if (fuzzed != null) {
            fuzzed.close();
        }
        for (ServedCharger o : others) {
            o.stopServing();
        }
        engine.stop(0);
    }

    @Property(tries = TRIES, shrinking = ShrinkingMode.OFF)
    void oneConnectionsHostileFramesNeitherStopTheServerNorStarveTheOthers(@ForAll long seed) throws Exception {
        FuzzFrames frames = new FuzzFrames(seed);
        Deque<FuzzFrames.Frame> queue = new ArrayDeque<>();
        int read = 0;
        FuzzFrames.Frame last = null;
        while (read < FRAMES_PER_TRY) {
            while (queue.size() < CHUNK) {
                queue.add(frames.next());
            }
            List<FuzzFrames.Frame> chunk = nextChunk(queue);
            last = chunk.get(chunk.size() - 1);
            int done = sendChunk(chunk, seed);
            read += done;
            // what the server never read (it closed the socket on an earlier frame) goes again on a new connection
            for (int i = chunk.size() - 1; i >= done; i--) {
                queue.addFirst(chunk.get(i));
            }
        }
        framesRead.addAndGet(read);
        assertThat(engine.listening()).as("the server listens after seed %d (last frame %s)", seed, last.excerpt()).isTrue();
        for (ServedCharger o : others) {
            o.assertServed(seed);
        }
    }

    /**
     * The frames to pipeline next: up to the first binary or non-UTF-8 frame, which goes alone. Those close
     * the connection in the WebSocket layer, which may then drop the frames read with it in the same buffer
     * unanswered; alone, what the server read is known exactly.
     */
    private static List<FuzzFrames.Frame> nextChunk(Deque<FuzzFrames.Frame> queue) {
        List<FuzzFrames.Frame> chunk = new ArrayList<>();
        if (queue.peekFirst().bytes() != null) {
            chunk.add(queue.pollFirst());
            return chunk;
        }
        while (!queue.isEmpty() && queue.peekFirst().bytes() == null) {
            chunk.add(queue.pollFirst());
        }
        return chunk;
    }

    /**
     * Pipelines the frames and a Heartbeat on the fuzzed connection, then waits for the Heartbeat's answer or
     * the close. @return how many of the frames the server surely read: all when the Heartbeat is answered;
     * after a close, those up to the last answered one and the one after it (the earliest that can have
     * made the server close)
     */
    private static int sendChunk(List<FuzzFrames.Frame> chunk, long seed) throws Exception {
        FuzzSocket s = fuzzSocket();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < chunk.size(); i++) {
            if (chunk.get(i).uniqueId() != null) {
                index.put(chunk.get(i).uniqueId(), i);
            }
        }
        String probe = "probe-" + probes.incrementAndGet();
        s.begin(index, probe);
        try {
            for (FuzzFrames.Frame f : chunk) {
                s.sendFuzz(f);
            }
            s.send("[2,\"" + probe + "\",\"Heartbeat\",{}]");
        } catch (WebsocketNotConnectedException closedMeanwhile) {
            // closed by the server on one of the frames: the wait below sees it
        }
        if (!s.done.await(Wait.DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the fuzzed connection got neither the answer to its Heartbeat nor a close within "
                    + Wait.DEADLINE.toSeconds() + " s after seed " + seed + "; last answered frame: "
                    + (s.lastAnswered < 0 ? "none" : chunk.get(s.lastAnswered).excerpt()));
        }
        if (s.probeAnswered) {
            return chunk.size();
        }
        int suspect = Math.min(chunk.size() - 1, s.lastAnswered + 1);
        closesByKind.computeIfAbsent(chunk.get(suspect).kind(), k -> new AtomicLong()).incrementAndGet();
        return suspect + 1;
    }

    private static synchronized FuzzSocket fuzzSocket() throws Exception {
        if (fuzzed == null || fuzzed.isClosed() || fuzzed.isClosing()) {
            if (fuzzed != null) {
                reconnects.incrementAndGet();
            }
            fuzzed = new FuzzSocket(URI.create("ws://127.0.0.1:" + engine.port() + "/ocpp/FUZZ"));
            assertThat(fuzzed.connectBlocking(Wait.DEADLINE.toSeconds(), TimeUnit.SECONDS))
                    .as("the fuzzed charge point reconnects (after %d reconnects)", reconnects.get()).isTrue();
        }
        return fuzzed;
    }

    private static Draft_6455 ocpp16() {
        return new Draft_6455(List.<IExtension>of(), List.<IProtocol>of(new Protocol("ocpp1.6")));
    }

    /** The fuzzer's socket: which frame of the current chunk was answered last, and whether the probe was, or the socket closed. */
    private static final class FuzzSocket extends WebSocketClient {
        private volatile Map<String, Integer> index = Map.of();
        private volatile String probe;
        volatile int lastAnswered = -1;
        volatile boolean probeAnswered;
        volatile CountDownLatch done = new CountDownLatch(1);

        FuzzSocket(URI uri) {
            super(uri, ocpp16(), null, 10_000);
        }

        void begin(Map<String, Integer> chunkIndex, String probeId) {
            index = chunkIndex;
            probe = probeId;
            lastAnswered = -1;
            probeAnswered = false;
            done = new CountDownLatch(1);
            if (isClosed() || isClosing()) {
                done.countDown();
            }
        }

        void sendFuzz(FuzzFrames.Frame f) {
            if (f.text() != null) {
                send(f.text());
            } else if (f.binary()) {
                send(f.bytes());
            } else {
                TextFrame frame = new TextFrame();
                frame.setPayload(ByteBuffer.wrap(f.bytes()));
                frame.setFin(true);
                sendFrame(frame);
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
            int start = message.indexOf('"') + 1;
            int end = start > 0 ? message.indexOf('"', start) : -1;
            if (end < 0) {
                return;
            }
            String id = message.substring(start, end);
            if (id.equals(probe) && message.startsWith("[3,")) {
                probeAnswered = true;
                done.countDown();
                return;
            }
            Integer i = index.get(id);
            if (i != null && i > lastAnswered) {
                lastAnswered = i;
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closeCodes.computeIfAbsent(code + " " + reason, k -> new AtomicLong()).incrementAndGet();
            done.countDown();
        }

        @Override
        public void onError(Exception ex) {
            // surfaces as a close
        }
    }

    /** A well-behaved charge point: booted, then a Heartbeat or MeterValues every 50 ms, each answer timed. */
    private static final class ServedCharger extends WebSocketClient {
        private final String id;
        private final Map<String, Long> outstanding = new ConcurrentHashMap<>();
        private final AtomicLong answered = new AtomicLong();
        private final AtomicLong slowestNanos = new AtomicLong();
        private final AtomicBoolean serving = new AtomicBoolean(true);
        private Thread sender;

        ServedCharger(String id) {
            super(URI.create("ws://127.0.0.1:" + engine.port() + "/ocpp/" + id), ocpp16(), null, 10_000);
            this.id = id;
        }

        void startServing() throws Exception {
            assertThat(connectBlocking(Wait.DEADLINE.toSeconds(), TimeUnit.SECONDS)).as(id + " connects").isTrue();
            call("BootNotification", "{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}");
            sender = new Thread(() -> {
                long n = 0;
                while (serving.get()) {
                    if (n++ % 2 == 0) {
                        call("Heartbeat", "{}");
                    } else {
                        call("MeterValues", "{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2024-01-01T00:00:00Z\","
                                + "\"sampledValue\":[{\"value\":\"" + n + "\",\"measurand\":\"Energy.Active.Import.Register\",\"unit\":\"Wh\"}]}]}");
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "fuzz-" + id);
            sender.setDaemon(true);
            sender.start();
        }

        private void call(String action, String payload) {
            String unique = id + "-" + System.nanoTime();
            outstanding.put(unique, System.nanoTime());
            try {
                send("[2,\"" + unique + "\",\"" + action + "\"," + payload + "]");
            } catch (WebsocketNotConnectedException e) {
                // kept outstanding: assertServed reports it
            }
        }

        @Override
        public void onMessage(String message) {
            int start = message.indexOf('"') + 1;
            if (message.startsWith("[2,")) {
                // the central system's own calls (charging profiles): accepted, as a charger would
                send("[3,\"" + message.substring(start, message.indexOf('"', start)) + "\",{\"status\":\"Accepted\"}]");
                return;
            }
            Long sentAt = outstanding.remove(message.substring(start, message.indexOf('"', start)));
            if (sentAt != null && message.startsWith("[3,")) {
                answered.incrementAndGet();
                slowestNanos.accumulateAndGet(System.nanoTime() - sentAt, Math::max);
            }
        }

        /** Every call sent more than the bound ago was answered with a CALLRESULT, and the slowest within the bound. */
        void assertServed(long seed) {
            long now = System.nanoTime();
            long bound = TimeUnit.SECONDS.toNanos(SERVED_WITHIN_SECONDS);
            long late = outstanding.values().stream().filter(t -> now - t > bound).count();
            assertThat(isOpen()).as("%s still connected after seed %d", id, seed).isTrue();
            assertThat(late).as("%s calls unanswered for more than %d s after seed %d (%s)", id, SERVED_WITHIN_SECONDS, seed,
                    describe()).isZero();
            assertThat(slowestNanos.get()).as("%s slowest answer after seed %d", id, seed).isLessThanOrEqualTo(bound);
        }

        String describe() {
            return String.format("%s: %d answered, slowest %.1f ms, %d outstanding", id, answered.get(), slowestNanos.get() / 1e6,
                    outstanding.size());
        }

        void stopServing() {
            serving.set(false);
            if (sender != null) {
                sender.interrupt();
            }
            close();
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
        }

        @Override
        public void onError(Exception ex) {
        }
    }
}
