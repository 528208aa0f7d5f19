package org.fusebox.driver.ocpp.protocol;

/** CALLERROR codes of OCPP-J 1.6, spelled as the specification spells them. */
public enum ErrorCode {
    /** The action is not known to the receiver. */
    NotImplemented,
    /** The action is known but not supported by the receiver. */
    NotSupported,
    /** The receiver failed while handling a correct request. */
    InternalError,
    /** The payload is incomplete (a required field is missing). */
    ProtocolError,
    /** The request came before the sender was allowed to send it. */
    SecurityError,
    /** The frame or payload does not follow the PDU structure. */
    FormationViolation,
    /** A field holds a value outside what the field allows. */
    PropertyConstraintViolation,
    /** A field occurs too few or too many times. */
    OccurenceConstraintViolation,
    /** A field has the wrong JSON type. */
    TypeConstraintViolation,
    /** Anything else. */
    GenericError
}
