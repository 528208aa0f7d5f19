package org.fusebox.driver.ocpp.protocol;

/** Thrown while checking a payload; carries the CALLERROR to answer with. */
public final class ViolationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Violation violation;

    public ViolationException(ErrorCode code, String description) {
        super(code + ": " + description, null, false, false);
        this.violation = new Violation(code, description);
    }

    public Violation violation() {
        return violation;
    }
}
