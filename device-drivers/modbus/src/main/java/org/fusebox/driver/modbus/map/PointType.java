package org.fusebox.driver.modbus.map;

/**
 * How a point's registers encode its value, and which raw value means "not implemented" (the SunSpec
 * sentinels; non-SunSpec devices rarely produce them for real readings).
 */
public enum PointType {
    INT16(1, true),
    UINT16(1, false),
    INT32(2, true),
    UINT32(2, false),
    INT64(4, true),
    FLOAT32(2, true);

    private final int words;
    private final boolean signed;

    PointType(int words, boolean signed) {
        this.words = words;
        this.signed = signed;
    }

    /** Number of 16-bit registers the value occupies. */
    public int words() {
        return words;
    }

    public boolean signed() {
        return signed;
    }

    public boolean isFloat() {
        return this == FLOAT32;
    }
}
