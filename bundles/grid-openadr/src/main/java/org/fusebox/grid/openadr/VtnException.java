package org.fusebox.grid.openadr;

/** A VTN exchange that failed, with a reason fit for logs and health: never a secret or a token. */
final class VtnException extends Exception {

    private static final long serialVersionUID = 1L;
    private final int status;

    VtnException(String reason) {
        this(reason, 0);
    }

    VtnException(String reason, int status) {
        super(reason, null, false, false);
        this.status = status;
    }

    /** The HTTP status that caused it, 0 when there was no answer. */
    int status() {
        return status;
    }
}
