package org.fusebox.api.cloud;

import java.util.Objects;

/**
 * A remote request addressed to one application of the gateway (Kura's request/response idea).
 *
 * @param requestId the requester's id for it; the reply and progress carry it back
 * @param requester the requester's client id, for logs and replies
 * @param app       the application it is for, e.g. {@code DEPLOY-V1}
 * @param method    {@code GET}, {@code PUT}, {@code POST}, {@code DEL} or {@code EXEC}
 * @param resource  what it acts on below the application, e.g. {@code bundles} or {@code upgrade}; may be empty
 * @param body      the request body (JSON for Fusebox's own applications), possibly empty
 */
public record CloudRequest(String requestId, String requester, String app, String method, String resource, byte[] body) {

    public CloudRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(method, "method");
        resource = resource == null ? "" : resource;
        body = body == null ? new byte[0] : body;
    }
}
