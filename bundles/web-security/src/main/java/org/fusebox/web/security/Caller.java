package org.fusebox.web.security;

import java.util.Optional;

/**
 * Who made a request, as the guard established it. Servlets behind the guard read it from the request attribute
 * {@value #ATTRIBUTE}, or through the standard {@code getRemoteUser()} / {@code isUserInRole("installer")}.
 *
 * @param how {@code session}, {@code token} or {@code basic}
 * @param session the session, when {@code how} is {@code session}
 */
public record Caller(String user, Role role, String how, Optional<Session> session) {

    public static final String ATTRIBUTE = "org.fusebox.web.security.caller";
}
