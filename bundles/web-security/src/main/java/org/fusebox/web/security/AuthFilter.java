package org.fusebox.web.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one guard in front of every servlet and resource of every HTTP Whiteboard context: it finds out who calls
 * (an API token, HTTP Basic through the JAAS realm, or a session cookie), looks up the least role the request
 * needs in the {@link AccessRules} table, and answers 401 (no or wrong credentials), 403 (too weak a role, or a
 * cookie-authenticated write without its CSRF token) or 429 (too many failed logins) before any servlet runs.
 *
 * <p>Servlets that must never answer without it reference this service ({@code (fusebox.web.guard=true)}), so
 * they are unregistered while the guard is.
 */
@Component(service = Filter.class, property = {
        "osgi.http.whiteboard.filter.name=fusebox-web-security",
        "osgi.http.whiteboard.filter.pattern=/*",
        // the site stream (fusebox-rest) and any other asynchronous servlet behind the guard need it
        "osgi.http.whiteboard.filter.asyncSupported=true",
        "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=*)",
        AuthFilter.GUARD_PROPERTY + "=true" })
public final class AuthFilter implements Filter {

    public static final String GUARD_PROPERTY = "fusebox.web.guard";
    static final String REALM_CHALLENGE = "Bearer realm=\"fusebox\"";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);

    @Reference
    private WebSecurity security;

    public AuthFilter() {
        // for Declarative Services
    }

    AuthFilter(WebSecurity security) {
        this.security = security;
    }

    @Override
    public void init(javax.servlet.FilterConfig config) {
        // everything it needs comes from WebSecurity
    }

    @Override
    public void destroy() {
        // sessions and tokens belong to WebSecurity, which outlives this filter's registrations
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String path = pathOf(request);
        AccessRule rule = security.rules().ruleFor(method, path);

        Optional<Caller> caller;
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            Identified id = fromAuthorization(authorization, request.getRemoteAddr());
            if (id.refusal != null) {
                refuse(response, id.refusal);
                return;
            }
            caller = Optional.of(id.caller);
        } else {
            caller = fromCookie(request);
        }

        if (!rule.isPublic()) {
            if (caller.isEmpty()) {
                refuse(response, Outcome.unauthorised("authentication required: log in (POST /fusebox/api/v1/auth/login), or send "
                        + "'Authorization: Bearer <API token>' or HTTP Basic credentials"));
                return;
            }
            Role need = rule.role().orElseThrow();
            if (!caller.get().role().includes(need)) {
                refuse(response, Outcome.forbidden(method + " " + path + " needs the role " + need.id() + "; "
                        + caller.get().user() + " has " + caller.get().role().id()));
                return;
            }
            if (!csrfOk(method, caller.get(), request.getHeader(SessionStore.CSRF_HEADER))) {
                refuse(response, Outcome.forbidden("a write with a session cookie needs the header " + SessionStore.CSRF_HEADER
                        + " with the session's CSRF token (from the login answer or GET /fusebox/api/v1/auth/me)"));
                return;
            }
        }
        chain.doFilter(caller.<HttpServletRequest>map(c -> new Authenticated(request, c)).orElse(request), response);
    }

    /** A cookie-authenticated write must carry the session's CSRF token; tokens and Basic are not sent by browsers on their own. */
    static boolean csrfOk(String method, Caller caller, String header) {
        if (SAFE_METHODS.contains(method) || !"session".equals(caller.how())) {
            return true;
        }
        return caller.session().map(s -> Secrets.sameText(s.csrfToken(), header)).orElse(false);
    }

    private record Identified(Caller caller, Outcome refusal) {
    }

    /** Bearer: an API token; Basic: a login through the JAAS realm, throttled like the login endpoint. */
    private Identified fromAuthorization(String header, String address) {
        String h = header.trim();
        int space = h.indexOf(' ');
        String scheme = space < 0 ? h : h.substring(0, space);
        String value = space < 0 ? "" : h.substring(space + 1).trim();
        // wrong tokens are counted apart from wrong passwords: a machine with a revoked token must not lock its
        // site's people out of logging in from the same address
        String addressKey = "token-address:" + address;
        if ("Bearer".equalsIgnoreCase(scheme)) {
            Optional<Duration> wait = security.throttle().retryAfter(addressKey);
            if (wait.isPresent()) {
                return new Identified(null, Outcome.tooMany(wait.get()));
            }
            Optional<ApiToken> token = security.tokens().verify(value);
            if (token.isEmpty()) {
                security.throttle().failed(addressKey);
                return new Identified(null, Outcome.unauthorised("unknown or revoked API token"));
            }
            return new Identified(new Caller(token.get().name(), token.get().role(), "token", Optional.empty()), null);
        }
        if ("Basic".equalsIgnoreCase(scheme)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return new Identified(null, Outcome.unauthorised("HTTP Basic credentials are not Base64"));
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return new Identified(null, Outcome.unauthorised("HTTP Basic credentials must be user:password"));
            }
            LoginResult login = login(decoded.substring(0, colon), decoded.substring(colon + 1), address);
            return login.account != null ? new Identified(new Caller(login.account.name(), login.role, "basic", Optional.empty()), null)
                    : new Identified(null, login.refusal);
        }
        return new Identified(null, Outcome.unauthorised("unsupported Authorization scheme '" + scheme + "'; use Bearer or Basic"));
    }

    private Optional<Caller> fromCookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie c : cookies) {
            if (SessionStore.COOKIE.equals(c.getName())) {
                Optional<Session> s = security.sessions().touch(c.getValue());
                if (s.isPresent()) {
                    return Optional.of(new Caller(s.get().user(), s.get().role(), "session", s));
                }
            }
        }
        return Optional.empty();
    }

    record LoginResult(Account account, Role role, Outcome refusal) {
    }

    /**
     * A name and password checked against the realm, unless the address or the name failed too often already.
     * Shared by HTTP Basic and the login endpoint, so neither is a way around the other's limit.
     */
    LoginResult login(String user, String password, String address) {
        String addressKey = "address:" + address;
        String userKey = "user:" + user;
        Optional<Duration> wait = max(security.throttle().retryAfter(addressKey), security.throttle().retryAfter(userKey));
        if (wait.isPresent()) {
            return new LoginResult(null, null, Outcome.tooMany(wait.get()));
        }
        if (!security.accounts().ready()) {
            // not counted as a failure: the password was not judged at all
            return new LoginResult(null, null, Outcome.unavailable("the account realm is not ready yet"));
        }
        Optional<Account> account = security.accounts().authenticate(user, password);
        if (account.isEmpty()) {
            security.throttle().failed(addressKey);
            security.throttle().failed(userKey);
            LOG.warn("Failed login for '{}' from {}", printable(user), address);
            return new LoginResult(null, null, Outcome.unauthorised("wrong user name or password"));
        }
        security.throttle().succeeded(userKey);
        if (account.get().role().isEmpty()) {
            return new LoginResult(null, null, Outcome.forbidden("the account '" + user + "' has no Fusebox role (viewer, driver, installer, admin)"));
        }
        return new LoginResult(account.get(), account.get().role().get(), null);
    }

    private static Optional<Duration> max(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() || a.get().compareTo(b.get()) >= 0 ? a : b;
    }

    private static String printable(String s) {
        String t = s.replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 64 ? t.substring(0, 64) + "..." : t;
    }

    /**
     * The path from the server root, without the query: what the access table is written against. It is the path
     * the container dispatches on (decoded, {@code ..} resolved, {@code ;params} dropped), never the raw request
     * URI, so that {@code /fusebox/ui/../api/v1/site} is judged as {@code /fusebox/api/v1/site}.
     */
    static String pathOf(HttpServletRequest request) {
        String path = nonNull(request.getContextPath()) + nonNull(request.getServletPath()) + nonNull(request.getPathInfo());
        return path.isEmpty() ? "/" : path;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /** A refusal: status, message and any headers it needs. */
    record Outcome(int status, String message, String header, String headerValue) {
        static Outcome unauthorised(String message) {
            return new Outcome(401, message, "WWW-Authenticate", REALM_CHALLENGE);
        }

        static Outcome forbidden(String message) {
            return new Outcome(403, message, null, null);
        }

        static Outcome unavailable(String message) {
            return new Outcome(503, message, "Retry-After", "1");
        }

        static Outcome tooMany(Duration wait) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            return new Outcome(429, "too many failed logins; try again in " + seconds + " s", "Retry-After", Long.toString(seconds));
        }
    }

    static void refuse(HttpServletResponse response, Outcome outcome) throws IOException {
        if (outcome.header() != null) {
            response.setHeader(outcome.header(), outcome.headerValue());
        }
        Answers.error(response, outcome.status(), outcome.message());
    }

    /** The request as the servlets see it: with its caller's name, principal and role. */
    static final class Authenticated extends HttpServletRequestWrapper {
        private final Caller caller;

        Authenticated(HttpServletRequest request, Caller caller) {
            super(request);
            this.caller = caller;
            request.setAttribute(Caller.ATTRIBUTE, caller);
        }

        @Override
        public String getRemoteUser() {
            return caller.user();
        }

        @Override
        public Principal getUserPrincipal() {
            return caller::user;
        }

        @Override
        public boolean isUserInRole(String role) {
            return Role.parse(role).map(r -> caller.role().includes(r)).orElse(false);
        }

        @Override
        public String getAuthType() {
            return "basic".equals(caller.how()) ? BASIC_AUTH : "token".equals(caller.how()) ? "BEARER" : FORM_AUTH;
        }
    }
}
