package org.fusebox.web.security;

import java.time.Instant;

/** A machine's token as stored: never the token itself, only its SHA-256. */
public record ApiToken(String id, String name, Role role, String sha256, Instant created) {
}
