package org.fusebox.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.control.ChargingRequest;
import org.fusebox.api.control.ChargingRequests;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.rest.view.ChargingRequestView;
import org.fusebox.rest.view.ErrorView;
import org.fusebox.rest.view.HealthView;
import org.fusebox.rest.view.ProblemsView;
import org.fusebox.rest.view.SiteView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps a method, a path below {@code /fusebox/api/v1} and, where a route takes one, a body to a JSON answer. */
final class ApiRouter {

    static final String HEALTH = "/health";
    static final String SITE = "/site";
    static final String BUNDLES = "/bundles";
    static final String CHARGERS = "/chargers";
    static final String REQUEST_PATH = CHARGERS + "/{chargerId}/{connectorId}/request";
    static final String ALLOWED_METHODS = "GET";
    static final String REQUEST_METHODS = "GET, POST, DELETE";
    /** Far more than a charging request needs; a bound so that nobody can make the gateway buffer megabytes. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    static final int OK = 200;
    static final int ACCEPTED = 202;
    static final int NO_CONTENT = 204;
    static final int BAD_REQUEST = 400;
    static final int NOT_FOUND = 404;
    static final int METHOD_NOT_ALLOWED = 405;
    static final int PAYLOAD_TOO_LARGE = 413;
    static final int UNSUPPORTED_MEDIA_TYPE = 415;
    static final int INTERNAL_ERROR = 500;
    static final int UNAVAILABLE = 503;

    /** The body of a request, read only when a route takes one. */
    @FunctionalInterface
    interface Body {
        /** No body: what GET and DELETE get. */
        Body NONE = max -> new byte[0];

        /** @return the body, or null when it is longer than {@code maxBytes} */
        byte[] readAtMost(int maxBytes) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);

    private final ApiSources sources;
    private final ObjectMapper mapper;
    private final ChargingRequestBody requestBody;

    ApiRouter(ApiSources sources, ObjectMapper mapper) {
        this.sources = sources;
        this.mapper = mapper;
        this.requestBody = new ChargingRequestBody(mapper);
    }

    /** A request without a body. */
    ApiResponse handle(String method, String pathInfo) {
        return handle(method, pathInfo, null, Body.NONE);
    }

    /**
     * @param method      the HTTP method
     * @param pathInfo    the path below the servlet's pattern, e.g. {@code /health}; null for the root
     * @param contentType the request's Content-Type header, or null
     * @param body        the request body, read only by routes that take one
     */
    ApiResponse handle(String method, String pathInfo, String contentType, Body body) {
        String path = normalise(pathInfo);
        if (path.equals(CHARGERS) || path.startsWith(CHARGERS + "/")) {
            return chargers(method, path, contentType, body);
        }
        if (!path.equals(HEALTH) && !path.equals(SITE) && !path.equals(BUNDLES)) {
            return error(NOT_FOUND, "no such resource: " + (path.isEmpty() ? "/" : path)
                    + "; the API offers " + HEALTH + ", " + SITE + ", " + BUNDLES + " and " + REQUEST_PATH);
        }
        if (!"GET".equals(method)) {
            return new ApiResponse(METHOD_NOT_ALLOWED, json(new ErrorView("method " + method
                    + " is not allowed on " + path + ": it is read-only")), Map.of("Allow", ALLOWED_METHODS));
        }
        try {
            return switch (path) {
                case HEALTH -> health();
                case SITE -> site();
                default -> ok(sources.bundles());
            };
        } catch (RuntimeException e) {
            LOG.error("GET {} failed", path, e);
            return error(INTERNAL_ERROR, "internal error: " + e);
        }
    }

    private ApiResponse health() {
        HealthView view = HealthView.of(sources.controlLoop().map(ControlLoop::state), sources.health());
        return new ApiResponse(view.status() == HealthStatus.DOWN ? UNAVAILABLE : OK, json(view), Map.of());
    }

    private ApiResponse site() {
        Optional<ControlLoop> loop = sources.controlLoop();
        if (loop.isEmpty()) {
            return error(UNAVAILABLE, "no control loop is running");
        }
        Optional<CycleReport> last = loop.get().lastCycle();
        if (last.isEmpty()) {
            return error(UNAVAILABLE, "no control cycle has completed yet");
        }
        return ok(SiteView.of(last.get()));
    }

    // ---- drivers' charging requests ----------------------------------------------------------------

