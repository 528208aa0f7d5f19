package org.fusebox.api.units;

/** The three phases of a low-voltage grid connection. */
public enum Phase {
    L1, L2, L3
}
