package org.fusebox.api.security;

import java.util.Objects;

/** A remote request was not authorised; nothing was changed. */
public class RequestRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Refusal refusal;

    public RequestRefusedException(Refusal refusal, String reason) {
        super(reason);
        this.refusal = Objects.requireNonNull(refusal, "refusal");
    }

    public Refusal refusal() {
        return refusal;
    }
}
