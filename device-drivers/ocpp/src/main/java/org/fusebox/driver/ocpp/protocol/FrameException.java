package org.fusebox.driver.ocpp.protocol;

/**
 * A frame that cannot be taken. When {@link #uniqueId()} is present the sender gets a CALLERROR with
 * {@link #violation()}; without one there is nobody to answer and the connection is closed.
 */
public final class FrameException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String uniqueId;
    private final int messageTypeId;
    private final transient Violation violation;

    /** @param messageTypeId the frame's message type id, or -1 when it has none that can be read */
    public FrameException(String uniqueId, int messageTypeId, ErrorCode code, String description) {
        super(code + ": " + description, null, false, false);
        this.uniqueId = uniqueId;
        this.messageTypeId = messageTypeId;
        this.violation = new Violation(code, description);
    }

    public int messageTypeId() {
        return messageTypeId;
    }

    /** Whether a CALLERROR can be sent back: there is a unique id and the frame is not itself an answer. */
    public boolean answerable() {
        return uniqueId != null && messageTypeId != Frame.CALL_RESULT && messageTypeId != Frame.CALL_ERROR;
    }

    /** The unique id the frame carried, or {@code null} when it carried none that can be trusted. */
    public String uniqueId() {
        return uniqueId;
    }

    public boolean hasUniqueId() {
        return uniqueId != null;
    }

    public Violation violation() {
        return violation;
    }
}
