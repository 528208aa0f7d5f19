package org.fusebox.driver.modbus.map;

/**
 * The order of the 16-bit words of a multi-register value. Bytes within a word are always big-endian, as
 * Modbus requires; only the word order varies between vendors.
 */
public enum WordOrder {
    /** Most significant word first (SunSpec, Eastron). */
    BIG,
    /** Least significant word first (some PLCs and older meters). */
    LITTLE
}
