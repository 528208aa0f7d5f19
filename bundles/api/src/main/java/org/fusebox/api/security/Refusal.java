package org.fusebox.api.security;

/** Why a remote request was not authorised; the reply carries the name as {@code code}. */
public enum Refusal {
    /** A request that changes something came without a signature. */
    UNSIGNED(401),
    /** The signed form is broken: missing fields, not JSON, bad base64, a bad instant. */
    MALFORMED(401),
    /** The key id names no operator key this gateway trusts. */
    UNTRUSTED_KEY(401),
    /** The signature does not match the signed text and key. */
    BAD_SIGNATURE(401),
    /** The signed app, method, resource or request id differ from the request's. */
    NOT_THIS_REQUEST(401),
    /** Signed for another gateway. */
    OTHER_GATEWAY(401),
    /** Its expiry has passed, or its validity is longer than this gateway accepts. */
    EXPIRED(401),
    /** Issued in the future (beyond the accepted clock skew). */
    NOT_YET_VALID(401),
    /** This request id was accepted before. */
    REPLAYED(401),
    /** Too many unexpired request ids are remembered to accept one more now. */
    TOO_MANY_REQUESTS(429),
    /** Signed, but it removes a safety-critical part or changes a security setting without a signed safety override. */
    SAFETY_OVERRIDE_REQUIRED(403),
    /** No verifier is running (the management bundle is absent): nothing can be authorised. */
    NO_VERIFIER(503);

    private final int status;

    Refusal(int status) {
        this.status = status;
    }

    /** The HTTP-like status of the reply. */
    public int status() {
        return status;
    }
}
