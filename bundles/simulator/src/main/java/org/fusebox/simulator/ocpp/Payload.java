package org.fusebox.simulator.ocpp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * Reads the fields of a call's payload and refuses what OCPP 1.6J does not allow, with the CALLERROR code
 * OCPP-J names for it: a missing field is a ProtocolError, a wrong JSON type a TypeConstraintViolation, a
 * value out of its range or enumeration a PropertyConstraintViolation.
 */
final class Payload {

    private final JsonNode node;
    private final String path;

    Payload(JsonNode node) {
        this(node, "");
    }

    private Payload(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    private JsonNode required(String field) throws CallError {
        if (!has(field)) {
            throw new CallError(CallError.PROTOCOL_ERROR, "required field " + path + field + " is missing");
        }
        return node.get(field);
    }

    int requiredInt(String field, int min) throws CallError {
        JsonNode v = required(field);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new CallError(CallError.TYPE_CONSTRAINT_VIOLATION, path + field + " must be an integer");
        }
        if (v.intValue() < min) {
            throw new CallError(CallError.PROPERTY_CONSTRAINT_VIOLATION, path + field + " must be at least " + min
                    + ", got " + v.intValue());
        }
        return v.intValue();
    }

    Integer optionalInt(String field, int min) throws CallError {
        return has(field) ? requiredInt(field, min) : null;
    }

    double requiredDecimal(String field, double min) throws CallError {
        JsonNode v = required(field);
        if (!v.isNumber()) {
            throw new CallError(CallError.TYPE_CONSTRAINT_VIOLATION, path + field + " must be a number");
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d) || d < min) {
            throw new CallError(CallError.PROPERTY_CONSTRAINT_VIOLATION, path + field + " must be at least " + min
                    + ", got " + v.asText());
        }
        return d;
    }

    Double optionalDecimal(String field, double min) throws CallError {
        return has(field) ? requiredDecimal(field, min) : null;
    }

    String requiredString(String field, int maxLength) throws CallError {
        JsonNode v = required(field);
        if (!v.isTextual()) {
            throw new CallError(CallError.TYPE_CONSTRAINT_VIOLATION, path + field + " must be a string");
        }
        if (v.asText().length() > maxLength) {
            throw new CallError(CallError.PROPERTY_CONSTRAINT_VIOLATION, path + field + " is longer than " + maxLength);
        }
        return v.asText();
    }

    String optionalString(String field, int maxLength) throws CallError {
        return has(field) ? requiredString(field, maxLength) : null;
    }

    String requiredEnum(String field, String... allowed) throws CallError {
        String s = requiredString(field, Integer.MAX_VALUE);
        if (!Arrays.asList(allowed).contains(s)) {
            throw new CallError(CallError.PROPERTY_CONSTRAINT_VIOLATION, path + field + " '" + abbreviate(s)
                    + "' is not one of " + String.join(", ", allowed));
        }
        return s;
    }

    String optionalEnum(String field, String... allowed) throws CallError {
        return has(field) ? requiredEnum(field, allowed) : null;
    }

    Instant optionalDateTime(String field) throws CallError {
        if (!has(field)) {
            return null;
        }
        String s = requiredString(field, 64);
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new CallError(CallError.PROPERTY_CONSTRAINT_VIOLATION, path + field + " '" + abbreviate(s)
                    + "' is not a date-time with offset");
        }
    }

    Payload requiredObject(String field) throws CallError {
        JsonNode v = required(field);
        if (!v.isObject()) {
            throw new CallError(CallError.TYPE_CONSTRAINT_VIOLATION, path + field + " must be an object");
        }
        return new Payload(v, path + field + ".");
    }

    /** The elements of an array field, each an object. */
    Payload[] requiredObjects(String field, int minCount) throws CallError {
        JsonNode v = required(field);
        if (!v.isArray()) {
            throw new CallError(CallError.TYPE_CONSTRAINT_VIOLATION, path + field + " must be an array");
        }
        if (v.size() < minCount) {
            throw new CallError("OccurenceConstraintViolation", path + field + " needs at least " + minCount + " element(s)");
        }
        Payload[] out = new Payload[v.size()];
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isObject()) {
                throw new CallError(CallError.TYPE_CONSTRAINT_VIOLATION, path + field + "[" + i + "] must be an object");
            }
            out[i] = new Payload(v.get(i), path + field + "[" + i + "].");
        }
        return out;
    }

    /** An optional array of strings. */
    String[] optionalStrings(String field, int maxLength) throws CallError {
        if (!has(field)) {
            return new String[0];
        }
        JsonNode v = node.get(field);
        if (!v.isArray()) {
            throw new CallError(CallError.TYPE_CONSTRAINT_VIOLATION, path + field + " must be an array");
        }
        String[] out = new String[v.size()];
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw new CallError(CallError.TYPE_CONSTRAINT_VIOLATION, path + field + "[" + i + "] must be a string");
            }
            if (v.get(i).asText().length() > maxLength) {
                throw new CallError(CallError.PROPERTY_CONSTRAINT_VIOLATION, path + field + "[" + i + "] is longer than "
                        + maxLength);
            }
            out[i] = v.get(i).asText();
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
