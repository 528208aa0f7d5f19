package org.fusebox.api.cloud;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The answer to a {@link CloudRequest}. Status codes follow HTTP's meaning: 200 done, 400 refused as
 * invalid (nothing changed), 404 unknown resource, 409 conflicting with the current state, 500 failed.
 *
 * @param status  the status code
 * @param body    the answer (JSON for Fusebox's own applications), possibly empty
 * @param message a human-readable reason, empty when there is nothing to say
 */
public record CloudResponse(int status, byte[] body, String message) {

    public CloudResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP-like code, got " + status);
        }
        body = body == null ? new byte[0] : body;
        message = message == null ? "" : message;
    }

    public static CloudResponse ok(String json) {
        return new CloudResponse(200, Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8), "");
    }

    public static CloudResponse error(int status, String message) {
        return new CloudResponse(status, new byte[0], message);
    }

    public boolean isOk() {
        return status >= 200 && status < 300;
    }
}
