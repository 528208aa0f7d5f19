package org.fusebox.driver.ocpp.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes OCPP-J frames, checking their structure strictly. Thread-safe. */
public final class FrameCodec {

    /** Lets a CALL whose JSON is broken after its unique id still get a CALLERROR. */
    private static final Pattern CALL_PREFIX = Pattern.compile("^\\s*\\[\\s*2\\s*,\\s*\"([^\"\\\\]{1,36})\"");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private FrameCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** @throws FrameException with the CALLERROR to answer, or without a unique id when nobody can be answered */
    public static Frame parse(String text) throws FrameException {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException | RuntimeException e) {
            Matcher m = CALL_PREFIX.matcher(text == null ? "" : text);
            String id = m.find() ? m.group(1) : null;
            throw new FrameException(id, 2, ErrorCode.FormationViolation, "frame is not valid JSON");
        }
        if (root == null || !root.isArray()) {
            throw new FrameException(null, -1, ErrorCode.FormationViolation, "frame is not a JSON array");
        }
        ArrayNode a = (ArrayNode) root;
        if (a.size() < 2 || !a.get(1).isTextual() || a.get(1).asText().isEmpty()
                || a.get(1).asText().length() > Frame.MAX_UNIQUE_ID_LENGTH) {
            throw new FrameException(null, -1, ErrorCode.FormationViolation, "frame has no unique id of 1 to 36 characters");
        }
        String id = a.get(1).asText();
        JsonNode type = a.get(0);
        if (!type.isIntegralNumber() || !type.canConvertToInt()) {
            throw new FrameException(id, -1, ErrorCode.FormationViolation, "message type id must be 2, 3 or 4");
        }
        int typeId = type.intValue();
        switch (typeId) {
            case Frame.CALL -> {
                if (a.size() != 4) {
                    throw new FrameException(id, typeId, ErrorCode.FormationViolation, "a CALL has 4 elements, got " + a.size());
                }
                if (!a.get(2).isTextual() || a.get(2).asText().isEmpty()) {
                    throw new FrameException(id, typeId, ErrorCode.FormationViolation, "action must be a non-empty string");
                }
                if (!a.get(3).isObject()) {
                    throw new FrameException(id, typeId, ErrorCode.FormationViolation, "payload must be a JSON object");
                }
                return new Frame.Call(id, a.get(2).asText(), (ObjectNode) a.get(3));
            }
            case Frame.CALL_RESULT -> {
                if (a.size() != 3 || !a.get(2).isObject()) {
                    throw new FrameException(id, typeId, ErrorCode.FormationViolation, "a CALLRESULT is [3, id, {payload}]");
                }
                return new Frame.CallResult(id, (ObjectNode) a.get(2));
            }
            case Frame.CALL_ERROR -> {
                if (a.size() != 5 || !a.get(2).isTextual() || !a.get(3).isTextual() || !a.get(4).isObject()) {
                    throw new FrameException(id, typeId, ErrorCode.FormationViolation,
                            "a CALLERROR is [4, id, \"code\", \"description\", {details}]");
                }
                return new Frame.CallError(id, a.get(2).asText(), a.get(3).asText(), a.get(4));
            }
            default -> throw new FrameException(id, typeId, ErrorCode.FormationViolation,
                    "message type id must be 2, 3 or 4, got " + typeId);
        }
    }

    public static String write(Frame frame) {
        try {
            return MAPPER.writeValueAsString(frame.toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }
}
