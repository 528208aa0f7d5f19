package org.fusebox.history;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import javax.servlet.Filter;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/** {@code GET /fusebox/api/v1/history} and {@code /history/series}; the work is in {@link HistoryApi}. */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("fusebox-history")
@HttpWhiteboardServletPattern(HistoryServlet.PATTERN)
public final class HistoryServlet extends HttpServlet {

    /** Also matches {@code /fusebox/api/v1/history} itself; more specific than the site API's {@code /fusebox/api/v1/*}. */
    static final String PATTERN = "/fusebox/api/v1/history/*";
    static final String CONTENT_TYPE = "application/json; charset=utf-8";
    private static final long serialVersionUID = 1L;

    @Reference
    private HistoryService history;

    /** Registered only behind fusebox-web-security's guard, like the site API. */
    @Reference(target = "(fusebox.web.guard=true)")
    private Filter guard;

    private transient HistoryApi api;

    @Activate
    void activate() {
        api = new HistoryApi(history);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        // only reads take parameters: never let the container read a form body of a refused write
        Map<String, String[]> parameters = "GET".equals(method) || "HEAD".equals(method) ? request.getParameterMap() : Map.of();
        HistoryApi.Answer answer = api.handle(method, request.getPathInfo(), parameters, Instant.now());
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        response.setStatus(answer.status());
        response.setHeader("Cache-Control", "no-store");
        answer.headers().forEach(response::setHeader);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            try (OutputStream out = response.getOutputStream()) {
                out.write(body);
            }
        }
    }
}
