package org.fusebox.driver.modbus.map;

/**
 * A run of registers that must be read together.
 *
 * @param registerType the register table
 * @param address      first register
 * @param count        number of registers, at least 1
 */
public record RegisterSpan(RegisterType registerType, int address, int count) {

    public RegisterSpan {
        if (count < 1) {
            throw new IllegalArgumentException("a span covers at least one register");
        }
    }

    /** One past the last register. */
    public int end() {
        return address + count;
    }

    public boolean contains(RegisterSpan other) {
        return other.registerType == registerType && other.address >= address && other.end() <= end();
    }
}
