package org.fusebox.web.security;

import java.time.Instant;

/**
 * A browser's login: the cookie carries {@code id}; every write must also carry {@code csrfToken} in the
 * {@value SessionStore#CSRF_HEADER} header, which a page of another site cannot read or send.
 */
public record Session(String id, String user, Role role, String csrfToken, Instant created, Instant expires) {
}
