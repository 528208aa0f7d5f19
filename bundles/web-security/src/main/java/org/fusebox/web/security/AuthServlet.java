package org.fusebox.web.security;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /fusebox/api/v1/auth/*}: login (a session cookie), logout, who am I, the one-time setup of the first
 * administrator, and API tokens. The guard in front ({@link AuthFilter}) has already decided who may call what.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("fusebox-auth")
@HttpWhiteboardServletPattern(AuthServlet.PATTERN)
public final class AuthServlet extends HttpServlet {

    static final String PATTERN = "/fusebox/api/v1/auth/*";
    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 8 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(AuthServlet.class);

    @Reference
    private transient WebSecurity security;

    /** The same login checks (throttle, realm) as HTTP Basic. */
    private transient AuthFilter logins;

    public AuthServlet() {
        // for Declarative Services
    }

    AuthServlet(WebSecurity security) {
        this.security = security;
    }

    private AuthFilter logins() {
        if (logins == null) {
            logins = new AuthFilter(security);
        }
        return logins;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = Optional.ofNullable(request.getPathInfo()).orElse("/");
        String method = request.getMethod();
        try {
            switch (path) {
                case "/login" -> { if (only("POST", method, response)) { login(request, response); } }
                case "/logout" -> { if (only("POST", method, response)) { logout(request, response); } }
                case "/me" -> { if (only("GET", method, response)) { me(request, response); } }
                case "/setup" -> { if (only("POST", method, response)) { setup(request, response); } }
                case "/tokens" -> tokens(method, request, response);
                default -> {
                    if (path.startsWith("/tokens/") && "DELETE".equals(method)) {
                        revoke(path.substring("/tokens/".length()), response);
                    } else if (path.startsWith("/tokens/")) {
                        response.setHeader("Allow", "DELETE");
                        Answers.error(response, 405, method + " not allowed on " + PATTERN.replace("/*", "") + path);
                    } else {
                        Answers.error(response, 404, "no such resource: " + request.getRequestURI()
                                + "; auth has login, logout, me, setup and tokens");
                    }
                }
            }
        } catch (BadRequest e) {
            Answers.error(response, 400, e.getMessage());
        }
    }

    private static boolean only(String allowed, String method, HttpServletResponse response) throws IOException {
        if (allowed.equals(method) || ("GET".equals(allowed) && "HEAD".equals(method))) {
            return true;
        }
        response.setHeader("Allow", "GET".equals(allowed) ? "GET, HEAD" : allowed);
        Answers.error(response, 405, method + " not allowed here; use " + allowed);
        return false;
    }

    // ---- login / logout / me -------------------------------------------------------------------------

    private void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, String> form = credentials(request, "username", "password");
        AuthFilter.LoginResult result = logins().login(form.get("username"), form.get("password"), request.getRemoteAddr());
        if (result.refusal() != null) {
            AuthFilter.refuse(response, result.refusal());
            return;
        }
        Session session = security.sessions().open(result.account().name(), result.role());
        response.addHeader("Set-Cookie", cookie(session.id(), security.sessions().lifetime().toSeconds(), request.isSecure()));
        LOG.info("{} logged in ({}) from {}", session.user(), session.role().id(), request.getRemoteAddr());
        Answers.json(response, 200, sessionView(session));
    }

    private void logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = caller(request);
        caller.session().ifPresent(s -> security.sessions().close(s.id()));
        response.addHeader("Set-Cookie", cookie("", 0, request.isSecure()));
        response.setStatus(204);
        response.setHeader("Cache-Control", "no-store");
    }

    private void me(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = caller(request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", caller.user());
        body.put("role", caller.role().id());
        body.put("authenticatedBy", caller.how());
        caller.session().ifPresent(s -> {
            body.put("csrfToken", s.csrfToken());
            body.put("expires", s.expires().toString());
        });
        Answers.json(response, 200, body);
    }

    private static Map<String, Object> sessionView(Session s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", s.user());
        body.put("role", s.role().id());
        body.put("csrfToken", s.csrfToken());
        body.put("expires", s.expires().toString());
        return body;
    }

    /** HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Secure over HTTPS. */
    static String cookie(String value, long maxAgeSeconds, boolean secure) {
        return SessionStore.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    private static Caller caller(HttpServletRequest request) {
        Object c = request.getAttribute(Caller.ATTRIBUTE);
        if (c instanceof Caller caller) {
            return caller;
        }
        throw new IllegalStateException("the request reached " + PATTERN + " without passing the guard");
    }

    // ---- the first administrator ---------------------------------------------------------------------

    private void setup(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, String> body = credentials(request, "token", "username", "password");
        String address = request.getRemoteAddr();
        Optional<java.time.Duration> wait = security.throttle().retryAfter("address:" + address);
        if (wait.isPresent()) {
            AuthFilter.refuse(response, AuthFilter.Outcome.tooMany(wait.get()));
            return;
        }
        if (!security.setup().pending()) {
            Answers.error(response, 409, "the gateway is set up: an administrator exists (or the gateway restarted since the token was logged); "
                    + "an administrator creates further accounts with fusebox:user-add");
            return;
        }
        try {
            Accounts.checkName(body.get("username"));
            Accounts.checkPassword(body.get("password"));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        if (!security.setup().consume(body.get("token"))) {
            security.throttle().failed("address:" + address);
            AuthFilter.refuse(response, AuthFilter.Outcome.unauthorised("wrong setup token (see data/log/karaf.log)"));
            return;
        }
        try {
            security.addAccount(body.get("username"), body.get("password"), Role.ADMIN);
        } catch (RuntimeException e) {
            LOG.error("Setup could not create the administrator {}: {}", body.get("username"), e.getMessage());
            Answers.error(response, 500, "the administrator could not be created: " + e.getMessage() + "; restart for a new setup token");
            return;
        }
        LOG.warn("Administrator {} created with the one-time setup token from {}", body.get("username"), address);
        Answers.json(response, 201, Map.of("user", body.get("username"), "role", Role.ADMIN.id()));
    }

    // ---- API tokens ----------------------------------------------------------------------------------

    private void tokens(String method, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("GET".equals(method) || "HEAD".equals(method)) {
            List<Map<String, Object>> list = security.tokens().list().stream().map(AuthServlet::tokenView).toList();
            Answers.json(response, 200, Map.of("tokens", list));
        } else if ("POST".equals(method)) {
            Map<String, String> body = credentials(request, "name", "role");
            Role role = Role.parse(body.get("role")).orElseThrow(() -> new BadRequest("role must be viewer, driver, installer or admin, got '"
                    + body.get("role") + "'"));
            ApiTokens.Created created;
            try {
                created = security.tokens().create(body.get("name"), role);
            } catch (IllegalArgumentException e) {
                throw new BadRequest(e.getMessage());
            }
            Map<String, Object> view = tokenView(created.token());
            view.put("token", created.secret());
            LOG.info("API token {} ({}, {}) created by {}", created.token().id(), created.token().name(), role.id(), request.getRemoteUser());
            Answers.json(response, 201, view);
        } else {
            response.setHeader("Allow", "GET, HEAD, POST");
            Answers.error(response, 405, method + " not allowed here; use GET or POST");
        }
    }

    private void revoke(String id, HttpServletResponse response) throws IOException {
        if (!security.tokens().revoke(id)) {
            Answers.error(response, 404, "no API token with id '" + id + "'");
            return;
        }
        LOG.info("API token {} revoked", id);
        response.setStatus(204);
        response.setHeader("Cache-Control", "no-store");
    }

    private static Map<String, Object> tokenView(ApiToken t) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", t.id());
        view.put("name", t.name());
        view.put("role", t.role().id());
        view.put("created", t.created().toString());
        return view;
    }

    // ---- bodies --------------------------------------------------------------------------------------

    /** A JSON object or an HTML form with exactly these string fields, all present. */
    private static Map<String, String> credentials(HttpServletRequest request, String... fields) throws IOException {
        String type = Optional.ofNullable(request.getContentType()).orElse("").toLowerCase(java.util.Locale.ROOT);
        Map<String, String> values = new LinkedHashMap<>();
        if (type.startsWith("application/x-www-form-urlencoded")) {
            for (String f : fields) {
                values.put(f, request.getParameter(f));
            }
        } else if (type.startsWith("application/json")) {
            byte[] raw = readAtMost(request, MAX_BODY);
            JsonNode node;
            try {
                node = Answers.JSON.readTree(raw);
            } catch (IOException e) {
                throw new BadRequest("the body is not JSON");
            }
            if (node == null || !node.isObject()) {
                throw new BadRequest("the body must be a JSON object with " + String.join(", ", fields));
            }
            for (String f : fields) {
                JsonNode v = node.get(f);
                values.put(f, v != null && v.isTextual() ? v.asText() : null);
            }
        } else {
            throw new BadRequest("send Content-Type application/json or application/x-www-form-urlencoded");
        }
        for (String f : fields) {
            if (values.get(f) == null || values.get(f).isEmpty()) {
                throw new BadRequest("'" + f + "' is missing (a string is needed); the body needs " + String.join(", ", fields));
            }
        }
        return values;
    }

    private static byte[] readAtMost(HttpServletRequest request, int max) throws IOException {
        if (request.getContentLengthLong() > max) {
            throw new BadRequest("the body is larger than " + max + " bytes");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        try (InputStream in = request.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (body.size() + n > max) {
                    throw new BadRequest("the body is larger than " + max + " bytes");
                }
                body.write(buffer, 0, n);
            }
        }
        return body.toByteArray();
    }

    /** A request the servlet refuses with 400 and this message. */
    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