    private ApiResponse chargers(String method, String path, String contentType, Body body) {
        Optional<ConnectorRef> ref = connectorOf(path);
        if (ref.isEmpty()) {
            return error(NOT_FOUND, "no such resource: " + path + "; a charging request lives at " + REQUEST_PATH
                    + ", with a connector id of 1 or more");
        }
        if (!method.equals("GET") && !method.equals("POST") && !method.equals("DELETE")) {
            return new ApiResponse(METHOD_NOT_ALLOWED, json(new ErrorView("method " + method + " is not allowed on " + path)),
                    Map.of("Allow", REQUEST_METHODS));
        }
        try {
            return switch (method) {
                case "POST" -> submit(ref.get(), contentType, body);
                case "DELETE" -> withdraw(ref.get());
                default -> show(ref.get());
            };
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", method, path, e);
            return error(INTERNAL_ERROR, "internal error: " + e);
        }
    }

    private ApiResponse submit(ConnectorRef ref, String contentType, Body body) {
        if (!isJson(contentType)) {
            // Also what keeps a web page from posting here with a plain form: JSON needs a CORS preflight.
            return error(UNSUPPORTED_MEDIA_TYPE, "the body must be sent as Content-Type: application/json, got "
                    + (contentType == null ? "none" : contentType));
        }
        byte[] bytes;
        try {
            bytes = body.readAtMost(MAX_BODY_BYTES);
        } catch (IOException e) {
            return error(BAD_REQUEST, "the body could not be read: " + e.getMessage());
        }
        if (bytes == null) {
            return payloadTooLarge();
        }
        ChargingRequestBody.Parsed parsed = requestBody.parse(ref, bytes, sources.now());
        if (!parsed.problems().isEmpty()) {
            return refused(parsed.problems());
        }
        Optional<ChargingRequests> requests = sources.chargingRequests();
        if (requests.isEmpty()) {
            return noChargingRequests();
        }
        ChargingRequest request = parsed.request();
        try {
            requests.get().submit(request);
        } catch (IllegalArgumentException e) {
            return refused(List.of(e.getMessage()));
        } catch (IllegalStateException e) {
            // the charger could not be read just now: worth trying again, not the client's fault
            return error(UNAVAILABLE, "charging request not accepted now: " + e.getMessage());
        }
        return new ApiResponse(ACCEPTED, json(ChargingRequestView.of(request)), Map.of());
    }

    private ApiResponse withdraw(ConnectorRef ref) {
        Optional<ChargingRequests> requests = sources.chargingRequests();
        if (requests.isEmpty()) {
            return noChargingRequests();
        }
        return requests.get().withdraw(ref) ? new ApiResponse(NO_CONTENT, "", Map.of()) : noRequestFor(ref);
    }

    private ApiResponse show(ConnectorRef ref) {
        Optional<ChargingRequests> requests = sources.chargingRequests();
        if (requests.isEmpty()) {
            return noChargingRequests();
        }
        return requests.get().get(ref).map(r -> ok(ChargingRequestView.of(r))).orElseGet(() -> noRequestFor(ref));
    }

    /** What the servlet answers when the body is over {@link #MAX_BODY_BYTES} before it is even read. */
    ApiResponse payloadTooLarge() {
        return error(PAYLOAD_TOO_LARGE, "the body is larger than " + MAX_BODY_BYTES + " bytes");
    }

    private ApiResponse refused(List<String> problems) {
        return new ApiResponse(BAD_REQUEST, json(ProblemsView.of("charging request refused", problems)), Map.of());
    }

    private ApiResponse noChargingRequests() {
        return error(UNAVAILABLE, "charging requests are not available: the control core is not running");
    }

    private ApiResponse noRequestFor(ConnectorRef ref) {
        return error(NOT_FOUND, "no charging request for " + ref);
    }

    /** {@code /chargers/{chargerId}/{connectorId}/request}, with a connector id of 1 or more. */
    private static Optional<ConnectorRef> connectorOf(String path) {
        String[] parts = path.split("/", -1);
        // "", "chargers", chargerId, connectorId, "request"
        if (parts.length != 5 || parts[2].isBlank() || !parts[4].equals("request") || !parts[3].matches("[0-9]{1,9}")) {
            return Optional.empty();
        }
        int connectorId = Integer.parseInt(parts[3]);
        return connectorId < 1 ? Optional.empty() : Optional.of(new ConnectorRef(parts[2], connectorId));
    }

    /** {@code application/json}, with or without parameters such as {@code charset=utf-8}. */
    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT).equals("application/json");
    }

    private ApiResponse ok(Object view) {
        return new ApiResponse(OK, json(view), Map.of());
    }

    private ApiResponse error(int status, String message) {
        return new ApiResponse(status, json(new ErrorView(message)), Map.of());
    }

    private String json(Object view) {
        try {
            return mapper.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            // Our own views always serialise; if one does not, that is a bug worth a 500, not a crash.
            throw new IllegalStateException("cannot write " + view.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Tolerates a trailing slash: {@code /health/} is {@code /health}. */
    private static String normalise(String pathInfo) {
        if (pathInfo == null) {
            return "";
        }
        String p = pathInfo;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
