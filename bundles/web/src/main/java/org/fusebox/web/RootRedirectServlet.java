package org.fusebox.web;

import java.io.IOException;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;

/**
 * {@code http://HOST:8181/} opens the UI. Registered with the empty pattern (the servlet spec's exact match of the
 * root), which Pax Web also hands every path no other servlet serves: those keep their 404 (the error page of the
 * default context, fusebox-rest's JSON one, writes it).
 */
// the pattern as a plain property: an annotation would write an empty element, which DS reads as an empty array
@Component(service = Servlet.class, property = "osgi.http.whiteboard.servlet.pattern=")
@HttpWhiteboardServletName("fusebox-ui-root")
public final class RootRedirectServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uri = request.getRequestURI();
        if (uri != null && !uri.equals(request.getContextPath() + "/") && !uri.equals(request.getContextPath())) {
            response.sendError(404);
            return;
        }
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.setHeader("Allow", "GET, HEAD");
            response.sendError(405);
            return;
        }
        response.setHeader("Cache-Control", "no-store");
        response.sendRedirect(UiServlet.ROOT);
    }
}
