package org.fusebox.web.security;

import java.util.Optional;

/**
 * The one-time token that creates the first administrator over HTTP while the realm has none. It lives in memory
 * only (its SHA-256): a restart without an administrator makes and logs a new one, and the old one stops working.
 * Used once, or once an administrator exists some other way, it is gone for good.
 */
public final class SetupToken {

    private String sha256;

    /** A new token; the caller logs it. Any earlier one stops working. */
    public synchronized String issue() {
        String token = Secrets.random(24);
        sha256 = Secrets.sha256(token);
        return token;
    }

    public synchronized boolean pending() {
        return sha256 != null;
    }

    /** True once, for the token issued, then never again. */
    public synchronized boolean consume(String token) {
        if (sha256 == null || token == null || !Secrets.sameText(sha256, Secrets.sha256(token))) {
            return false;
        }
        sha256 = null;
        return true;
    }

    /** An administrator exists: the token is not needed. */
    public synchronized void withdraw() {
        sha256 = null;
    }

    Optional<String> hashForTests() {
        return Optional.ofNullable(sha256);
    }
}
