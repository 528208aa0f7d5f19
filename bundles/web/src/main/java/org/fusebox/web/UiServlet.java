package org.fusebox.web;

import java.io.IOException;
import java.util.Optional;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Serves the UI's static files from the bundle's {@code ui/} folder at {@value #PATTERN}: gzip when the browser
 * takes it, an ETag so a reload costs a 304, and {@code no-cache} so an upgraded bundle is seen at once.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("fusebox-ui")
@HttpWhiteboardServletPattern(UiServlet.PATTERN)
public final class UiServlet extends HttpServlet {

    static final String PATTERN = "/fusebox/ui/*";
    static final String ROOT = "/fusebox/ui/";
    private static final long serialVersionUID = 1L;

    private transient StaticFiles files;

    public UiServlet() {
        // for Declarative Services
    }

    UiServlet(StaticFiles files) {
        this.files = files;
    }

    @Activate
    void activate(BundleContext context) {
        files = new StaticFiles(name -> context.getBundle().getEntry("ui/" + name));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null) {
            // /fusebox/ui without the slash: relative links of the page need it
            response.sendRedirect(ROOT);
            return;
        }
        Optional<StaticFiles.File> file = files.get(path);
        if (file.isEmpty()) {
            response.sendError(404, "no such file in the web UI: " + path);
            return;
        }
        StaticFiles.File f = file.get();
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("ETag", f.etag());
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Vary", "Accept-Encoding");
        if (f.contentType().startsWith("text/html")) {
            // the UI's own files only: no inline script, no frames of other sites
            response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
        }
        if (f.etag().equals(request.getHeader("If-None-Match"))) {
            response.setStatus(304);
            return;
        }
        String accept = request.getHeader("Accept-Encoding");
        boolean gzip = accept != null && accept.contains("gzip");
        byte[] body = gzip ? f.gzip() : f.plain();
        response.setContentType(f.contentType());
        if (gzip) {
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setContentLength(body.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }
}
