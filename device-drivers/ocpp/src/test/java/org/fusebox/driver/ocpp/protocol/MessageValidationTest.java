package org.fusebox.driver.ocpp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Optional<Violation> check(String action, String payload) throws Exception {
        return Schemas.checkRequest(action, JSON.readTree(payload));
    }

    @Test
    void wellFormedFramesParse() throws Exception {
        Frame f = FrameCodec.parse("[2,\"abc\",\"Heartbeat\",{}]");
        assertThat(f).isEqualTo(new Frame.Call("abc", "Heartbeat", JSON.createObjectNode()));
        assertThat(FrameCodec.parse("[3,\"x\",{\"status\":\"Accepted\"}]")).isInstanceOf(Frame.CallResult.class);
        assertThat(FrameCodec.parse("[4,\"x\",\"GenericError\",\"oops\",{}]")).isInstanceOf(Frame.CallError.class);
        assertThat(FrameCodec.write(Frame.CallError.of("id1", ErrorCode.ProtocolError, "missing")))
                .isEqualTo("[4,\"id1\",\"ProtocolError\",\"missing\",{}]");
    }

    @Test
    void brokenJsonAfterAUniqueIdIsAnswerableAndWithoutOneIsNot() {
        assertThatThrownBy(() -> FrameCodec.parse("[2,\"id-7\",\"Heartbeat\",{"))
                .isInstanceOfSatisfying(FrameException.class, e -> {
                    assertThat(e.answerable()).isTrue();
                    assertThat(e.uniqueId()).isEqualTo("id-7");
                    assertThat(e.violation().code()).isEqualTo(ErrorCode.FormationViolation);
                });
        assertThatThrownBy(() -> FrameCodec.parse("{\"not\":\"an array\"}"))
                .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.answerable()).isFalse());
        assertThatThrownBy(() -> FrameCodec.parse("[2,\"" + "x".repeat(37) + "\",\"Heartbeat\",{}]"))
                .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.hasUniqueId()).isFalse());
        // a malformed answer is not answered back, but its call can be failed
        assertThatThrownBy(() -> FrameCodec.parse("[3,\"id-8\",[]]"))
                .isInstanceOfSatisfying(FrameException.class, e -> {
                    assertThat(e.answerable()).isFalse();
                    assertThat(e.uniqueId()).isEqualTo("id-8");
                });
        assertThatThrownBy(() -> FrameCodec.parse("[7,\"id-9\",\"Heartbeat\",{}]"))
                .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.answerable()).isTrue());
        assertThatThrownBy(() -> FrameCodec.parse("[2,\"d\",\"Heartbeat\",{\"a\":1,\"a\":2}]"))
                .isInstanceOf(FrameException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Authorize|{}|ProtocolError|idTag is required",
        "Authorize|{\"idTag\":5}|TypeConstraintViolation|idTag must be a string",
        "Authorize|{\"idTag\":\"123456789012345678901\"}|PropertyConstraintViolation|longer than 20",
        "Authorize|{\"idTag\":\"a\",\"x\":1}|FormationViolation|unknown field 'x'",
        "StatusNotification|{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Sleeping\"}|PropertyConstraintViolation|status",
        "StatusNotification|{\"connectorId\":1.5,\"errorCode\":\"NoError\",\"status\":\"Charging\"}|TypeConstraintViolation|connectorId",
        "StatusNotification|{\"connectorId\":-1,\"errorCode\":\"NoError\",\"status\":\"Charging\"}|PropertyConstraintViolation|at least 0",
        "StartTransaction|{\"connectorId\":1,\"idTag\":\"t\",\"meterStart\":0,\"timestamp\":\"yesterday\"}|PropertyConstraintViolation|timestamp",
        "MeterValues|{\"connectorId\":1,\"meterValue\":[]}|OccurenceConstraintViolation|meterValue",
        "MeterValues|{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2024-01-01T00:00:00Z\",\"sampledValue\":[{\"value\":\"1\",\"unit\":\"furlong\"}]}]}|PropertyConstraintViolation|meterValue[0].sampledValue[0].unit",
        "BootNotification|{\"chargePointVendor\":\"V\"}|ProtocolError|chargePointModel",
        "FirmwareStatusNotification|{\"status\":\"Idle\"}|NotSupported|not supported",
        "SetChargingProfile|{}|NotSupported|central system",
        "Teleport|{}|NotImplemented|unknown action",
    })
    void malformedRequestsGetTheSpecifiedErrorCode(String action, String payload, ErrorCode code, String mentions) throws Exception {
        Optional<Violation> v = check(action, payload);
        assertThat(v).hasValueSatisfying(x -> {
            assertThat(x.code()).isEqualTo(code);
            assertThat(x.description()).contains(mentions);
        });
    }

    @Test
    void wellFormedRequestsPass() throws Exception {
        assertThat(check("BootNotification", "{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\",\"firmwareVersion\":\"1.2\"}")).isEmpty();
        assertThat(check("Heartbeat", "{}")).isEmpty();
        assertThat(check("StopTransaction", "{\"meterStop\":10,\"timestamp\":\"2024-01-01T00:00:00+02:00\",\"transactionId\":5,"
                + "\"reason\":\"EVDisconnected\",\"transactionData\":[]}")).isEmpty();
        assertThat(check("DataTransfer", "{\"vendorId\":\"acme\",\"messageId\":\"m\",\"data\":\"" + "d".repeat(5000) + "\"}")).isEmpty();
    }

    @Test
    void answersToOurCallsAreCheckedToo() throws Exception {
        JsonNode ok = JSON.readTree("{\"status\":\"Accepted\"}");
        JsonNode bad = JSON.readTree("{\"status\":\"Maybe\"}");
        assertThat(Schemas.checkConfirmation("SetChargingProfile", ok)).isEmpty();
        assertThat(Schemas.checkConfirmation("SetChargingProfile", bad)).isPresent();
        assertThat(Schemas.checkConfirmation("UnlockConnector", ok)).isPresent();
        assertThat(Schemas.checkConfirmation("GetConfiguration",
                JSON.readTree("{\"configurationKey\":[{\"key\":\"K\",\"readonly\":true,\"value\":\"v\"}],\"unknownKey\":[\"X\"]}"))).isEmpty();
    }
}
