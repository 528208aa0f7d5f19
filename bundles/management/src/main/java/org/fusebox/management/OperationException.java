package org.fusebox.management;

/** A request that was refused or failed, with the status code its response carries. */
final class OperationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    OperationException(int status, String message) {
        super(message);
        this.status = status;
    }

    OperationException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    static OperationException invalid(String message) {
        return new OperationException(400, message);
    }

    int status() {
        return status;
    }
}
