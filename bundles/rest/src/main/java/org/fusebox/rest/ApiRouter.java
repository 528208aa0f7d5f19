package org.fusebox.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fusebox.api.control.ChargingRequest;
import org.fusebox.api.control.ChargingRequests;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.session.SessionHistory;
import org.fusebox.rest.view.ChargingRequestView;
import org.fusebox.rest.view.ErrorView;
import org.fusebox.rest.view.HealthView;
import org.fusebox.rest.view.ProblemsView;
import org.fusebox.rest.view.ReimbursementView;
import org.fusebox.rest.view.SessionRecordView;
import org.fusebox.rest.view.SiteView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps a method, a path below {@code /fusebox/api/v1} and, where a route takes one, a body to a JSON answer. */
final class ApiRouter {

    static final String HEALTH = "/health";
    static final String SITE = "/site";
    static final String BUNDLES = "/bundles";
    static final String CHARGERS = "/chargers";
    /** The OpenAPI description of every endpoint of the gateway (this bundle's and the others'). */
    static final String OPENAPI = "/openapi.yaml";
    static final String OPENAPI_RESOURCE = "/openapi.yaml";
    static final String YAML = "application/yaml; charset=utf-8";
    /** Every path this router answers, as the OpenAPI document names them (below /fusebox/api/v1). */
    static final List<String> ROUTES = List.of("/health", "/site", "/bundles", "/openapi.yaml", "/sessions", "/reports/reimbursement",
            "/chargers/{chargerId}/{connectorId}/request");
    static final String REQUEST_PATH = CHARGERS + "/{chargerId}/{connectorId}/request";
    static final String SESSIONS = "/sessions";
    static final String REIMBURSEMENT = "/reports/reimbursement";
    /** The longest period a session list or a report covers: a year and a bit, enough for an annual report. */
    static final Duration MAX_PERIOD = Duration.ofDays(400);
    /** The period of {@code GET /sessions} without {@code from}. */
    static final Duration DEFAULT_PERIOD = Duration.ofDays(7);
    static final String CSV = "text/csv; charset=utf-8";
    static final String ALLOWED_METHODS = "GET, HEAD";
    static final String REQUEST_METHODS = "GET, HEAD, POST, DELETE";
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
    private volatile RequestLimits limits = RequestLimits.DEFAULTS;

    ApiRouter(ApiSources sources, ObjectMapper mapper) {
        this.sources = sources;
        this.mapper = mapper;
        this.requestBody = new ChargingRequestBody(mapper);
    }

    void limits(RequestLimits newLimits) {
        limits = newLimits;
    }

    RequestLimits limits() {
        return limits;
    }

    /** A request without a body. */
    ApiResponse handle(String method, String pathInfo) {
        return handle(method, pathInfo, null, null, Body.NONE);
    }

    /** A request without a body, with a query string (without '?'). */
    ApiResponse handle(String method, String pathInfo, String query) {
        return handle(method, pathInfo, query, null, Body.NONE);
    }

    ApiResponse handle(String requestMethod, String pathInfo, String contentType, Body body) {
        return handle(requestMethod, pathInfo, null, contentType, body);
    }

    /**
     * @param method      the HTTP method
     * @param pathInfo    the path below the servlet's pattern, e.g. {@code /health}; null for the root
     * @param query       the query string without '?', or null
     * @param contentType the request's Content-Type header, or null
     * @param body        the request body, read only by routes that take one
     */
    ApiResponse handle(String requestMethod, String pathInfo, String query, String contentType, Body body) {
        // HEAD is GET without the body (the servlet leaves the body out): same status, same headers
        String method = "HEAD".equals(requestMethod) ? "GET" : requestMethod;
        String path = normalise(pathInfo);
        if (path.equals(CHARGERS) || path.startsWith(CHARGERS + "/")) {
            return chargers(method, path, contentType, body);
        }
        if (!path.equals(HEALTH) && !path.equals(SITE) && !path.equals(BUNDLES) && !path.equals(SESSIONS)
                && !path.equals(REIMBURSEMENT) && !path.equals(OPENAPI)) {
            return error(NOT_FOUND, "no such resource: " + (path.isEmpty() ? "/" : path)
                    + "; the API offers " + HEALTH + ", " + SITE + ", " + BUNDLES + ", " + SESSIONS + ", " + REIMBURSEMENT
                    + ", " + REQUEST_PATH + " and " + OPENAPI + " (which describes every endpoint)");
        }
        if (!"GET".equals(method)) {
            return new ApiResponse(METHOD_NOT_ALLOWED, json(new ErrorView("method " + method
                    + " is not allowed on " + path + ": it is read-only")), Map.of("Allow", ALLOWED_METHODS));
        }
        try {
            return switch (path) {
                case HEALTH -> health();
                case SITE -> site();
                case OPENAPI -> openApi();
                case SESSIONS -> sessions(query);
                case REIMBURSEMENT -> reimbursement(query);
                default -> ok(sources.bundles());
            };
        } catch (RuntimeException e) {
            LOG.error("GET {} failed", path, e);
            return internalError();
        }
    }

