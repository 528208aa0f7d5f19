package org.fusebox.driver.modbus.map;

import java.util.Objects;

/**
 * One named value in a device's register map.
 *
 * @param name                unique within the map
 * @param registerType        holding or input
 * @param address             zero-based register address (protocol address, not the 4xxxx/3xxxx label)
 * @param type                how the registers encode the value
 * @param wordOrder           order of the words of a multi-register value
 * @param scale               fixed power of ten applied after decoding (value = raw * 10^scale)
 * @param scaleFactorAddress  address of an int16 register holding the power of ten (SunSpec sunssf) in the
 *                            same register table, or {@code null}; when set it replaces {@code scale}
 * @param unit                unit of the scaled value, free text ("W", "kWh"); may be empty
 * @param access              polled, written or both; writable points must be holding registers
 * @param poll                fast (every poll) or slow (every N-th poll)
 * @param verify              read a written value back and fail the write when the device holds another
 */
public record Point(String name, RegisterType registerType, int address, PointType type, WordOrder wordOrder,
        int scale, Integer scaleFactorAddress, String unit, Access access, PollClass poll, boolean verify) {

    /** The highest register address Modbus can address. */
    public static final int MAX_ADDRESS = 0xFFFF;

    public Point {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(registerType, "registerType");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(wordOrder, "wordOrder");
        unit = unit == null ? "" : unit;
        access = access == null ? Access.READ : access;
        poll = poll == null ? PollClass.FAST : poll;
        if (access.writable() && !registerType.writable()) {
            throw new IllegalArgumentException(name + ": only holding registers can be written, not " + registerType
                    .name().toLowerCase(java.util.Locale.ROOT) + " registers");
        }
        if (verify && !access.writable()) {
            throw new IllegalArgumentException(name + ": 'verify' needs a writable point");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("a point needs a name");
        }
        if (address < 0 || address + type.words() - 1 > MAX_ADDRESS) {
            throw new IllegalArgumentException(name + ": address " + address + " is outside 0.." + MAX_ADDRESS
                    + " for a " + type.words() + "-register value");
        }
        if (scaleFactorAddress != null && (scaleFactorAddress < 0 || scaleFactorAddress > MAX_ADDRESS)) {
            throw new IllegalArgumentException(name + ": scale factor address " + scaleFactorAddress
                    + " is outside 0.." + MAX_ADDRESS);
        }
        if (scale < -10 || scale > 10) {
            // SunSpec limits sunssf to -10..10; anything beyond is a typo in a map
            throw new IllegalArgumentException(name + ": scale " + scale + " is outside -10..10");
        }
    }

    /** A read-only, fast point. */
    public Point(String name, RegisterType registerType, int address, PointType type, WordOrder wordOrder,
            int scale, Integer scaleFactorAddress, String unit) {
        this(name, registerType, address, type, wordOrder, scale, scaleFactorAddress, unit, Access.READ,
                PollClass.FAST, false);
    }

    /** A point with fixed scale 0, big word order and no unit; handy for code-built maps. */
    public static Point of(String name, RegisterType registerType, int address, PointType type) {
        return new Point(name, registerType, address, type, WordOrder.BIG, 0, null, "");
    }

    public Point withScale(int newScale) {
        return new Point(name, registerType, address, type, wordOrder, newScale, null, unit, access, poll, verify);
    }

    public Point withScaleFactorAt(int sfAddress) {
        return new Point(name, registerType, address, type, wordOrder, 0, sfAddress, unit, access, poll, verify);
    }

    public Point withWordOrder(WordOrder order) {
        return new Point(name, registerType, address, type, order, scale, scaleFactorAddress, unit, access, poll,
                verify);
    }

    public Point withUnit(String newUnit) {
        return new Point(name, registerType, address, type, wordOrder, scale, scaleFactorAddress, newUnit, access,
                poll, verify);
    }

    public Point withName(String newName) {
        return new Point(newName, registerType, address, type, wordOrder, scale, scaleFactorAddress, unit, access,
                poll, verify);
    }

    public Point withAccess(Access newAccess, boolean newVerify) {
        return new Point(name, registerType, address, type, wordOrder, scale, scaleFactorAddress, unit, newAccess,
                poll, newVerify);
    }

    public Point withPoll(PollClass newPoll) {
        return new Point(name, registerType, address, type, wordOrder, scale, scaleFactorAddress, unit, access,
                newPoll, verify);
    }

    /** Whether the decoded value is a whole number (no float encoding and no scaling at all). */
    public boolean integral() {
        return !type.isFloat() && scale == 0 && scaleFactorAddress == null;
    }
}
