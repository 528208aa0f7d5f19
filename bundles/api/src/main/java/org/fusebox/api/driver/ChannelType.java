package org.fusebox.api.driver;

/** Which way a channel may be used. */
public enum ChannelType {
    READ,
    WRITE,
    READ_WRITE;

    public boolean readable() {
        return this != WRITE;
    }

    public boolean writable() {
        return this != READ;
    }
}
