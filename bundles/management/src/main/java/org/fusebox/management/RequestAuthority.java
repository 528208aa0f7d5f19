package org.fusebox.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.security.AuthorisedRequest;
import org.fusebox.api.security.OperatorRequestVerifier;
import org.fusebox.api.security.Refusal;
import org.fusebox.api.security.RequestRefusedException;
import org.fusebox.management.crypto.OperatorRequests;
import org.fusebox.management.crypto.TrustedKeys;

/**
 * Verifies signed operator requests (see {@link org.fusebox.api.security}): the key is one of the operator keys, the
 * signature covers the text, the text names this request and this gateway, now is within its validity, and its id was
 * never accepted before. Checks run in that order, so a forged request never consumes a request id.
 */
final class RequestAuthority implements OperatorRequestVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS = List.of("app", "method", "resource", "gateway", "requestId", "issuedAt",
            "expiresAt", "safetyOverride", "body");

    private final TrustedKeys keys;
    private final String gatewayId;
    private final Duration maxValidity;
    private final Duration clockSkew;
    private final SeenRequests seen;
    private final Clock clock;

    RequestAuthority(TrustedKeys keys, String gatewayId, Duration maxValidity, Duration clockSkew, SeenRequests seen, Clock clock) {
        this.keys = keys;
        this.gatewayId = gatewayId;
        this.maxValidity = maxValidity;
        this.clockSkew = clockSkew;
        this.seen = seen;
        this.clock = clock;
    }

    TrustedKeys keys() {
        return keys;
    }

    String gatewayId() {
        return gatewayId;
    }

    @Override
    public boolean isSigned(CloudRequest request) {
        try {
            JsonNode n = JSON.readTree(request.body());
            return n != null && n.isObject() && n.has(SIGNED_REQUEST);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public AuthorisedRequest verify(CloudRequest request) throws RequestRefusedException {
        JsonNode envelope = envelope(request);
        String keyId = envelope.path("keyId").asText("");
        String text = envelope.path(SIGNED_REQUEST).asText("");
        PublicKey key = keys.key(keyId).orElseThrow(() -> refuse(Refusal.UNTRUSTED_KEY, "key id '" + keyId
                + "' is not an operator key of this gateway (operator keys: "
                + (keys.keyIds().isEmpty() ? "none" : String.join(", ", keys.keyIds())) + " in " + keys.directory() + ")"));
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(envelope.path("signature").asText(""));
        } catch (IllegalArgumentException e) {
            throw refuse(Refusal.MALFORMED, "signature is not base64: " + e.getMessage());
        }
        if (!OperatorRequests.verify(text, signature, key)) {
            throw refuse(Refusal.BAD_SIGNATURE, "the signature does not match the signed request and key '" + keyId + "'");
        }
        JsonNode signed = signedFields(text);
        List<String> mismatches = new ArrayList<>();
        compare("app", signed, request.app(), mismatches);
        compare("method", signed, request.method().toUpperCase(Locale.ROOT), mismatches);
        compare("resource", signed, trimSlashes(request.resource()), mismatches);
        compare("requestId", signed, request.requestId(), mismatches);
        if (!mismatches.isEmpty()) {
            throw refuse(Refusal.NOT_THIS_REQUEST, "signed for another request: " + String.join("; ", mismatches));
        }
        String gateway = signed.path("gateway").asText();
        if (!gateway.equals(gatewayId)) {
            throw refuse(Refusal.OTHER_GATEWAY, "signed for gateway '" + gateway + "', this is '" + gatewayId + "'");
        }
        Instant issued = instant(signed, "issuedAt");
        Instant expires = instant(signed, "expiresAt");
        Instant now = clock.instant();
        if (!expires.isAfter(issued)) {
            throw refuse(Refusal.MALFORMED, "expiresAt " + expires + " is not after issuedAt " + issued);
        }
        if (Duration.between(issued, expires).compareTo(maxValidity) > 0) {
            throw refuse(Refusal.EXPIRED, "valid for " + Duration.between(issued, expires).toSeconds() + " s, this gateway accepts at most "
                    + maxValidity.toSeconds() + " s (maxRequestValiditySeconds)");
        }
        if (issued.isAfter(now.plus(clockSkew))) {
            throw refuse(Refusal.NOT_YET_VALID, "issued at " + issued + ", in the future (now " + now + ")");
        }
        if (!now.isBefore(expires)) {
            throw refuse(Refusal.EXPIRED, "expired at " + expires + " (now " + now + ")");
        }
        try {
            switch (seen.add(request.requestId(), expires.plus(clockSkew), now)) {
                case SEEN -> throw refuse(Refusal.REPLAYED, "request " + request.requestId() + " was accepted before");
                case FULL -> throw refuse(Refusal.TOO_MANY_REQUESTS, "too many unexpired operator requests remembered; "
                        + "try again when some have expired");
                default -> {
                }
            }
        } catch (IOException e) {
            // fail closed: a request whose id cannot be remembered could be replayed
            throw refuse(Refusal.TOO_MANY_REQUESTS, "cannot record the request id: " + e.getMessage());
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(signed.get("body"));
        } catch (IOException e) {
            throw refuse(Refusal.MALFORMED, "unreadable body: " + e.getMessage());
        }
        return new AuthorisedRequest(keyId, request.requestId(), body, signed.path("safetyOverride").asBoolean(false), issued, expires);
    }

    private JsonNode envelope(CloudRequest request) throws RequestRefusedException {
        JsonNode n;
        try {
            n = request.body().length == 0 ? null : JSON.readTree(request.body());
        } catch (IOException e) {
            n = null;
        }
        if (n == null || !n.isObject() || !n.has(SIGNED_REQUEST)) {
            throw refuse(Refusal.UNSIGNED, request.app() + " " + request.method() + " " + request.resource()
                    + " changes the gateway and must be signed by an operator key (body {\"signedRequest\", \"keyId\", \"signature\"})");
        }
        List<String> missing = new ArrayList<>();
        for (String f : List.of(SIGNED_REQUEST, "keyId", "signature")) {
            if (!n.path(f).isTextual() || n.path(f).asText().isBlank()) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            throw refuse(Refusal.MALFORMED, "the signed request lacks " + String.join(", ", missing));
        }
        return n;
    }

    private static JsonNode signedFields(String text) throws RequestRefusedException {
        JsonNode s;
        try {
            s = JSON.readTree(text);
        } catch (IOException e) {
            throw refuse(Refusal.MALFORMED, "the signed text is not JSON: " + e.getMessage());
        }
        if (s == null || !s.isObject()) {
            throw refuse(Refusal.MALFORMED, "the signed text is not a JSON object");
        }
        List<String> missing = new ArrayList<>();
        for (String f : FIELDS) {
            if (!s.has(f)) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            throw refuse(Refusal.MALFORMED, "the signed text lacks " + String.join(", ", missing));
        }
        if (!s.get("body").isObject() || !s.get("safetyOverride").isBoolean()) {
            throw refuse(Refusal.MALFORMED, "body must be a JSON object and safetyOverride true or false");
        }
        return s;
    }

    private static void compare(String field, JsonNode signed, String actual, List<String> mismatches) {
        String value = signed.path(field).asText();
        if (field.equals("method")) {
            value = value.toUpperCase(Locale.ROOT);
        } else if (field.equals("resource")) {
            value = trimSlashes(value);
        }
        if (!value.equals(actual)) {
            mismatches.add(field + " '" + value + "' signed, '" + actual + "' requested");
        }
    }

    private static Instant instant(JsonNode signed, String field) throws RequestRefusedException {
        try {
            return Instant.parse(signed.path(field).asText());
        } catch (DateTimeParseException e) {
            throw refuse(Refusal.MALFORMED, field + " '" + signed.path(field).asText() + "' is not an ISO-8601 instant");
        }
    }

    static String trimSlashes(String s) {
        String out = s == null ? "" : s.trim();
        while (out.startsWith("/")) {
            out = out.substring(1);
        }
        while (out.endsWith("/")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }

    private static RequestRefusedException refuse(Refusal r, String reason) {
        return new RequestRefusedException(r, reason);
    }
}
