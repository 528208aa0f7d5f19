package org.fusebox.itests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real HTTP requests over loopback against the container's Pax Web.
 *
 * <p>Every test gateway has one account, {@value #ITEST_USER} (role admin), put into its etc/users.properties
 * before it starts ({@link FuseboxKarafTestSupport#testAccount()}, {@link KarafGateway#unpack}). {@link #get} and
 * {@link #postJson} call as that account: the first call to a port logs in (a session), creates an API token
 * with it, and every call then sends {@code Authorization: Bearer <token>}. {@link #send} makes a request with
 * exactly the headers given, for the tests of the guard itself.
 */
final class Http {

    record Response(int status, String contentType, String body, HttpHeaders headers) {
        Optional<String> header(String name) {
            return headers == null ? Optional.empty() : headers.firstValue(name);
        }
    }

    /** The test account every test gateway gets (its password is hashed by Karaf on the first start). */
    static final String ITEST_USER = "fusebox-itest";
    static final String ITEST_PASSWORD = "itest-password-not-for-sites";

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Map<Integer, String> TOKENS = new ConcurrentHashMap<>();

    private Http() {
    }

    /** GET as the test account. */
    static Response get(int port, String path) {
        return asTestAccount(port, "GET", path, null, null);
    }

    /** POST of a JSON body as the test account. */
    static Response postJson(int port, String path, String json) {
        return asTestAccount(port, "POST", path, "application/json", json);
    }

    /** {@code Authorization} header value of the test account's API token on this port (for raw socket tests). */
    static Optional<String> authorization(int port) {
        return token(port).map(t -> "Bearer " + t);
    }

    private static Response asTestAccount(int port, String method, String path, String contentType, String body) {
        for (int attempt = 0; attempt < 2; attempt++) {
            Optional<String> token = token(port);
            if (token.isEmpty()) {
                // the API is not up yet (or the account is missing): answer what the login got
                return send(port, "POST", "/fusebox/api/v1/auth/login", "application/json", loginBody(ITEST_USER, ITEST_PASSWORD));
            }
            Response r = send(port, method, path, contentType, body, "Authorization", "Bearer " + token.get());
            if (r.status() != 401) {
                return r;
            }
            // a gateway restarted with a fresh etc/ (or the token was revoked): provision again once
            TOKENS.remove(port, token.get());
        }
        return send(port, method, path, contentType, body);
    }

    /** The test account's token for this port: logs in, creates it with the session, keeps it. */
    private static Optional<String> token(int port) {
        String known = TOKENS.get(port);
        if (known != null) {
            return Optional.of(known);
        }
        Login login = login(port, ITEST_USER, ITEST_PASSWORD);
        if (login == null) {
            return Optional.empty();
        }
        Response created = send(port, "POST", "/fusebox/api/v1/auth/tokens", "application/json",
                "{\"name\": \"itest\", \"role\": \"admin\"}", "Cookie", login.cookie(), "X-CSRF-Token", login.csrfToken());
        Optional<String> token = field(created.body(), "token");
        if (created.status() != 201 || token.isEmpty()) {
            return Optional.empty();
        }
        TOKENS.put(port, token.get());
        return token;
    }

    /** A session: the {@code Cookie} header value to send back, and the CSRF token writes need. */
    record Login(Response response, String cookie, String csrfToken) {
    }

    /** Logs in; null unless the gateway answered 200 with a session cookie. */
    static Login login(int port, String user, String password) {
        Response r = send(port, "POST", "/fusebox/api/v1/auth/login", "application/json", loginBody(user, password));
        Optional<String> setCookie = r.header("Set-Cookie");
        Optional<String> csrf = field(r.body(), "csrfToken");
        if (r.status() != 200 || setCookie.isEmpty() || csrf.isEmpty()) {
            return null;
        }
        return new Login(r, setCookie.get().split(";", 2)[0], csrf.get());
    }

    static String loginBody(String user, String password) {
        return "{\"username\": \"" + user + "\", \"password\": \"" + password + "\"}";
    }

    /** A string field of a JSON answer. */
    static Optional<String> field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json == null ? "" : json);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** A request with only the headers given ({@code name, value, name, value, ...}); no credentials of its own. */
    static Response send(int port, String method, String path, String contentType, String body, String... headers) {
        return send("http", port, method, path, contentType, body, CLIENT, headers);
    }

    static Response send(String scheme, int port, String method, String path, String contentType, String body, HttpClient client,
            String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers());
        } catch (IOException e) {
            return new Response(-1, "", e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, "", e.toString(), null);
        }
    }
}
