package org.fusebox.driver.ocpp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fusebox.api.device.ChargerReading;
import org.fusebox.api.device.ConnectorReading;
import org.fusebox.api.device.DeviceStatus;
import org.fusebox.api.device.EvCharger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What one connection may cost the gateway, and who may take a charge point's place, over real sockets on
 * loopback: oversized frames and messages, floods, silent chargers, second connections and password guessing.
 */
class ResourceLimitsTest {

    private final Devices devices = new Devices();
    private CentralSystemEngine engine;
    private final List<AutoCloseable> open = new ArrayList<>();

    private void start(Map<String, Object> config) throws Exception {
        Map<String, Object> c = new HashMap<>(config);
        c.putIfAbsent("chargePoints", new String[] {"CP1", "CP2"});
        engine = new CentralSystemEngine(Configs.settings(c), devices, () -> null, v -> null, Clock.systemUTC());
        engine.start();
    }

    private String base() {
        return "ws://127.0.0.1:" + engine.port() + "/ocpp";
    }

    private RawSocket keep(RawSocket t) {
        open.add(t);
        return t;
    }

    private ScriptedCharger keep(ScriptedCharger t) {
        open.add(t::close);
        return t;
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (engine != null) {
            engine.stop(0);
        }
    }

    /** Another charger is still served: the gateway is alive and well. */
    private void assertOthersServed() throws Exception {
        ScriptedCharger other = keep(ScriptedCharger.open(base(), "CP2"));
        assertThat(other.boot().get("status").asText()).isEqualTo("Accepted");
        other.close();
    }

