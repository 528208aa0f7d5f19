package org.fusebox.market.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.fusebox.testing.MutableClock;
import org.fusebox.testing.PriceServer;
import org.fusebox.testing.PriceServer.Answer;
import org.fusebox.testing.PriceServer.Truncation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way a GET fails, against a real server on loopback, each with its own reason and no secret in it. */
class HttpGetTest {

    PriceServer server;
    final MutableClock clock = new MutableClock(Instant.parse("2025-10-25T11:00:00Z"));
    HttpGet http;

    @BeforeEach
    void start() throws Exception {
        server = new PriceServer("application/json");
        http = HttpGet.builder().connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(1))
                .maxBodyBytes(1000).secret("s3cr3t+key").clock(clock).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    FeedException refusedFor(Answer a) {
        server.answer(a);
        try {
            http.get(server.url("/prices?token=s3cr3t%2Bkey"), Map.of());
        } catch (FeedException e) {
            assertThat(e.getMessage()).doesNotContain("s3cr3t", "token=", "127.0.0.1");
            return e;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("not refused: " + a);
    }

    @Test
    void a2xxBodyArrivesWholeWithTheHeadersSent() throws Exception {
        server.answer(Answer.ok("{\"a\":1}"));
        HttpGet.Response r = http.get(server.url("/prices?x=1"), Map.of("Authorization", "Bearer abc"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{\"a\":1}");
        assertThat(r.header("Content-Type")).contains("application/json");
        assertThat(server.received().get(0).header("Authorization")).isEqualTo("Bearer abc");
        assertThat(server.received().get(0).uri().getQuery()).isEqualTo("x=1");
    }

    @Test
    void eachStatusHasItsReason() {
        assertThat(refusedFor(Answer.status(401, "no")).getMessage()).isEqualTo("HTTP 401: not authorised (credentials missing or refused)");
        assertThat(refusedFor(Answer.status(403, "no")).getMessage()).isEqualTo("HTTP 403: forbidden");
        assertThat(refusedFor(Answer.status(500, "boom")).getMessage()).isEqualTo("HTTP 500: the source is failing");
        assertThat(refusedFor(Answer.status(404, "")).getMessage()).isEqualTo("HTTP 404: not found");
        FeedException plain429 = refusedFor(Answer.status(429, ""));
        assertThat(plain429.getMessage()).isEqualTo("HTTP 429: too many requests");
        assertThat(plain429.retryAfter()).isEmpty();
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsADate() {
        FeedException seconds = refusedFor(Answer.status(429, "").header("Retry-After", "120"));
        assertThat(seconds.retryAfter()).contains(Duration.ofSeconds(120));
        assertThat(seconds.getMessage()).contains("HTTP 429", "wait 120 s");
        FeedException date = refusedFor(Answer.status(503, "").header("Retry-After", "Sat, 25 Oct 2025 11:30:00 GMT"));
        assertThat(date.retryAfter()).contains(Duration.ofMinutes(30));
        assertThat(refusedFor(Answer.status(429, "").header("Retry-After", "soon")).retryAfter()).isEmpty();
    }

    @Test
    void anAuthHintNamesWhatToCheck() throws Exception {
        HttpGet hinted = HttpGet.builder().authHint("the token was refused (check etc/secrets/x.token)").build();
        server.answer(Answer.status(401, ""));
        assertThatThrownBy(() -> hinted.get(server.url("/"), Map.of()))
                .hasMessage("HTTP 401: the token was refused (check etc/secrets/x.token)");
    }

    @Test
    void aBodyThatStallsEndsAtTheRequestTimeout() {
        assertThat(refusedFor(Answer.ok("{}").delayed(2_500)).getMessage()).isEqualTo("no complete answer within 1 s (timeout)");
    }

    @Test
    void aBodyCutOffIsTruncatedAndALargeOneIsNotRead() {
        assertThat(refusedFor(Answer.ok("x".repeat(800)).truncated(Truncation.BROKEN_HALF)).getMessage()).contains("truncated");
        assertThat(refusedFor(Answer.ok("x".repeat(1001))).getMessage()).contains("larger than 1000 bytes");
    }

    @Test
    void noServerIsARequestFailure() {
        server.close();
        assertThat(refusedFor(Answer.ok("")).getMessage()).startsWith("request failed: ");
    }

    @Test
    void exchangeHandsBackAnyStatusForTheFeedToRead() throws Exception {
        server.answer(Answer.status(400, "<ack/>"));
        HttpGet.Response r = http.exchange(server.url("/"), Map.of());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).isEqualTo("<ack/>");
        assertThat(http.refusal(r).getMessage()).isEqualTo("HTTP 400");
    }
}
