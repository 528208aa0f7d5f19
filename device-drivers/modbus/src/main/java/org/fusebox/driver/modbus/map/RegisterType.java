package org.fusebox.driver.modbus.map;

/** The Modbus register table a point lives in. Holding registers can be written, input registers cannot. */
public enum RegisterType {
    HOLDING,
    INPUT;

    public boolean writable() {
        return this == HOLDING;
    }
}