    @Test
    void aFrameOf32MegabytesIsRefusedWith1009AndNothingElseSuffers() throws Exception {
        start(Map.of());
        RawSocket raw = keep(RawSocket.open(engine.port(), "CP1"));
        assertThat(raw.statusLine).contains("101");
        Thread writer = new Thread(() -> {
            try {
                raw.header(1, true, 32L * 1024 * 1024);
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 'x');
                for (int i = 0; i < 512; i++) {
                    raw.out.write(chunk);
                }
            } catch (Exception expected) {
                // the server hangs up long before the end
            }
        });
        writer.start();
        assertThat(raw.awaitCloseCode()).isEqualTo(1009);
        writer.join(20_000);
        assertOthersServed();
    }

    @Test
    void aHeaderClaimingAGigabyteIsRefusedFromTheHeaderAlone() throws Exception {
        start(Map.of());
        RawSocket raw = keep(RawSocket.open(engine.port(), "CP1"));
        raw.header(1, true, 1L << 30);
        raw.out.write("[2,\"x\",\"DataTransfer\",{\"vendorId\":\"".getBytes(StandardCharsets.US_ASCII));
        raw.out.flush();
        assertThat(raw.awaitCloseCode()).isEqualTo(1009);
        assertOthersServed();
    }

    @Test
    void fragmentsAddingUpBeyondTheLimitAreRefused() throws Exception {
        start(Map.of("maxMessageBytes", 65536));
        RawSocket raw = keep(RawSocket.open(engine.port(), "CP1"));
        byte[] part = new byte[16 * 1024];
        Arrays.fill(part, (byte) ' ');
        int code = -2;
        Thread writer = new Thread(() -> {
            try {
                raw.frame(1, false, part);
                for (int i = 0; i < 64; i++) {
                    raw.frame(0, false, part);
                }
            } catch (Exception expected) {
                // refused on the way
            }
        });
        writer.start();
        code = raw.awaitCloseCode();
        writer.join(20_000);
        assertThat(code).isEqualTo(1009);
        assertOthersServed();
    }

    @Test
    void anUpgradeRequestThatNeverEndsIsCutOff() throws Exception {
        start(Map.of());
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", engine.port())) {
            s.setSoTimeout((int) Wait.DEADLINE.toMillis());
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write("GET /ocpp/CP1 HTTP/1.1\r\nX-Long: ".getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    Arrays.fill(chunk, (byte) 'a');
                    for (int i = 0; i < 512; i++) {
                        s.getOutputStream().write(chunk);
                    }
                } catch (Exception expected) {
                    // the server hangs up
                }
            });
            writer.start();
            writer.join(Wait.DEADLINE.toMillis());
            assertThat(writer.isAlive()).as("32 MB of header taken without a word").isFalse();
            String answer;
            try {
                answer = new String(s.getInputStream().readNBytes(200), StandardCharsets.US_ASCII);
            } catch (java.io.IOException reset) {
                answer = "";
            }
            assertThat(answer).as("no upgrade").doesNotContain("101");
        }
        assertOthersServed();
    }

    @Test
    void aMessageUnderTheLimitIsStillServed() throws Exception {
        start(Map.of("maxMessageBytes", 65536));
        RawSocket raw = keep(RawSocket.open(engine.port(), "CP1"));
        String data = "y".repeat(40_000);
        raw.text("[2,\"big\",\"DataTransfer\",{\"vendorId\":\"v\",\"data\":\"" + data + "\"}]");
        assertThat(raw.nextText()).startsWith("[3,\"big\"").contains("UnknownVendorId");
    }

    @Test
    void callsBeyondTheRateAreRefusedWithACallErrorAndTheConnectionStays() throws Exception {
        start(Map.of("maxMessagesPerSecond", 2));
        ScriptedCharger cp = keep(ScriptedCharger.open(base(), "CP1"));
        int refused = 0;
        for (int i = 0; i < 40; i++) {
            JsonNode a = cp.call("Heartbeat", "{}");
            if (a.has("error")) {
                assertThat(a.get("error").asText()).isEqualTo("GenericError");
                refused++;
            }
        }
        // a burst of ten times the rate is taken, then about 2 a second
        assertThat(refused).isGreaterThanOrEqualTo(10);
        assertThat(cp.isOpen()).isTrue();
    }

    @Test
    void aSilentChargerIsMarkedOfflineAndKeepsItsLastCurrentsWithTheirOldTime() throws Exception {
        start(Map.of("connectionLostTimeoutSeconds", 1));
        RawSocket raw = keep(RawSocket.open(engine.port(), "CP1"));
        raw.text("[2,\"b\",\"BootNotification\",{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}]");
        raw.text("[2,\"s\",\"StatusNotification\",{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Charging\"}]");
        raw.text("[2,\"m\",\"MeterValues\",{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"" + Instant.now()
                + "\",\"sampledValue\":[{\"value\":\"16\",\"measurand\":\"Current.Import\",\"phase\":\"L1\",\"unit\":\"A\"}]}]}]");
        EvCharger ch = devices.awaitCharger("CP1");
        Wait.until("16 A seen", () -> ch.reading().flatMap(r -> r.connector(1)).map(c -> c.currents().l1().amps() == 16).orElse(false));
        Instant measured = ch.reading().orElseThrow().connector(1).orElseThrow().measuredAt();
        // the TCP connection stays open; the charger answers no ping
        Wait.until("offline", () -> ch.status().state() == DeviceStatus.State.OFFLINE);
        ChargerReading r = ch.reading().orElseThrow();
        ConnectorReading c = r.connector(1).orElseThrow();
        assertThat(c.currents().l1().amps()).as("held as drawn at its last known current").isEqualTo(16.0);
        assertThat(c.measuredAt()).isEqualTo(measured);
    }

    @Test
    void withoutCredentialsASecondConnectionCannotEvictALiveOne() throws Exception {
        start(Map.of());
        ScriptedCharger real = keep(ScriptedCharger.open(base(), "CP1"));
        real.boot();
        EvCharger ch = devices.awaitCharger("CP1");
        RawSocket impostor = keep(RawSocket.open(engine.port(), "CP1"));
        assertThat(impostor.statusLine).contains("409");
        Thread.sleep(CentralSystemEngine.TAKEOVER_PING_MILLIS + 500);
        // the real one answered the ping: it keeps its place, and a second try is refused again
        assertThat(real.isOpen()).isTrue();
        assertThat(ch.status().isOnline()).isTrue();
        assertThat(keep(RawSocket.open(engine.port(), "CP1")).statusLine).contains("409");
        assertThat(real.call("Heartbeat", "{}").has("currentTime")).isTrue();
    }

    @Test
    void withoutCredentialsAConnectionThatAnswersNoPingMakesWayForANewOne() throws Exception {
        start(Map.of());
        RawSocket dead = keep(RawSocket.open(engine.port(), "CP1"));
        dead.text("[2,\"b\",\"BootNotification\",{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}]");
        devices.awaitCharger("CP1");
        RawSocket first = keep(RawSocket.open(engine.port(), "CP1"));
        assertThat(first.statusLine).contains("409");
        Thread.sleep(CentralSystemEngine.TAKEOVER_PING_MILLIS + 500);
        ScriptedCharger back = keep(ScriptedCharger.open(base(), "CP1"));
        assertThat(back.isOpen()).isTrue();
        assertThat(back.boot().get("status").asText()).isEqualTo("Accepted");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAuthenticatedSessionIsEvictedOnlyByAnAuthenticatedConnection() throws Exception {
        start(Map.of("securityProfile", 1, "passwords", new String[] {"CP1=right-one,CP2=other-one"}));
        ScriptedCharger real = keep(ScriptedCharger.open(base(), "CP1", Map.of("Authorization", basic("CP1", "right-one"))));
        real.boot();
        assertThat(keep(RawSocket.open(engine.port(), "CP1")).statusLine).contains("401");
        assertThat(keep(RawSocket.open(null, engine.port(), "CP1", basic("CP1", "guess"))).statusLine).contains("401");
        assertThat(real.call("Heartbeat", "{}").has("currentTime")).isTrue();
        ScriptedCharger again = keep(ScriptedCharger.open(base(), "CP1", Map.of("Authorization", basic("CP1", "right-one"))));
        assertThat(again.boot().get("status").asText()).isEqualTo("Accepted");
        assertThat(real.closedWith.get(20, java.util.concurrent.TimeUnit.SECONDS)).contains("replaced");
    }

    @Test
    void passwordGuessingIsSlowedDownPerIdAndPerAddress() throws Exception {
        start(Map.of("securityProfile", 1, "passwords", new String[] {"CP1=right-one,CP2=other-one"},
                "authFailuresBeforeDelay", 3));
        for (int i = 0; i < 3; i++) {
            assertThat(keep(RawSocket.open("127.0.0.2", engine.port(), "CP1", basic("CP1", "guess" + i))).statusLine).contains("401");
        }
        // locked: even the right password is not looked at, for this id from any address ...
        assertThat(keep(RawSocket.open("127.0.0.3", engine.port(), "CP1", basic("CP1", "right-one"))).statusLine).contains("429");
        // ... and for any id from this address
        assertThat(keep(RawSocket.open("127.0.0.2", engine.port(), "CP2", basic("CP2", "other-one"))).statusLine).contains("429");
        // another id from another address is not affected
        assertThat(keep(RawSocket.open("127.0.0.4", engine.port(), "CP2", basic("CP2", "other-one"))).statusLine).contains("101");
        // the delay passes (1 s after the third failure), and the right password gets in again
        Thread.sleep(1200);
        assertThat(keep(RawSocket.open("127.0.0.3", engine.port(), "CP1", basic("CP1", "right-one"))).statusLine).contains("101");
    }
}
