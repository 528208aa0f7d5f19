package org.fusebox.driver.modbus.map;

/** Whether a point is polled, written, or both. Only holding registers can be written. */
public enum Access {
    /** Polled, never written (the default). */
    READ,
    /** Polled and written, e.g. a setpoint the device reports back. */
    READ_WRITE,
    /** Written only; some devices refuse reads of their command registers. */
    WRITE;

    public boolean readable() {
        return this != WRITE;
    }

    public boolean writable() {
        return this != READ;
    }
}
