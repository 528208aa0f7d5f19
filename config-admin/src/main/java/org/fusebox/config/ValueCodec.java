package org.fusebox.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The value types Config Admin stores (scalars, arrays of them, collections of them) and their JSON form.
 * Strings, booleans, longs, finite doubles and string arrays are written as plain JSON; every other type
 * carries its name after the key ({@code "port:Integer": 502}, {@code "limits:double[]": [3.0, 6.0]}) so
 * that reading a document back gives exactly the values that were written.
 */
final class ValueCodec {

    private ValueCodec() {
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Scalar types by the name used in tags, with their primitive names. */
    private enum Scalar {
        STRING("String", null, String.class, null),
        BOOLEAN("Boolean", "boolean", Boolean.class, boolean.class),
        LONG("Long", "long", Long.class, long.class),
        INTEGER("Integer", "int", Integer.class, int.class),
        SHORT("Short", "short", Short.class, short.class),
        BYTE("Byte", "byte", Byte.class, byte.class),
        CHARACTER("Character", "char", Character.class, char.class),
        DOUBLE("Double", "double", Double.class, double.class),
        FLOAT("Float", "float", Float.class, float.class);

        final String boxedName;
        final String primitiveName;
        final Class<?> boxed;
        final Class<?> primitive;

        Scalar(String boxedName, String primitiveName, Class<?> boxed, Class<?> primitive) {
            this.boxedName = boxedName;
            this.primitiveName = primitiveName;
            this.boxed = boxed;
            this.primitive = primitive;
        }

        static Scalar ofClass(Class<?> c) {
            for (Scalar s : values()) {
                if (s.boxed == c || s.primitive == c) {
                    return s;
                }
            }
            return null;
        }

        static Scalar ofBoxedName(String name) {
            for (Scalar s : values()) {
                if (s.boxedName.equals(name)) {
                    return s;
                }
            }
            return null;
        }

        static Scalar ofPrimitiveName(String name) {
            for (Scalar s : values()) {
                if (name.equals(s.primitiveName)) {
                    return s;
                }
            }
            return null;
        }
    }

    private enum Shape { SCALAR, BOXED_ARRAY, PRIMITIVE_ARRAY, COLLECTION }

    private record Type(Shape shape, Scalar scalar) {

        String tag() {
            return switch (shape) {
                case SCALAR -> scalar.boxedName;
                case BOXED_ARRAY -> scalar.boxedName + "[]";
                case PRIMITIVE_ARRAY -> scalar.primitiveName + "[]";
                case COLLECTION -> "Collection<" + scalar.boxedName + ">";
            };
        }

        static Type ofTag(String tag) {
            if (tag.startsWith("Collection<") && tag.endsWith(">")) {
                Scalar s = Scalar.ofBoxedName(tag.substring("Collection<".length(), tag.length() - 1));
                return s == null ? null : new Type(Shape.COLLECTION, s);
            }
            if (tag.endsWith("[]")) {
                String element = tag.substring(0, tag.length() - 2);
                Scalar boxed = Scalar.ofBoxedName(element);
                if (boxed != null) {
                    return new Type(Shape.BOXED_ARRAY, boxed);
                }
                Scalar primitive = Scalar.ofPrimitiveName(element);
                return primitive == null ? null : new Type(Shape.PRIMITIVE_ARRAY, primitive);
            }
            Scalar s = Scalar.ofBoxedName(tag);
            return s == null ? null : new Type(Shape.SCALAR, s);
        }
    }

    /** @return why Config Admin cannot hold this value, or {@code null} when it can */
    static String problem(Object value) {
        if (value == null) {
            return "has no value";
        }
        try {
            typeOf(value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static Type typeOf(Object value) {
        Class<?> c = value.getClass();
        if (c.isArray()) {
            Class<?> component = c.getComponentType();
            Scalar s = Scalar.ofClass(component);
            if (s == null) {
                throw new IllegalArgumentException("is an array of " + component.getSimpleName() + ", which Config Admin cannot hold");
            }
            if (!component.isPrimitive()) {
                for (int i = 0; i < Array.getLength(value); i++) {
                    if (Array.get(value, i) == null) {
                        throw new IllegalArgumentException("has an empty (null) element at index " + i);
                    }
                }
            }
            return new Type(component.isPrimitive() ? Shape.PRIMITIVE_ARRAY : Shape.BOXED_ARRAY, s);
        }
        if (value instanceof Collection<?> collection) {
            Scalar common = null;
            for (Object e : collection) {
                if (e == null) {
                    throw new IllegalArgumentException("has an empty (null) element");
                }
                Scalar s = Scalar.ofClass(e.getClass());
                if (s == null) {
                    throw new IllegalArgumentException("holds a " + e.getClass().getSimpleName() + ", which Config Admin cannot hold");
                }
                if (common != null && common != s) {
                    throw new IllegalArgumentException("mixes " + common.boxedName + " and " + s.boxedName + " elements");
                }
                common = s;
            }
            return new Type(Shape.COLLECTION, common == null ? Scalar.STRING : common);
        }
        Scalar s = Scalar.ofClass(c);
        if (s == null) {
            throw new IllegalArgumentException("is a " + c.getSimpleName() + ", which Config Admin cannot hold");
        }
        return new Type(Shape.SCALAR, s);
    }

    /** Plain JSON reads back as exactly these types, so they need no tag. */
    private static boolean isPlain(Type type, Object value) {
        if (type.shape() == Shape.SCALAR) {
            return switch (type.scalar()) {
                case STRING, BOOLEAN, LONG -> true;
                case DOUBLE -> Double.isFinite((Double) value);
                default -> false;
            };
        }
        return type.shape() == Shape.BOXED_ARRAY && type.scalar() == Scalar.STRING;
    }

    /** Puts one property into a JSON object, tagging the key when the plain JSON form would read back differently. */
    static void write(com.fasterxml.jackson.databind.node.ObjectNode into, String key, Object value) {
        Type type = typeOf(value);
        boolean plain = isPlain(type, value) && !key.contains(":");
        String name = plain ? key : key + ":" + type.tag();
        if (type.shape() == Shape.SCALAR) {
            into.set(name, element(type.scalar(), value));
            return;
        }
        ArrayNode array = into.putArray(name);
        for (Object e : elements(value)) {
            array.add(element(type.scalar(), e));
        }
    }

    private static List<Object> elements(Object value) {
        List<Object> out = new ArrayList<>();
        if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(Array.get(value, i));
            }
        } else {
            out.addAll((Collection<?>) value);
        }
        return out;
    }

    private static JsonNode element(Scalar scalar, Object v) {
        return switch (scalar) {
            case STRING -> JSON.textNode((String) v);
            case CHARACTER -> JSON.textNode(String.valueOf(v));
            case BOOLEAN -> JSON.booleanNode((Boolean) v);
            case LONG, INTEGER, SHORT, BYTE -> JSON.numberNode(((Number) v).longValue());
            case DOUBLE -> Double.isFinite((Double) v) ? JSON.numberNode((Double) v) : JSON.textNode(v.toString());
            case FLOAT -> Float.isFinite((Float) v) ? JSON.numberNode((Float) v) : JSON.textNode(v.toString());
        };
    }

    /**
     * Reads one property of a JSON object.
     *
     * @throws IllegalArgumentException saying what is wrong with the value
     */
    static Map.Entry<String, Object> read(String name, JsonNode node) {
        int colon = name.lastIndexOf(':');
        Type tagged = colon < 0 ? null : Type.ofTag(name.substring(colon + 1));
        String key = tagged == null ? name : name.substring(0, colon);
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a property has an empty name");
        }
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException(key + " has no value (leave it out to use the default)");
        }
        Object value = tagged == null ? readPlain(key, node) : readTagged(key, tagged, node);
        return Map.entry(key, value);
    }

