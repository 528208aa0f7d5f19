package org.fusebox.grid.openadr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * JSON over HTTP to one VTN with an OAuth2 client-credentials token: the token is fetched when there is
 * none, renewed before it expires (at 80 % of its life, at least 30 s early) and once more when the VTN
 * answers 401. Every exchange ends within the request timeout, body included. Messages never carry the
 * client secret, the token or a response body.
 */
final class VtnClient {

    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final Duration UNKNOWN_LIFETIME = Duration.ofHours(1);

    private final OpenAdrSettings settings;
    private final HttpClient http;
    private final Clock clock;
    private final ObjectMapper json = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private String token;
    private Instant renewAt;
    private int tokensFetched;

    VtnClient(OpenAdrSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    ObjectMapper json() {
        return json;
    }

    /** How many tokens were fetched (for health and tests). */
    synchronized int tokensFetched() {
        return tokensFetched;
    }

    /** Forgets the token, so the next request fetches one. */
    synchronized void forgetToken() {
        token = null;
        renewAt = null;
    }

    JsonNode get(String pathAndQuery) throws VtnException, InterruptedException {
        return call("GET", pathAndQuery, null);
    }

    JsonNode post(String path, JsonNode body) throws VtnException, InterruptedException {
        return call("POST", path, body);
    }

    private JsonNode call(String method, String pathAndQuery, JsonNode body) throws VtnException, InterruptedException {
        String what = method + " " + pathOnly(pathAndQuery);
        HttpResponse<byte[]> r = send(request(method, pathAndQuery, body, token()), what);
        if (r.statusCode() == 401) {
            // the token may have been revoked or expired early: one new token, one more try
            forgetToken();
            r = send(request(method, pathAndQuery, body, token()), what);
        }
        int status = r.statusCode();
        if (status / 100 != 2) {
            throw new VtnException(what + ": " + statusReason(status) + problemTitle(r.body()), status);
        }
        return parse(r.body(), what);
    }

    private HttpRequest request(String method, String pathAndQuery, JsonNode body, String bearer) throws VtnException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(settings.vtnUrl() + pathAndQuery))
                .timeout(settings.requestTimeout()).header("Accept", "application/json")
                .header("Authorization", "Bearer " + bearer);
        if (body == null) {
            b.GET();
        } else {
            try {
                b.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            } catch (JsonProcessingException e) {
                throw new VtnException(method + " " + pathOnly(pathAndQuery) + ": cannot write the request");
            }
        }
        return b.build();
    }

    /** A valid token, fetched or renewed when needed. */
    synchronized String token() throws VtnException, InterruptedException {
        Instant now = clock.instant();
        if (token != null && now.isBefore(renewAt)) {
            return token;
        }
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        HttpRequest.Builder b = HttpRequest.newBuilder(settings.tokenUrl()).timeout(settings.requestTimeout())
                .header("Accept", "application/json").header("Content-Type", "application/x-www-form-urlencoded");
        if (settings.basicAuth()) {
            String pair = encode(settings.clientId()) + ":" + encode(settings.clientSecret());
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.append("&client_id=").append(encode(settings.clientId()))
                    .append("&client_secret=").append(encode(settings.clientSecret()));
        }
        if (!settings.scope().isEmpty()) {
            form.append("&scope=").append(encode(settings.scope()));
        }
        b.POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        String what = "token request";
        HttpResponse<byte[]> r = send(b.build(), what);
        int status = r.statusCode();
        if (status / 100 != 2) {
            String oauthError = "";
            try {
                JsonNode e = json.readTree(r.body());
                if (e != null && e.path("error").isTextual()) {
                    oauthError = " (" + scrub(EventMapper.abbreviated(e.path("error").asText())) + ")";
                }
            } catch (IOException e) {
                // no OAuth error document
            }
            String hint = status == 400 || status == 401 || status == 403 ? ": the client credentials were refused (check clientId and clientSecret)" : "";
            throw new VtnException(what + ": " + (hint.isEmpty() ? statusReason(status) : "HTTP " + status) + oauthError + hint, status);
        }
        JsonNode answer = parse(r.body(), what);
        JsonNode access = answer.path("access_token");
        if (!access.isTextual() || access.asText().isEmpty()) {
            throw new VtnException(what + ": the answer has no access_token");
        }
        String type = answer.path("token_type").asText("Bearer");
        if (!type.equalsIgnoreCase("Bearer")) {
            throw new VtnException(what + ": token_type is '" + EventMapper.abbreviated(type) + "', not Bearer");
        }
        JsonNode expires = answer.path("expires_in");
        Duration life = expires.canConvertToLong() && expires.asLong() > 0 ? Duration.ofSeconds(expires.asLong()) : UNKNOWN_LIFETIME;
        Duration early = life.dividedBy(5).compareTo(Duration.ofSeconds(30)) > 0 ? life.dividedBy(5) : Duration.ofSeconds(30);
        token = access.asText();
        renewAt = now.plus(life.compareTo(early) > 0 ? life.minus(early) : life.dividedBy(2));
        tokensFetched++;
        return token;
    }

    private HttpResponse<byte[]> send(HttpRequest request, String what) throws VtnException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            HttpResponse<byte[]> r = pending.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (r.body() != null && r.body().length > MAX_BODY_BYTES) {
                throw new VtnException(what + ": answer larger than " + MAX_BODY_BYTES + " bytes");
            }
            return r;
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw timeout(what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw timeout(what);
            }
            throw new VtnException(what + ": no answer (" + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + scrub(cause.getMessage())) + ")");
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        }
    }

    private VtnException timeout(String what) {
        return new VtnException(what + ": no complete answer within " + settings.requestTimeout().toSeconds() + " s (timeout)");
    }

    private JsonNode parse(byte[] body, String what) throws VtnException {
        try {
            JsonNode n = json.readTree(body);
            if (n == null || n.isMissingNode()) {
                throw new VtnException(what + ": empty answer, JSON expected");
            }
            return n;
        } catch (IOException e) {
            throw new VtnException(what + ": the answer is not valid JSON");
        }
    }

    /** The title and detail of an RFC 7807 problem answer (the VTN's reason), if any. */
    private String problemTitle(byte[] body) {
        try {
            JsonNode p = json.readTree(body);
            if (p == null || !p.isObject()) {
                return "";
            }
            List<String> parts = new ArrayList<>();
            for (String field : new String[] { "title", "detail" }) {
                if (p.path(field).isTextual() && !p.path(field).asText().isBlank()) {
                    parts.add(problemText(p.path(field).asText()));
                }
            }
            for (JsonNode v : p.path("validation")) {
                if (v.path("message").isTextual() && parts.size() < 5) {
                    parts.add(problemText(v.path("message").asText()));
                }
            }
            return parts.isEmpty() ? "" : " (" + String.join(": ", parts) + ")";
        } catch (IOException e) {
            // not a problem document
        }
        return "";
    }

    private String problemText(String s) {
        String t = scrub(s).replaceAll("\\p{Cntrl}", " ");
        return t.length() <= 200 ? t : t.substring(0, 197) + "...";
    }

    private static String statusReason(int status) {
        return switch (status) {
            case 400 -> "HTTP 400: the VTN refused the request as malformed";
            case 401 -> "HTTP 401: not authorised (the token was refused twice)";
            case 403 -> "HTTP 403: forbidden (does the client have the scope?)";
            case 404 -> "HTTP 404: not found";
            case 409 -> "HTTP 409: conflict";
            case 429 -> "HTTP 429: too many requests";
            default -> status >= 500 ? "HTTP " + status + ": the VTN is failing" : "HTTP " + status;
        };
    }

    private static String pathOnly(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    /** The text with the client secret and the current token replaced by ***. */
    String scrub(String text) {
        String out = text;
        for (String s : new String[] { settings.clientSecret(), encode(settings.clientSecret()), token }) {
            if (s != null && !s.isEmpty()) {
                out = out.replace(s, "***");
            }
        }
        return out;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
