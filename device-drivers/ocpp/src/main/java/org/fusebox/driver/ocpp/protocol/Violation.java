package org.fusebox.driver.ocpp.protocol;

import java.util.Objects;

/**
 * Why a frame or payload is refused.
 *
 * @param code        the CALLERROR code to answer with
 * @param description one line for the sender, naming the field
 */
public record Violation(ErrorCode code, String description) {

    public Violation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(description, "description");
    }
}
