package org.fusebox.simulator.ocpp;

/**
 * A call from the central system that is answered with a CALLERROR instead of a result.
 *
 * @see <a href="https://www.openchargealliance.org/">OCPP-J 1.6, section 4.2.3</a> for the error codes
 */
final class CallError extends Exception {

    private static final long serialVersionUID = 1L;

    static final String NOT_IMPLEMENTED = "NotImplemented";
    static final String FORMATION_VIOLATION = "FormationViolation";
    static final String PROTOCOL_ERROR = "ProtocolError";
    static final String PROPERTY_CONSTRAINT_VIOLATION = "PropertyConstraintViolation";
    static final String TYPE_CONSTRAINT_VIOLATION = "TypeConstraintViolation";
    static final String INTERNAL_ERROR = "InternalError";

    private final String code;

    CallError(String code, String description) {
        super(description, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
