package org.fusebox.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.rest.view.ErrorView;
import org.fusebox.rest.view.HealthView;
import org.fusebox.rest.view.SiteView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps a method and a path below {@code /fusebox/api/v1} to a JSON answer. */
final class ApiRouter {

    static final String HEALTH = "/health";
    static final String SITE = "/site";
    static final String BUNDLES = "/bundles";
    static final String ALLOWED_METHODS = "GET";

    static final int OK = 200;
    static final int NOT_FOUND = 404;
    static final int METHOD_NOT_ALLOWED = 405;
    static final int INTERNAL_ERROR = 500;
    static final int UNAVAILABLE = 503;

    private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);

    private final ApiSources sources;
    private final ObjectMapper mapper;

    ApiRouter(ApiSources sources, ObjectMapper mapper) {
        this.sources = sources;
        this.mapper = mapper;
    }

    /**
     * @param method   the HTTP method
     * @param pathInfo the path below the servlet's pattern, e.g. {@code /health}; null for the root
     */
    ApiResponse handle(String method, String pathInfo) {
        String path = normalise(pathInfo);
        if (!path.equals(HEALTH) && !path.equals(SITE) && !path.equals(BUNDLES)) {
            return error(NOT_FOUND, "no such resource: " + (path.isEmpty() ? "/" : path)
                    + "; the API offers " + HEALTH + ", " + SITE + " and " + BUNDLES);
        }
        if (!"GET".equals(method)) {
            return new ApiResponse(METHOD_NOT_ALLOWED, json(new ErrorView("method " + method
                    + " is not allowed: this API is read-only")), Map.of("Allow", ALLOWED_METHODS));
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