    private ApiResponse health() {
        HealthView view = HealthView.of(sources.controlLoop().map(ControlLoop::state), sources.health());
        return new ApiResponse(view.status() == HealthStatus.DOWN ? UNAVAILABLE : OK, json(view), Map.of());
    }

    private static volatile String openApiText;

    /** The document shipped in this bundle; read once. */
    static String openApiDocument() {
        String text = openApiText;
        if (text == null) {
            try (java.io.InputStream in = ApiRouter.class.getResourceAsStream(OPENAPI_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the bundle");
                }
                text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " cannot be read", e);
            }
            openApiText = text;
        }
        return text;
    }

    private ApiResponse openApi() {
        return new ApiResponse(OK, openApiDocument(), Map.of("Content-Type", YAML));
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
        Optional<SessionHistory> history = sources.sessions();
        return ok(history.isEmpty() ? SiteView.of(last.get())
                : SiteView.of(last.get(), ref -> history.get().active(ref).orElse(null)));
    }

    // ---- recorded charging sessions ----------------------------------------------------------------

    private record Period(Instant from, Instant to) {
    }

    private ApiResponse sessions(String query) {
        QueryParams q = QueryParams.parse(query, Set.of("from", "to", "idTag"));
        ZoneId zone = sources.reportZone();
        Instant to = q.instant("to", q.text("to"), zone, true);
        Instant from = q.instant("from", q.text("from"), zone, false);
        String idTag = q.text("idTag");
        if (!q.problems().isEmpty()) {
            return badQuery(q.problems());
        }
        Period p = period(from, to == null ? sources.now() : to, q);
        if (p == null) {
            return badQuery(q.problems());
        }
        Optional<SessionHistory> history = sources.sessions();
        if (history.isEmpty()) {
            return noSessions();
        }
        List<ChargingSession> found = idTag == null ? history.get().sessions(p.from(), p.to())
                : history.get().sessions(idTag, p.from(), p.to());
        return ok(new SessionRecordView.ListView(p.from(), p.to(), idTag, found.stream().map(SessionRecordView::of).toList()));
    }

    private ApiResponse reimbursement(String query) {
        QueryParams q = QueryParams.parse(query, Set.of("from", "to", "idTag", "format"));
        ZoneId zone = sources.reportZone();
        Instant from = q.instant("from", q.required("from"), zone, false);
        Instant to = q.instant("to", q.required("to"), zone, true);
        String idTag = q.text("idTag");
        String format = q.text("format");
        if (format != null && !format.equals("json") && !format.equals("csv")) {
            q.problems().add("parameter 'format' must be json or csv, got " + format);
        }
        if (!q.problems().isEmpty()) {
            return badQuery(q.problems());
        }
        Period p = period(from, to, q);
        if (p == null) {
            return badQuery(q.problems());
        }
        Optional<SessionHistory> history = sources.sessions();
        if (history.isEmpty()) {
            return noSessions();
        }
        List<ChargingSession> found = idTag == null ? history.get().sessions(p.from(), p.to())
                : history.get().sessions(idTag, p.from(), p.to());
        ReimbursementView report = ReimbursementView.of(found, p.from(), p.to(), zone, idTag);
        if ("csv".equals(format)) {
            return new ApiResponse(OK, report.csv(), Map.of("Content-Type", CSV, "Content-Disposition",
                    "attachment; filename=\"reimbursement.csv\""));
        }
        return ok(report);
    }

    /** {@code from} defaults to {@link #DEFAULT_PERIOD} before {@code to}; null (with the problem noted) when the period is wrong. */
    private static Period period(Instant from, Instant to, QueryParams q) {
        Instant start = from == null ? to.minus(DEFAULT_PERIOD) : from;
        if (!start.isBefore(to)) {
            q.problems().add("the period is empty: from " + start + " is not before to " + to);
            return null;
        }
        if (Duration.between(start, to).compareTo(MAX_PERIOD) > 0) {
            q.problems().add("the period is longer than " + MAX_PERIOD.toDays() + " days: ask for it in parts");
            return null;
        }
        return new Period(start, to);
    }

    private ApiResponse badQuery(List<String> problems) {
        return new ApiResponse(BAD_REQUEST, json(ProblemsView.of("bad query", problems)), Map.of());
    }

    private ApiResponse noSessions() {
        return error(UNAVAILABLE, "charging sessions are not recorded here: install the feature fusebox-sessions");
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
            return internalError();
        }
    }

    /** What failed is in the log; the answer names no class and no stack frame of ours. */
    private ApiResponse internalError() {
        return error(INTERNAL_ERROR, "internal error; the gateway's log (data/log/karaf.log) has the details");
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
        } catch (BusyException e) {
            return error(UNAVAILABLE, e.getMessage());
        } catch (IOException e) {
            // the container's exceptions name their classes; the client only needs to know it failed
            return error(BAD_REQUEST, "the body could not be read: the connection failed or timed out while it was sent");
        }
        if (bytes == null) {
            return payloadTooLarge();
        }
        ChargingRequestBody.Parsed parsed = requestBody.parse(ref, bytes, sources.now(), limits);
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
            return refused(List.of(String.valueOf(e.getMessage())));
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
