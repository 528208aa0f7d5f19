package org.fusebox.driver.ocpp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.chargetime.ocpp.model.core.BootNotificationRequest;
import eu.chargetime.ocpp.model.core.HeartbeatConfirmation;
import eu.chargetime.ocpp.model.core.HeartbeatRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Malformed frames over a raw WebSocket: each is answered with the right CALLERROR, or the socket is closed
 * when the frame carries no unique id, and another charger on the same server keeps being served.
 */
class MalformedFrameProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static CentralSystemEngine engine;
    private static OcaChargePoint good;
    private static RawClient raw;

    /** A frame to send and what must come back: a CALLERROR code, or null for "the socket is closed". */
    record Case(String frame, String uniqueId, String expectedCode) {
    }

    @BeforeContainer
    static void start() throws Exception {
        engine = new CentralSystemEngine(Configs.settings(Map.of("chargePoints", new String[] {"GOOD", "FUZZ", "OTHER"},
                // a few hundred frames a second here; the rate limit has its own test
                "maxMessagesPerSecond", 10_000)),
                new Devices(), () -> null, v -> null, Clock.systemUTC());
        engine.start();
        good = new OcaChargePoint("GOOD", null, null).connect("ws://127.0.0.1:" + engine.port() + "/ocpp");
        Wait.until("good charger connected", () -> good.opened);
        good.send(new BootNotificationRequest("V", "M"));
    }

    @AfterContainer
    static void stop() {
        if (raw != null) {
            raw.close();
        }
        good.close();
        engine.stop(0);
    }

    private static RawClient fuzzer() throws Exception {
        if (raw == null || !raw.isOpen()) {
            raw = RawClient.open("ws://127.0.0.1:" + engine.port() + "/ocpp/FUZZ", "ocpp1.6", null);
            assertThat(raw.isOpen()).isTrue();
        }
        return raw;
    }

    @Property(tries = 300)
    void everyMalformedFrameIsAnsweredOrClosedAndOthersAreStillServed(@ForAll("cases") Case c) throws Exception {
        RawClient r = fuzzer();
        r.received.clear();
        r.send(c.frame());
        if (c.expectedCode() == null) {
            assertThat(r.awaitClosed()).startsWith("1002");
        } else {
            String answer = r.nextMessage();
            assertThat(answer).as("answer to " + c.frame()).isNotNull();
            JsonNode a = JSON.readTree(answer);
            assertThat(a.get(0).intValue()).isEqualTo(4);
            assertThat(a.get(1).asText()).isEqualTo(c.uniqueId());
            assertThat(a.get(2).asText()).as("code for " + c.frame() + ": " + a.get(3).asText()).isEqualTo(c.expectedCode());
            assertThat(a.size()).isEqualTo(5);
        }
        assertOtherChargersStillServed();
    }

    /**
     * The other charger is answered. If the independent client itself stalls (seen once in about 20 runs of
     * 300 tries, never reproduced), a fresh raw connection must still be served and the client is replaced,
     * so the property keeps asking the server, not the client library.
     */
    private static void assertOtherChargersStillServed() throws Exception {
        try {
            HeartbeatConfirmation hb = good.send(new HeartbeatRequest());
            assertThat(hb.getCurrentTime()).isNotNull();
        } catch (java.util.concurrent.TimeoutException e) {
            RawClient other = RawClient.open("ws://127.0.0.1:" + engine.port() + "/ocpp/OTHER", "ocpp1.6", null);
            try {
                other.send("[2,\"hb\",\"Heartbeat\",{}]");
                assertThat(other.nextMessage()).as("no other charger served after the independent client stalled")
                        .startsWith("[3,\"hb\"");
            } finally {
                other.close();
            }
            System.err.println("MalformedFrameProperties: the Java-OCA-OCPP client's Heartbeat timed out; "
                    + "a fresh connection was served; replacing the client");
            good.close();
            good = new OcaChargePoint("GOOD", null, null).connect("ws://127.0.0.1:" + engine.port() + "/ocpp");
            Wait.until("good charger reconnected", () -> good.opened);
            good.send(new BootNotificationRequest("V", "M"));
        }
    }

    private static final List<String> VALID = List.of(
            "{\"idTag\":\"TAG1\"}",
            "{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}",
            "{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Available\"}",
            "{\"connectorId\":1,\"idTag\":\"T\",\"meterStart\":0,\"timestamp\":\"2024-01-01T00:00:00Z\"}",
            "{\"meterStop\":10,\"timestamp\":\"2024-01-01T00:00:00Z\",\"transactionId\":5}",
            "{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2024-01-01T00:00:00Z\",\"sampledValue\":[{\"value\":\"1\"}]}]}",
            "{\"vendorId\":\"acme\"}");
    private static final List<String> ACTIONS = List.of("Authorize", "BootNotification", "StatusNotification",
            "StartTransaction", "StopTransaction", "MeterValues", "DataTransfer");

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> ids = Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(36);
        Arbitrary<Integer> which = Arbitraries.integers().between(0, VALID.size() - 1);
        Arbitrary<Case> missing = Combinators.combine(ids, which).as((id, i) -> mutate(id, i, "missing"));
        Arbitrary<Case> wrongType = Combinators.combine(ids, which).as((id, i) -> mutate(id, i, "type"));
        Arbitrary<Case> extra = Combinators.combine(ids, which).as((id, i) -> mutate(id, i, "extra"));
        Arbitrary<Case> overlong = Combinators.combine(ids, Arbitraries.integers().between(21, 300))
                .as((id, n) -> new Case(call(id, "Authorize", "{\"idTag\":\"" + "x".repeat(n) + "\"}"), id,
                        "PropertyConstraintViolation"));
        Arbitrary<Case> badEnum = Combinators.combine(ids, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12))
                .filter((id, s) -> !Set.of("Available", "Preparing", "Charging", "Finishing", "Reserved", "Unavailable",
                        "Faulted", "SuspendedEV", "SuspendedEVSE").contains(s))
                .as((id, s) -> new Case(call(id, "StatusNotification",
                        "{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"" + s + "\"}"), id, "PropertyConstraintViolation"));
        Arbitrary<Case> unknownAction = Combinators.combine(ids, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20))
                .filter((id, a) -> !a.startsWith("Heartbeat") && !ACTIONS.contains(a))
                .as((id, a) -> new Case(call(id, "X" + a, "{}"), id, "NotImplemented"));
        Arbitrary<Case> csAction = ids.map(id -> new Case(call(id, "Reset", "{\"type\":\"Hard\"}"), id, "NotSupported"));
        Arbitrary<Case> badTypeId = Combinators.combine(ids, Arbitraries.integers().between(-5, 20).filter(t -> t < 2 || t > 4))
                .as((id, t) -> new Case("[" + t + ",\"" + id + "\",\"Heartbeat\",{}]", id, "FormationViolation"));
        Arbitrary<Case> notObject = Combinators.combine(ids, Arbitraries.of("[]", "1", "\"x\"", "null", "true"))
                .as((id, p) -> new Case("[2,\"" + id + "\",\"Heartbeat\"," + p + "]", id, "FormationViolation"));
        Arbitrary<Case> truncated = Combinators.combine(ids, Arbitraries.integers().between(1, 60)).as((id, cut) -> {
            String full = call(id, "Heartbeat", "{}");
            String prefix = full.substring(0, Math.max(1, full.length() - Math.min(cut, full.length() - 1)));
            boolean keepsId = prefix.startsWith("[2,\"" + id + "\"");
            return new Case(prefix, keepsId ? id : null, keepsId ? "FormationViolation" : null);
        });
        Arbitrary<Case> noId = Arbitraries.of("garbage", "{}", "[]", "[2]", "[2,5,\"Heartbeat\",{}]", "{\"a\":1}",
                "[2,\"\",\"Heartbeat\",{}]", "[2,\"" + "i".repeat(37) + "\",\"Heartbeat\",{}]", "42", "")
                .map(f -> new Case(f, null, null));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, missing), net.jqwik.api.Tuple.of(3, wrongType), net.jqwik.api.Tuple.of(2, extra),
                net.jqwik.api.Tuple.of(2, overlong), net.jqwik.api.Tuple.of(2, badEnum), net.jqwik.api.Tuple.of(2, unknownAction),
                net.jqwik.api.Tuple.of(1, csAction), net.jqwik.api.Tuple.of(2, badTypeId), net.jqwik.api.Tuple.of(2, notObject),
                net.jqwik.api.Tuple.of(3, truncated), net.jqwik.api.Tuple.of(1, noId));
    }

    private static String call(String id, String action, String payload) {
        return "[2,\"" + id + "\",\"" + action + "\"," + payload + "]";
    }

    /** Breaks a valid payload one way: drop its first field, give it a wrong type, or add a field. */
    private static Case mutate(String id, int which, String how) {
        try {
            ObjectNode p = (ObjectNode) JSON.readTree(VALID.get(which));
            String first = p.fieldNames().next();
            String code;
            switch (how) {
                case "missing" -> {
                    p.remove(first);
                    code = "ProtocolError";
                }
                case "type" -> {
                    JsonNode v = p.get(first);
                    if (v.isTextual()) {
                        p.put(first, 12);
                    } else {
                        p.put(first, "12");
                    }
                    code = "TypeConstraintViolation";
                }
                default -> {
                    p.put("unexpectedField", 1);
                    code = "FormationViolation";
                }
            }
            ArrayNode frame = JSON.createArrayNode().add(2).add(id).add(ACTIONS.get(which)).add(p);
            return new Case(JSON.writeValueAsString(frame), id, code);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
