package org.fusebox.driver.ocpp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of an OCPP 1.6J payload, as its JSON schema gives it: required fields, JSON types, enumerations,
 * string length limits, no extra fields. {@link #check} stops at the first violation, naming the field.
 */
public abstract class Shape {

    /** Checks {@code node} found at {@code path}. */
    public abstract void check(JsonNode node, String path) throws ViolationException;

    /** An OCPP CiString: text of at most {@code maxLength} characters. */
    public static Shape string(int maxLength) {
        return new Shape() {
            @Override
            public void check(JsonNode node, String path) throws ViolationException {
                if (!node.isTextual()) {
                    throw new ViolationException(ErrorCode.TypeConstraintViolation, path + " must be a string");
                }
                if (node.asText().length() > maxLength) {
                    throw new ViolationException(ErrorCode.PropertyConstraintViolation,
                            path + " is longer than " + maxLength + " characters");
                }
            }
        };
    }

    /** Text of any length (DataTransfer data). */
    public static Shape text() {
        return string(Integer.MAX_VALUE);
    }

    /** A whole number that fits an int, at least {@code min}. */
    public static Shape integer(long min) {
        return new Shape() {
            @Override
            public void check(JsonNode node, String path) throws ViolationException {
                if (!node.isIntegralNumber()) {
                    throw new ViolationException(ErrorCode.TypeConstraintViolation, path + " must be an integer");
                }
                if (!node.canConvertToInt()) {
                    throw new ViolationException(ErrorCode.PropertyConstraintViolation, path + " is out of range");
                }
                if (node.intValue() < min) {
                    throw new ViolationException(ErrorCode.PropertyConstraintViolation, path + " must be at least " + min);
                }
            }
        };
    }

    public static Shape integer() {
        return integer(Integer.MIN_VALUE);
    }

    /** A JSON number. */
    public static Shape decimal() {
        return new Shape() {
            @Override
            public void check(JsonNode node, String path) throws ViolationException {
                if (!node.isNumber()) {
                    throw new ViolationException(ErrorCode.TypeConstraintViolation, path + " must be a number");
                }
            }
        };
    }

    public static Shape bool() {
        return new Shape() {
            @Override
            public void check(JsonNode node, String path) throws ViolationException {
                if (!node.isBoolean()) {
                    throw new ViolationException(ErrorCode.TypeConstraintViolation, path + " must be true or false");
                }
            }
        };
    }

    /** An RFC 3339 date-time with its offset, e.g. {@code 2024-05-01T12:00:00Z}. */
    public static Shape dateTime() {
        return new Shape() {
            @Override
            public void check(JsonNode node, String path) throws ViolationException {
                if (!node.isTextual()) {
                    throw new ViolationException(ErrorCode.TypeConstraintViolation, path + " must be a date-time string");
                }
                try {
                    OffsetDateTime.parse(node.asText());
                } catch (DateTimeParseException e) {
                    throw new ViolationException(ErrorCode.PropertyConstraintViolation,
                            path + " is not a date-time with offset: '" + abbreviate(node.asText()) + "'");
                }
            }
        };
    }

    public static Shape enumOf(String... values) {
        Set<String> allowed = Set.of(values);
        return new Shape() {
            @Override
            public void check(JsonNode node, String path) throws ViolationException {
                if (!node.isTextual()) {
                    throw new ViolationException(ErrorCode.TypeConstraintViolation, path + " must be a string");
                }
                if (!allowed.contains(node.asText())) {
                    throw new ViolationException(ErrorCode.PropertyConstraintViolation,
                            path + " '" + abbreviate(node.asText()) + "' is not one of its allowed values");
                }
            }
        };
    }

    /** An array of at least {@code minItems} items of one shape. */
    public static Shape arrayOf(Shape item, int minItems) {
        return new Shape() {
            @Override
            public void check(JsonNode node, String path) throws ViolationException {
                if (!node.isArray()) {
                    throw new ViolationException(ErrorCode.TypeConstraintViolation, path + " must be an array");
                }
                if (node.size() < minItems) {
                    throw new ViolationException(ErrorCode.OccurenceConstraintViolation,
                            path + " needs at least " + minItems + " item(s)");
                }
                for (int i = 0; i < node.size(); i++) {
                    item.check(node.get(i), path + "[" + i + "]");
                }
            }
        };
    }

    public static ObjectShape object() {
        return new ObjectShape();
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** A JSON object with named fields; fields it does not name are refused, as the OCPP schemas do. */
    public static final class ObjectShape extends Shape {

        private record Field(Shape shape, boolean required) {
        }

        private final Map<String, Field> fields = new LinkedHashMap<>();

        public ObjectShape required(String name, Shape shape) {
            fields.put(name, new Field(shape, true));
            return this;
        }

        public ObjectShape optional(String name, Shape shape) {
            fields.put(name, new Field(shape, false));
            return this;
        }

        public List<String> fieldNames() {
            return List.copyOf(fields.keySet());
        }

        @Override
        public void check(JsonNode node, String path) throws ViolationException {
            String prefix = path.isEmpty() ? "" : path + ".";
            String where = path.isEmpty() ? "payload" : path;
            if (!node.isObject()) {
                throw new ViolationException(ErrorCode.TypeConstraintViolation, where + " must be an object");
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String name = it.next();
                if (!fields.containsKey(name)) {
                    throw new ViolationException(ErrorCode.FormationViolation,
                            where + " has an unknown field '" + abbreviate(name) + "'");
                }
            }
            for (Map.Entry<String, Field> f : fields.entrySet()) {
                JsonNode value = node.get(f.getKey());
                if (value == null || value.isNull()) {
                    if (f.getValue().required()) {
                        throw new ViolationException(ErrorCode.ProtocolError, prefix + f.getKey() + " is required");
                    }
                    continue;
                }
                f.getValue().shape().check(value, prefix + f.getKey());
            }
        }
    }
}
