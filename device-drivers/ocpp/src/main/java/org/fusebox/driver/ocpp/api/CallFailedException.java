package org.fusebox.driver.ocpp.api;

/** A call got no usable answer. Completes the stage a {@link CentralSystem} method returned. */
public final class CallFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The charge point is not connected, or dropped before answering. */
        NOT_CONNECTED,
        /** No answer within the call timeout, after every retry. */
        TIMEOUT,
        /** The charge point answered with a CALLERROR; {@link #getMessage()} holds its code and description. */
        CALL_ERROR,
        /** The answer did not have the shape OCPP 1.6J gives it. */
        INVALID_ANSWER,
        /** The request was refused before sending: unknown charge point or a bad argument. */
        INVALID_REQUEST
    }

    private final Reason reason;

    public CallFailedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
