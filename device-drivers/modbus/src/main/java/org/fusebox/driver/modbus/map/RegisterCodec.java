package org.fusebox.driver.modbus.map;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Turns register words into numbers and back. Words are ints holding an unsigned 16-bit value (0..65535).
 * Sentinels (SunSpec "not implemented") decode to an empty result rather than a misleading number.
 */
public final class RegisterCodec {

    private static final int SUNSSF_NOT_IMPLEMENTED = 0x8000;

    private RegisterCodec() {
    }

    /**
     * Decodes the raw integer of a non-float point.
     *
     * @param words the point's registers as read, {@code type.words()} of them, in wire order
     * @return the raw value, or empty for the type's "not implemented" sentinel
     */
    public static OptionalLong decodeRaw(PointType type, WordOrder order, int[] words) {
        if (type.isFloat()) {
            throw new IllegalArgumentException("a float32 point has no integer raw value");
        }
        long bits = combine(type, order, words);
        return switch (type) {
            case INT16 -> bits == 0x8000L ? OptionalLong.empty() : OptionalLong.of((short) bits);
            case UINT16 -> bits == 0xFFFFL ? OptionalLong.empty() : OptionalLong.of(bits);
            case INT32 -> bits == 0x8000_0000L ? OptionalLong.empty() : OptionalLong.of((int) bits);
            case UINT32 -> bits == 0xFFFF_FFFFL ? OptionalLong.empty() : OptionalLong.of(bits);
            case INT64 -> bits == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(bits);
            case FLOAT32 -> throw new AssertionError("handled above");
        };
    }

    /**
     * Decodes a point's value before scaling: the integer as a double, or the float. Empty for a sentinel
     * or a float NaN.
     */
    public static OptionalDouble decodeUnscaled(PointType type, WordOrder order, int[] words) {
        if (type.isFloat()) {
            float f = Float.intBitsToFloat((int) combine(type, order, words));
            return Float.isNaN(f) ? OptionalDouble.empty() : OptionalDouble.of(f);
        }
        OptionalLong raw = decodeRaw(type, order, words);
        return raw.isPresent() ? OptionalDouble.of(raw.getAsLong()) : OptionalDouble.empty();
    }

    /**
     * Reads a SunSpec scale-factor register (int16, -10..10).
     *
     * @return the exponent, or empty when the device marks it not implemented or it is out of range
     */
    public static OptionalLong decodeScaleFactor(int word) {
        if ((word & 0xFFFF) == SUNSSF_NOT_IMPLEMENTED) {
            return OptionalLong.empty();
        }
        short sf = (short) word;
        return sf < -10 || sf > 10 ? OptionalLong.empty() : OptionalLong.of(sf);
    }

    /** value * 10^exponent, computed so that e.g. 2301 * 10^-1 is exactly 230.1 as a double. */
    public static double scale(double value, long exponent) {
        if (exponent == 0) {
            return value;
        }
        // dividing by an exact power of ten rounds once; multiplying by 0.1 would round twice
        return exponent > 0 ? value * Math.pow(10, exponent) : value / Math.pow(10, -exponent);
    }

    /**
     * Encodes a value (already unscaled to the register's units) as words in wire order.
     *
     * @throws IllegalArgumentException when the value does not fit the type
     */
    public static int[] encode(PointType type, WordOrder order, double value) {
        long bits;
        if (type.isFloat()) {
            bits = Float.floatToIntBits((float) value) & 0xFFFF_FFFFL;
        } else {
            long whole = Math.round(value);
            checkRange(type, whole, value);
            bits = whole;
        }
        return split(type, order, bits);
    }

    private static void checkRange(PointType type, long whole, double value) {
        long min;
        long max;
        switch (type) {
            case INT16 -> { min = Short.MIN_VALUE; max = Short.MAX_VALUE; }
            case UINT16 -> { min = 0; max = 0xFFFF; }
            case INT32 -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; }
            case UINT32 -> { min = 0; max = 0xFFFF_FFFFL; }
            default -> { min = Long.MIN_VALUE; max = Long.MAX_VALUE; }
        }
        if (Double.isNaN(value) || whole < min || whole > max) {
            throw new IllegalArgumentException(value + " does not fit a " + type.name().toLowerCase());
        }
    }

    private static long combine(PointType type, WordOrder order, int[] words) {
        int n = type.words();
        if (words.length != n) {
            throw new IllegalArgumentException(type + " needs " + n + " registers, got " + words.length);
        }
        long bits = 0;
        for (int i = 0; i < n; i++) {
            int word = order == WordOrder.BIG ? words[i] : words[n - 1 - i];
            bits = (bits << 16) | (word & 0xFFFF);
        }
        return bits;
    }

    private static int[] split(PointType type, WordOrder order, long bits) {
        int n = type.words();
        int[] words = new int[n];
        for (int i = 0; i < n; i++) {
            int word = (int) ((bits >>> (16 * (n - 1 - i))) & 0xFFFF);
            words[order == WordOrder.BIG ? i : n - 1 - i] = word;
        }
        return words;
    }
}
