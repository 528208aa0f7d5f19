package org.fusebox.driver.modbus.sunspec;

/**
 * One model block found in a SunSpec device's model chain.
 *
 * @param id          SunSpec model id (1 common, 103 three-phase inverter, 203 wye meter, ...)
 * @param length      number of data registers after the two-register header
 * @param dataAddress address of the first data register (the header sits at dataAddress - 2)
 */
public record SunSpecModel(int id, int length, int dataAddress) {

    /** Address of a point given its offset within the model's data, as the SunSpec tables list it. */
    public int address(int offset) {
        if (offset < 0 || offset >= length) {
            throw new IllegalArgumentException("offset " + offset + " is outside model " + id + " of length " + length);
        }
        return dataAddress + offset;
    }
}
