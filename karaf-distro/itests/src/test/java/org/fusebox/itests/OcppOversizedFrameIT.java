package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * One admitted charge point sends what no charger should: a 32 MB DataTransfer (over ocpp-rpc, the
 * independent peer of {@link OcppPeer}), and a frame header claiming 1 GB. The connection must be closed
 * with a close code, the gateway must stay up (REST answers, control cycles go on, the other charge point
 * is served) and karaf.log must say why. Not a Pax Exam test: the distribution runs as {@code bin/karaf
 * server} with its shipped JVM settings (256 MB heap, exit on OutOfMemoryError, as on a gateway), in its
 * own process under {@code target/ocpp-oversized-frame/gateway}, so that a frame that kills the JVM shows
 * as exactly that.
 */
public class OcppOversizedFrameIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FRAME_BYTES = 32 * 1024 * 1024;
    private static final Pattern SIZE_REASON = Pattern.compile("(?i).*(too (big|large)|size|1009|limit|exceed|bytes).*");

    private static KarafGateway gateway;
    private static OcppPeer peer;
    private static int httpPort;
    private static int ocppPort;

    @BeforeClass
    public static void startGateway() throws Exception {
        peer = OcppPeer.start(System.getProperty(OcppPeer.DIR_PROPERTY), "true".equalsIgnoreCase(System.getenv("CI")));
        gateway = KarafGateway.unpack(Path.of("target", "ocpp-oversized-frame").toAbsolutePath());
        KarafGateway g = gateway;
        Runtime.getRuntime().addShutdownHook(new Thread(g::close, "it-oversized-gateway"));
        int[] ports = FuseboxKarafTestSupport.freePorts(5);
        httpPort = ports[0];
        ocppPort = ports[4];
        gateway.configure("org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(httpPort));
        gateway.configure("fusebox.simulator.cfg", "gridMeterModbusPort", Integer.toString(ports[1]));
        gateway.configure("fusebox.simulator.cfg", "pvModbusPort", Integer.toString(ports[2]));
        gateway.configure("fusebox.simulator.cfg", "batteryModbusPort", Integer.toString(ports[3]));
        gateway.configure("fusebox.driver.modbus-grid.cfg", "port", Integer.toString(ports[1]));
        gateway.configure("fusebox.driver.modbus-pv.cfg", "port", Integer.toString(ports[2]));
        gateway.configure("fusebox.driver.modbus-battery.cfg", "port", Integer.toString(ports[3]));
        gateway.configure("fusebox.driver.ocpp.cfg", "port", Integer.toString(ocppPort));
        gateway.configure("fusebox.driver.ocpp.cfg", "chargePoints",
                "sim-charger-1,sim-charger-2,sim-charger-3,sim-charger-4,ext-big,ext-other,ext-claim");
        gateway.configure("fusebox.simulator.cfg", "ocppCentralSystemUrl", "ws://127.0.0.1:" + ocppPort + "/ocpp");
        gateway.start();
        gateway.await("the demo site RUNNING over REST", Duration.ofSeconds(150), () -> {
            Http.Response r = Http.get(httpPort, "/fusebox/api/v1/site");
            return r.status() == 200 && r.body().contains("\"RUNNING\"");
        });
    }

    @AfterClass
    public static void stopGateway() {
        if (peer != null) {
            peer.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    public void aHugeFrameClosesItsConnectionAndTheGatewayStaysUp() throws Exception {
        String endpoint = "ws://127.0.0.1:" + ocppPort + "/ocpp";
        for (String cp : List.of("ext-other", "ext-big")) {
            peer.command(cp, "connect", Map.of("endpoint", endpoint));
            assertEquals(cp + " boot", "Accepted", peer.command(cp, "boot", Map.of()).path("status").asText());
            peer.command(cp, "status", Map.of("connectorId", 1, "status", "Available"));
        }
        List<String> problems = new ArrayList<>();
        Path log = gateway.home.resolve("data/log/karaf.log");
        long logBefore = Files.size(log);

        JsonNode sent = peer.command("ext-big", "sendRaw", Map.of("dataTransferBytes", FRAME_BYTES));
        System.err.println("ext-big sent a DataTransfer frame of " + sent.path("bytes").asLong() + " bytes");
        boolean closed = poll(30_000, () -> !peer.events("close", "ext-big").isEmpty());
        List<JsonNode> closes = peer.events("close", "ext-big");
        String closeCode = closes.isEmpty() ? "none" : closes.get(0).path("code").asText() + " " + closes.get(0).path("reason").asText();
        System.err.println("ext-big connection closed: " + closeCode);
        if (!closed) {
            problems.add("the connection of ext-big stayed open 30 s after its " + FRAME_BYTES + "-byte frame; answers: "
                    + peer.events("badMessage", "ext-big"));
        } else if (!closeCode.startsWith("1009") && !closeCode.startsWith("1008")) {
            problems.add("ext-big's connection closed with " + closeCode + ", not with 1009 (message too big) or 1008 (policy)");
        }
        gatewayStillServes("the 32 MB frame", problems);
        String reason = newLogLines(log, logBefore, "ext-big");
        if (reason == null) {
            problems.add("karaf.log has no line naming ext-big and the frame size since the frame");
        }

        if (gateway.isRunning()) {
            logBefore = Files.size(log);
            String claim = claimOneGigabyte("ext-claim");
            System.err.println("ext-claim after a 1 GB frame header: " + claim);
            if (claim.startsWith("open")) {
                problems.add("ext-claim's connection stayed open after a frame header claiming 1 GB");
            }
            gatewayStillServes("a frame header claiming 1 GB", problems);
            if (newLogLines(log, logBefore, "ext-claim") == null) {
                problems.add("karaf.log has no line naming ext-claim and the frame size since its 1 GB claim");
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems) + "\n--- the gateway's output ---\n" + gateway.outputTail());
        }
    }

    /** The JVM alive, /health answering, cycles going on, the other charge point answered. */
    private static void gatewayStillServes(String after, List<String> problems) {
        sleep(2000);
        if (!gateway.isRunning()) {
            problems.add("the gateway JVM died after " + after + " (console: " + consoleMentions("OutOfMemoryError") + ")");
            return;
        }
        Http.Response health = Http.get(httpPort, "/fusebox/api/v1/health");
        if (health.status() != 200) {
            problems.add("/health answered " + health.status() + " after " + after + ": " + health.body());
        }
        long first = cycle();
        boolean cycling = poll(10_000, () -> cycle() >= first + 3);
        if (!cycling) {
            problems.add("control cycles stopped after " + after + " (cycle " + first + " then " + cycle() + ")");
        }
        JsonNode hb = peer.tryCommand("ext-other", "heartbeat", Map.of());
        if (!hb.path("ok").asBoolean()) {
            problems.add("ext-other's Heartbeat not answered after " + after + ": " + hb.path("error").asText());
        }
    }

    private static long cycle() {
        Http.Response r = Http.get(httpPort, "/fusebox/api/v1/site");
        try {
            return r.status() == 200 ? JSON.readTree(r.body()).path("cycle").asLong(-1) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Opens a WebSocket by hand as {@code cp} and sends only the header of a masked text frame whose length
     * field says 1 GB, then a few bytes. @return "open" or "closed ..." with what the server did.
     */
    private static String claimOneGigabyte(String cp) throws Exception {
        try (Socket s = new Socket("127.0.0.1", ocppPort)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            String key = Base64.getEncoder().encodeToString("fusebox-itest-key".substring(0, 16).getBytes(StandardCharsets.US_ASCII));
            out.write(("GET /ocpp/" + cp + " HTTP/1.1\r\nHost: 127.0.0.1:" + ocppPort + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ocpp1.6\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String handshake = readHeaders(in);
            if (!handshake.startsWith("HTTP/1.1 101")) {
                return "closed: upgrade refused: " + handshake;
            }
            long length = 1L << 30;
            byte[] header = new byte[14];
            header[0] = (byte) 0x81;
            header[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                header[2 + i] = (byte) (length >>> (56 - 8 * i));
            }
            out.write(header);
            out.write("[2,\"claim\",\"DataTransfer\",{\"vendorId\":\"x\",\"data\":\"".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                int first = in.read();
                if (first < 0) {
                    return "closed: end of stream without a close frame";
                }
                int second = in.read();
                byte[] rest = in.readNBytes(Math.max(0, second & 0x7f));
                int code = rest.length >= 2 ? ((rest[0] & 0xff) << 8) | (rest[1] & 0xff) : -1;
                return (first & 0x0f) == 0x8 ? "closed with " + code + " " + new String(rest, 2, Math.max(0, rest.length - 2), StandardCharsets.UTF_8)
                        : "open: the server sent opcode " + (first & 0x0f);
            } catch (java.net.SocketTimeoutException e) {
                return "open: nothing from the server in 20 s";
            } catch (java.io.IOException e) {
                return "closed: " + e.getMessage();
            }
        }
    }

    private static String readHeaders(InputStream in) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            b.append((char) c);
            if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return b.toString().trim();
    }

    /** The first line of karaf.log written after {@code from} that names {@code cp} and a size, or null. */
    private static String newLogLines(Path log, long from, String cp) throws Exception {
        byte[] all = Files.readAllBytes(log);
        String fresh = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from), StandardCharsets.UTF_8);
        for (String line : fresh.split("\n")) {
            if (line.contains(cp) && SIZE_REASON.matcher(line).matches()) {
                System.err.println("karaf.log: " + line);
                return line;
            }
        }
        System.err.println("karaf.log since the frame (" + fresh.length() + " chars):\n"
                + (fresh.length() > 4000 ? fresh.substring(fresh.length() - 4000) : fresh));
        return null;
    }

    private static String consoleMentions(String what) {
        String tail = gateway.outputTail();
        return tail.contains(what) ? "it says " + what : "no " + what + " in its output";
    }

    private static boolean poll(long millis, java.util.function.BooleanSupplier condition) {
        return Polls.within(millis, condition);
    }

    private static void sleep(long millis) {
        Polls.pause(millis);
    }
}
