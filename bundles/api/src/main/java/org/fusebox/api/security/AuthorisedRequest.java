package org.fusebox.api.security;

import java.time.Instant;
import java.util.Objects;

/**
 * A request whose signature was verified.
 *
 * @param keyId          the operator key that signed it
 * @param requestId      its id (the same as the cloud request's)
 * @param body           the request's own body, as it was signed (JSON text, possibly empty)
 * @param safetyOverride whether the operator explicitly signed a safety override (needed to remove safety-critical
 *                       parts or to change security settings remotely)
 * @param issuedAt       when the operator signed it
 * @param expiresAt      after this it would have been refused
 */
public record AuthorisedRequest(String keyId, String requestId, byte[] body, boolean safetyOverride, Instant issuedAt,
        Instant expiresAt) {

    public AuthorisedRequest {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(requestId, "requestId");
        body = body == null ? new byte[0] : body;
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
