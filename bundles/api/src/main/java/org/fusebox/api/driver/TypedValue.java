package org.fusebox.api.driver;

import java.util.Objects;

/**
 * A value with its type, checked at construction so a channel never carries a value of the wrong type.
 *
 * @param type  the type
 * @param value the value, an instance of {@code type.javaType()}
 */
public record TypedValue(DataType type, Object value) {
    public TypedValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (!type.javaType().isInstance(value)) {
            throw new IllegalArgumentException("value " + value + " is not a " + type);
        }
    }

    public static TypedValue of(double v) {
        return new TypedValue(DataType.DOUBLE, v);
    }

    public static TypedValue of(long v) {
        return new TypedValue(DataType.LONG, v);
    }

    public static TypedValue of(int v) {
        return new TypedValue(DataType.INTEGER, v);
    }

    public static TypedValue of(boolean v) {
        return new TypedValue(DataType.BOOLEAN, v);
    }

    public static TypedValue of(String v) {
        return new TypedValue(DataType.STRING, v);
    }

    /** The value as a double, for numeric types. */
    public double asDouble() {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalStateException(type + " is not numeric");
    }
}