    private static Object readPlain(String key, JsonNode node) {
        if (node.isArray()) {
            Scalar common = null;
            for (JsonNode e : node) {
                Scalar s = plainScalar(key, e);
                if (common == null || common == s) {
                    common = s;
                } else if ((common == Scalar.LONG && s == Scalar.DOUBLE) || (common == Scalar.DOUBLE && s == Scalar.LONG)) {
                    common = Scalar.DOUBLE;
                } else {
                    throw new IllegalArgumentException(key + " mixes " + common.boxedName + " and " + s.boxedName + " elements");
                }
            }
            return readTagged(key, new Type(Shape.BOXED_ARRAY, common == null ? Scalar.STRING : common), node);
        }
        return scalar(key, plainScalar(key, node), node);
    }

    private static Scalar plainScalar(String key, JsonNode node) {
        if (node.isTextual()) {
            return Scalar.STRING;
        }
        if (node.isBoolean()) {
            return Scalar.BOOLEAN;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Scalar.LONG;
        }
        if (node.isNumber()) {
            return Scalar.DOUBLE;
        }
        throw new IllegalArgumentException(key + " must be a string, number, boolean or an array of them, got " + node.getNodeType());
    }

    private static Object readTagged(String key, Type type, JsonNode node) {
        if (type.shape() == Shape.SCALAR) {
            if (node.isArray()) {
                throw new IllegalArgumentException(key + " is a " + type.tag() + ", not an array");
            }
            return scalar(key, type.scalar(), node);
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(key + " is a " + type.tag() + " and must be a JSON array");
        }
        List<Object> values = new ArrayList<>();
        for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
            JsonNode e = it.next();
            if (e.isNull() || e.isContainerNode()) {
                throw new IllegalArgumentException(key + " must hold only " + type.scalar().boxedName + " values");
            }
            values.add(scalar(key, type.scalar(), e));
        }
        return switch (type.shape()) {
            case COLLECTION -> values;
            case BOXED_ARRAY -> {
                Object array = Array.newInstance(type.scalar().boxed, values.size());
                for (int i = 0; i < values.size(); i++) {
                    Array.set(array, i, values.get(i));
                }
                yield array;
            }
            case PRIMITIVE_ARRAY -> {
                Object array = Array.newInstance(type.scalar().primitive, values.size());
                for (int i = 0; i < values.size(); i++) {
                    Array.set(array, i, values.get(i));
                }
                yield array;
            }
            default -> throw new IllegalStateException();
        };
    }

    private static Object scalar(String key, Scalar scalar, JsonNode node) {
        String text = node.isTextual() ? node.textValue() : node.asText();
        try {
            switch (scalar) {
                case STRING:
                    if (!node.isTextual()) {
                        throw new IllegalArgumentException(key + " must be a string, got " + node);
                    }
                    return node.textValue();
                case BOOLEAN:
                    if (node.isBoolean()) {
                        return node.booleanValue();
                    }
                    if ("true".equals(text) || "false".equals(text)) {
                        return Boolean.valueOf(text);
                    }
                    throw new IllegalArgumentException(key + " must be true or false, got " + node);
                case CHARACTER:
                    if (!node.isTextual() || text.length() != 1) {
                        throw new IllegalArgumentException(key + " must be a single character, got " + node);
                    }
                    return text.charAt(0);
                case LONG:
                    return Long.valueOf(integral(key, node, text));
                case INTEGER:
                    return Integer.valueOf(integral(key, node, text));
                case SHORT:
                    return Short.valueOf(integral(key, node, text));
                case BYTE:
                    return Byte.valueOf(integral(key, node, text));
                case DOUBLE:
                    return node.isNumber() ? node.doubleValue() : Double.valueOf(text);
                case FLOAT:
                    return node.isNumber() ? node.floatValue() : Float.valueOf(text);
                default:
                    throw new IllegalStateException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a " + scalar.boxedName + ", got " + node);
        }
    }

    /** The text of a whole number: "5" and 5 are, 5.5 is not. */
    private static String integral(String key, JsonNode node, String text) {
        if (node.isNumber() && !node.isIntegralNumber()) {
            throw new IllegalArgumentException(key + " must be a whole number, got " + node);
        }
        if (!node.isNumber() && !node.isTextual()) {
            throw new IllegalArgumentException(key + " must be a number, got " + node);
        }
        return text.trim();
    }

    /** Deep equality for property values: arrays by content, types must match. */
    static boolean same(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.getClass().isArray() || b.getClass().isArray()) {
            if (a.getClass() != b.getClass() || Array.getLength(a) != Array.getLength(b)) {
                return false;
            }
            for (int i = 0; i < Array.getLength(a); i++) {
                if (!Objects.equals(Array.get(a, i), Array.get(b, i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Collection<?> ca && b instanceof Collection<?> cb) {
            return new ArrayList<>(ca).equals(new ArrayList<>(cb));
        }
        return a.equals(b);
    }

    static boolean sameProperties(Map<String, Object> a, Map<String, Object> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : a.entrySet()) {
            if (!same(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** A copy nobody else can change afterwards. */
    static Object copy(Object value) {
        if (value.getClass().isArray()) {
            Object out = Array.newInstance(value.getClass().getComponentType(), Array.getLength(value));
            System.arraycopy(value, 0, out, 0, Array.getLength(value));
            return out;
        }
        if (value instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        return value;
    }
}
