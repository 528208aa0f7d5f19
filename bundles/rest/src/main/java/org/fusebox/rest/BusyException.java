package org.fusebox.rest;

import java.io.IOException;

/** Reading a body was refused because too many are being read at once: the router answers 503. */
final class BusyException extends IOException {

    private static final long serialVersionUID = 1L;

    BusyException(String message) {
        super(message);
    }
}
