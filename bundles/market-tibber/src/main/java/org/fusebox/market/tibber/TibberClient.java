package org.fusebox.market.tibber;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fusebox.market.support.FeedException;
import org.fusebox.market.support.FetchResult;
import org.fusebox.market.support.HttpGet;
import org.fusebox.market.support.PriceSource;

/**
 * One POST of the price query per fetch: Tibber answers today and tomorrow of the home whatever interval
 * is asked, and the fetcher merges them. The token travels only in the Authorization header and never
 * appears in a message this class produces.
 */
final class TibberClient implements PriceSource {

    /** Two days at 15 minutes are about 40 kB; anything this large is not a price answer. */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    static final String USER_AGENT = "fusebox-market-tibber";

    private final TibberSettings settings;
    private final HttpClient http;
    private final TibberParser parser;
    /** Used for what a status means (Retry-After, 401 hint) and to scrub the token; GraphQL needs a POST, HttpGet only GETs. */
    private final HttpGet statuses;

    TibberClient(TibberSettings settings, Clock clock) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                // a redirect would carry the token elsewhere: it is refused as its status
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.parser = new TibberParser(settings.homeId(), settings.resolution(), settings.currency());
        this.statuses = HttpGet.builder().connectTimeout(settings.connectTimeout()).requestTimeout(settings.requestTimeout())
                .maxBodyBytes(MAX_BODY_BYTES).secret(settings.token()).clock(clock)
                .authHint("the token was refused (check etc/secrets/ and developer.tibber.com)").build();
    }

    @Override
    public FetchResult fetch(Instant from, Instant to) throws FeedException, InterruptedException {
        TibberPrices p = parser.parse(post());
        String note = "home " + p.homeId() + ", " + p.currency() + ", today " + p.todaySlots() + " slots, "
                + (p.tomorrowSlots() == 0 ? "tomorrow not published yet" : "tomorrow " + p.tomorrowSlots() + " slots");
        return FetchResult.prices(p.slots(), note);
    }

    private byte[] post() throws FeedException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(settings.apiUrl()).timeout(settings.requestTimeout())
                .header("Authorization", "Bearer " + settings.token())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(TibberQuery.body(settings.resolution()))).build();
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        HttpResponse<InputStream> response;
        // HttpClient's request timeout ends with the headers; the body is read against the same deadline
        CompletableFuture<HttpResponse<InputStream>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        try {
            response = pending.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw timeout();
        } catch (ExecutionException e) {
            throw failed(e.getCause());
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        }
        byte[] body = readBody(response.body(), deadline);
        if (response.statusCode() == 200) {
            return body;
        }
        FeedException status = statuses.refusal(new HttpGet.Response(response.statusCode(), body, response.headers()));
        Optional<String> errors = parser.errors(body);
        if (errors.isEmpty()) {
            throw status;
        }
        String reason = status.getMessage() + " (GraphQL: " + statuses.scrub(errors.get()) + ")";
        throw status.retryAfter().map(w -> new FeedException(reason, w)).orElseGet(() -> new FeedException(reason));
    }

    /** At most {@link #MAX_BODY_BYTES} (reading stops there), by {@code deadline}; a stalled or cut body is refused. */
    private byte[] readBody(InputStream in, long deadline) throws FeedException, InterruptedException {
        CompletableFuture<byte[]> reading = CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readNBytes(MAX_BODY_BYTES + 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        byte[] body;
        try {
            body = reading.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            closeQuietly(in); // ends the blocked read
            throw timeout();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            throw cause instanceof IOException ? new FeedException("response body cut off (truncated)"
                    + (cause.getMessage() == null ? "" : ": " + statuses.scrub(cause.getMessage()))) : failed(cause);
        } catch (InterruptedException e) {
            closeQuietly(in);
            throw e;
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new FeedException("response larger than " + MAX_BODY_BYTES + " bytes: not a price answer");
        }
        return body;
    }

    private FeedException failed(Throwable cause) {
        if (cause instanceof HttpTimeoutException) {
            return timeout();
        }
        String m = cause.getMessage();
        return new FeedException("request failed: " + cause.getClass().getSimpleName() + (m == null ? "" : ": " + statuses.scrub(m)));
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // already broken: nothing more to end
        }
    }

    private FeedException timeout() {
        return new FeedException("no complete answer within " + settings.requestTimeout().toSeconds() + " s (timeout)");
    }
}
