package org.fusebox.driver.ocpp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One OCPP-J message: {@code [2,id,action,payload]}, {@code [3,id,payload]} or {@code [4,id,code,description,details]}. */
public sealed interface Frame {

    int CALL = 2;
    int CALL_RESULT = 3;
    int CALL_ERROR = 4;

    /** Unique ids are at most 36 characters (a UUID) in OCPP-J 1.6. */
    int MAX_UNIQUE_ID_LENGTH = 36;

    String uniqueId();

    /** The frame as an OCPP-J JSON array. */
    ArrayNode toJson();

    record Call(String uniqueId, String action, ObjectNode payload) implements Frame {
        @Override
        public ArrayNode toJson() {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            a.add(CALL).add(uniqueId).add(action).add(payload);
            return a;
        }
    }

    record CallResult(String uniqueId, ObjectNode payload) implements Frame {
        @Override
        public ArrayNode toJson() {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            a.add(CALL_RESULT).add(uniqueId).add(payload);
            return a;
        }
    }

    record CallError(String uniqueId, String errorCode, String description, JsonNode details) implements Frame {

        public static CallError of(String uniqueId, ErrorCode code, String description) {
            return new CallError(uniqueId, code.name(), description, JsonNodeFactory.instance.objectNode());
        }

        @Override
        public ArrayNode toJson() {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            a.add(CALL_ERROR).add(uniqueId).add(errorCode).add(description == null ? "" : description)
                    .add(details == null ? JsonNodeFactory.instance.objectNode() : details);
            return a;
        }
    }
}
