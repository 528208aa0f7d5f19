package org.fusebox.driver.ocpp.api;

import java.util.Objects;

/**
 * A charge point's answer to a call.
 *
 * @param action      the call's action
 * @param status      the answer's {@code status} field, or empty when it has none (GetConfiguration)
 * @param payloadJson the whole answer as JSON text
 */
public record CallResult(String action, String status, String payloadJson) {

    public CallResult {
        Objects.requireNonNull(action, "action");
        status = status == null ? "" : status;
        Objects.requireNonNull(payloadJson, "payloadJson");
    }

    public boolean isAccepted() {
        return "Accepted".equals(status);
    }
}
