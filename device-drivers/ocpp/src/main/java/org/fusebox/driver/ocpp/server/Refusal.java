package org.fusebox.driver.ocpp.server;

import java.util.Objects;

/**
 * Why a WebSocket upgrade is refused, as an HTTP answer.
 *
 * @param httpStatus       400, 401, 404, ...
 * @param reasonPhrase     the HTTP reason phrase
 * @param message          one line for the charger's log
 * @param askForBasicAuth  whether to add {@code WWW-Authenticate: Basic}
 */
public record Refusal(int httpStatus, String reasonPhrase, String message, boolean askForBasicAuth) {

    public Refusal {
        Objects.requireNonNull(reasonPhrase, "reasonPhrase");
        Objects.requireNonNull(message, "message");
    }

    public static Refusal notFound(String message) {
        return new Refusal(404, "Not Found", message, false);
    }

    public static Refusal badRequest(String message) {
        return new Refusal(400, "Bad Request", message, false);
    }

    public static Refusal unauthorized(String message) {
        return new Refusal(401, "Unauthorized", message, true);
    }
}
