package org.fusebox.simulator.ocpp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** OCPP-J framing: [2, id, action, payload], [3, id, payload] and [4, id, code, description, details]. */
final class OcppJson {

    static final int CALL = 2;
    static final int CALL_RESULT = 3;
    static final int CALL_ERROR = 4;
    static final int MAX_UNIQUE_ID = 36;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Enough of a broken call to answer it: its message type and unique id. */
    private static final Pattern CALL_PREFIX = Pattern.compile("^\\s*\\[\\s*2\\s*,\\s*\"([^\"\\\\]{1," + MAX_UNIQUE_ID + "})\"");

    private OcppJson() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** One incoming frame, already checked for its OCPP-J shape. */
    sealed interface Frame permits Call, Result, Error {
        String uniqueId();
    }

    record Call(String uniqueId, String action, JsonNode payload) implements Frame {
    }

    record Result(String uniqueId, JsonNode payload) implements Frame {
    }

    record Error(String uniqueId, String code, String description) implements Frame {
    }

    /**
     * A frame that cannot be taken. {@code uniqueId} is set when the frame was a call whose id could be read,
     * so that it can be answered with a CALLERROR.
     */
    static final class BadFrame extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient String uniqueId;
        private final String code;

        BadFrame(String uniqueId, String code, String description) {
            super(description, null, false, false);
            this.uniqueId = uniqueId;
            this.code = code;
        }

        String uniqueId() {
            return uniqueId;
        }

        String code() {
            return code;
        }
    }

    static Frame parse(String text) throws BadFrame {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadFrame(salvageCallId(text), CallError.FORMATION_VIOLATION, "not valid JSON");
        }
        if (root == null || !root.isArray() || root.size() < 2) {
            throw new BadFrame(null, CallError.FORMATION_VIOLATION, "not an OCPP-J message array");
        }
        JsonNode type = root.get(0);
        JsonNode id = root.get(1);
        if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > MAX_UNIQUE_ID) {
            throw new BadFrame(null, CallError.FORMATION_VIOLATION, "unique id missing or not a string of 1 to 36 characters");
        }
        String uniqueId = id.asText();
        if (!type.isInt()) {
            throw new BadFrame(null, CallError.FORMATION_VIOLATION, "message type id is not a number");
        }
        switch (type.intValue()) {
            case CALL -> {
                if (root.size() != 4 || !root.get(2).isTextual() || !root.get(3).isObject()) {
                    throw new BadFrame(uniqueId, CallError.FORMATION_VIOLATION,
                            "a CALL is [2, uniqueId, action, {payload}]");
                }
                return new Call(uniqueId, root.get(2).asText(), root.get(3));
            }
            case CALL_RESULT -> {
                if (root.size() != 3 || !root.get(2).isObject()) {
                    throw new BadFrame(null, CallError.FORMATION_VIOLATION, "a CALLRESULT is [3, uniqueId, {payload}]");
                }
                return new Result(uniqueId, root.get(2));
            }
            case CALL_ERROR -> {
                if (root.size() != 5 || !root.get(2).isTextual() || !root.get(3).isTextual()) {
                    throw new BadFrame(null, CallError.FORMATION_VIOLATION,
                            "a CALLERROR is [4, uniqueId, code, description, {details}]");
                }
                return new Error(uniqueId, root.get(2).asText(), root.get(3).asText());
            }
            default -> throw new BadFrame(null, CallError.FORMATION_VIOLATION,
                    "message type id " + type.intValue() + " is not 2, 3 or 4");
        }
    }

    private static String salvageCallId(String text) {
        Matcher m = CALL_PREFIX.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    static String call(String uniqueId, String action, ObjectNode payload) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode().add(CALL).add(uniqueId).add(action);
        a.add(payload);
        return a.toString();
    }

    static String result(String uniqueId, ObjectNode payload) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode().add(CALL_RESULT).add(uniqueId);
        a.add(payload);
        return a.toString();
    }

    static String error(String uniqueId, String code, String description) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode().add(CALL_ERROR).add(uniqueId).add(code)
                .add(description == null ? "" : description);
        a.add(object());
        return a.toString();
    }
}
