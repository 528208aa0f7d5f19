package org.fusebox.market.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP GET with the limits a price feed needs: a connect timeout, a timeout for the WHOLE exchange
 * (a body that stalls ends too), a body size limit (reading stops there), and one clear reason per
 * failure. Messages never contain the URL (it may carry a token) nor a configured secret.
 */
public final class HttpGet {

    /** A response read whole: its status, body and headers. */
    public record Response(int status, byte[] body, HttpHeaders headers) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    private final HttpClient http;
    private final Duration requestTimeout;
    private final int maxBodyBytes;
    private final String authHint;
    private final List<String> secrets;
    private final Clock clock;

    private HttpGet(Builder b) {
        this.http = HttpClient.newBuilder().connectTimeout(b.connectTimeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        this.requestTimeout = b.requestTimeout;
        this.maxBodyBytes = b.maxBodyBytes;
        this.authHint = b.authHint;
        this.secrets = List.copyOf(b.secrets);
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of an {@link HttpGet}; every one has a default. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxBodyBytes = 8 * 1024 * 1024;
        private String authHint;
        private final List<String> secrets = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder connectTimeout(Duration d) {
            connectTimeout = positive(d, "connect timeout");
            return this;
        }

        /** The longest wait for the whole response, body included. */
        public Builder requestTimeout(Duration d) {
            requestTimeout = positive(d, "request timeout");
            return this;
        }

        public Builder maxBodyBytes(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("body limit must be positive, got " + n);
            }
            maxBodyBytes = n;
            return this;
        }

        /** Added to the reason of a 401 or 403, e.g. "the token was refused (check etc/secrets/tibber.token)". */
        public Builder authHint(String hint) {
            authHint = hint;
            return this;
        }

        /** A value (token, key) replaced by *** in every message, as given and URL-encoded. */
        public Builder secret(String secret) {
            if (secret != null && !secret.isEmpty()) {
                secrets.add(secret);
                secrets.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
            }
            return this;
        }

        /** The clock a Retry-After date is measured against. */
        public Builder clock(Clock c) {
            clock = Objects.requireNonNull(c);
            return this;
        }

        public HttpGet build() {
            return new HttpGet(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** A GET that must answer 2xx; any other status is refused with {@link #refusal}'s reason. */
    public Response get(URI uri, Map<String, String> headers) throws FeedException, InterruptedException {
        Response r = exchange(uri, headers);
        if (r.status() / 100 != 2) {
            throw refusal(r);
        }
        return r;
    }

    /** A GET whatever its status, for sources that say "no data" in an error body; the body is limited all the same. */
    public Response exchange(URI uri, Map<String, String> headers) throws FeedException, InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET();
        headers.forEach(rb::header);
        // the request timeout of HttpClient ends with the headers; a body that stalls must end too
        AtomicBoolean headersArrived = new AtomicBoolean();
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(rb.build(), info -> {
            headersArrived.set(true);
            return new LimitedBody(maxBodyBytes);
        });
        HttpResponse<byte[]> response;
        try {
            response = pending.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw timeout();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw timeout();
            }
            if (cause instanceof BodyTooLarge) {
                throw new FeedException("response larger than " + maxBodyBytes + " bytes: not a price document");
            }
            if (cause instanceof IOException && headersArrived.get()) {
                throw new FeedException("response body cut off (truncated)" + scrubbed(cause.getMessage()));
            }
            throw new FeedException("request failed: " + cause.getClass().getSimpleName() + scrubbed(cause.getMessage()));
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        }
        return new Response(response.statusCode(), response.body(), response.headers());
    }

    /** The reason a non-2xx answer is refused: what the status means, Retry-After included. */
    public FeedException refusal(Response r) {
        int status = r.status();
        if (status == 401 || status == 403) {
            return new FeedException("HTTP " + status + ": " + (authHint != null ? authHint
                    : status == 401 ? "not authorised (credentials missing or refused)" : "forbidden"));
        }
        if (status == 429 || status == 503) {
            Optional<Duration> wait = r.header("Retry-After").flatMap(this::retryAfter);
            String what = status == 429 ? "too many requests" : "the source is unavailable";
            return new FeedException("HTTP " + status + ": " + what
                    + wait.map(w -> ", it asks to wait " + w.toSeconds() + " s").orElse(""), wait.orElse(null));
        }
        if (status >= 500) {
            return new FeedException("HTTP " + status + ": the source is failing");
        }
        if (status == 404) {
            return new FeedException("HTTP 404: not found");
        }
        return new FeedException("HTTP " + status);
    }

    /** Retry-After as seconds or as an HTTP date; empty when unreadable or in the past. */
    Optional<Duration> retryAfter(String value) {
        String v = value.trim();
        try {
            long s = Long.parseLong(v);
            return s < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(s));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(clock.instant(), at);
                return d.isNegative() ? Optional.empty() : Optional.of(d);
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    private FeedException timeout() {
        return new FeedException("no complete answer within " + requestTimeout.toSeconds() + " s (timeout)");
    }

    private String scrubbed(String message) {
        return message == null ? "" : ": " + scrub(message);
    }

    /** The message with every configured secret replaced by ***. */
    public String scrub(String message) {
        if (message == null) {
            return "";
        }
        String out = message;
        for (String s : secrets) {
            out = out.replace(s, "***");
        }
        return out;
    }

    private static final class BodyTooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLarge() {
            super("body too large");
        }
    }

    /** Collects the body and stops (cancels the stream) as soon as it passes the limit. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        LimitedBody(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : buffers) {
                int n = b.remaining();
                if (out.size() + (long) n > max) {
                    subscription.cancel();
                    result.completeExceptionally(new BodyTooLarge());
                    return;
                }
                byte[] chunk = new byte[n];
                b.get(chunk);
                out.write(chunk, 0, n);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }
    }
}
