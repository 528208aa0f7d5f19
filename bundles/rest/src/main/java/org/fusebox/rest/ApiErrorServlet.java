package org.fusebox.rest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.fusebox.rest.view.ApiJson;
import org.fusebox.rest.view.ErrorView;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletErrorPage;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;

/**
 * The container's own errors (a path no servlet serves such as {@code /fusebox/api/v2}, a request the
 * container refuses before it reaches the API, an exception it caught) as the API's JSON
 * {@code {"error": "..."}} instead of Jetty's HTML page. It is the error page of the default HTTP context,
 * where the API lives and nothing else of the gateway.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("fusebox-api-errors")
@HttpWhiteboardServletErrorPage(errorPage = { "4xx", "5xx" })
public final class ApiErrorServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String STATUS = "javax.servlet.error.status_code";
    static final String URI = "javax.servlet.error.request_uri";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(STATUS);
        int status = code instanceof Integer i ? i : HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        Object uri = request.getAttribute(URI);
        byte[] body = ApiJson.newMapper().writeValueAsString(new ErrorView(message(status, uri == null ? null : uri.toString())))
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(FuseboxApiServlet.CONTENT_TYPE);
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            try (OutputStream out = response.getOutputStream()) {
                out.write(body);
            }
        }
    }

    /** In our words: the container's message may name its classes. */
    static String message(int status, String uri) {
        String path = uri == null ? "" : " " + uri;
        return switch (status) {
            case 404 -> "no such resource:" + path + "; the API is at /fusebox/api/v1 (" + ApiRouter.HEALTH + ", " + ApiRouter.SITE
                    + ", " + ApiRouter.BUNDLES + ", " + ApiRouter.REQUEST_PATH + ")";
            case 405 -> "method not allowed on" + path;
            case 400 -> "bad request" + (path.isEmpty() ? "" : " for" + path);
            case 413, 431 -> "request too large" + (path.isEmpty() ? "" : " for" + path);
            case 503 -> "service unavailable; try again";
            default -> status >= 500 ? "internal error; the gateway's log (data/log/karaf.log) has the details"
                    : "request refused with status " + status;
        };
    }
}
