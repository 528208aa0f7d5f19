package org.fusebox.rest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * A response that records what the servlet set, and a request that knows only its method, path, content
 * type and body: the servlet reads nothing else. Any other call fails the test, so a new dependency on the container shows.
 */
final class RecordingResponse {

    int status = 200;
    String contentType;
    int contentLength = -1;
    final Map<String, String> headers = new LinkedHashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    final HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
            RecordingResponse.class.getClassLoader(), new Class<?>[] { HttpServletResponse.class },
            (proxy, method, args) -> switch (method.getName()) {
                case "setStatus" -> {
                    status = (Integer) args[0];
                    yield null;
                }
                case "setContentType" -> {
                    contentType = (String) args[0];
                    yield null;
                }
                case "setContentLength" -> {
                    contentLength = (Integer) args[0];
                    yield null;
                }
                case "setHeader" -> {
                    headers.put((String) args[0], (String) args[1]);
                    yield null;
                }
                case "getOutputStream" -> new ServletOutputStream() {
                    @Override
                    public void write(int b) {
                        body.write(b);
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                    }
                };
                default -> throw new UnsupportedOperationException("response." + method.getName());
            });

    String bodyText() {
        return body.toString(StandardCharsets.UTF_8);
    }

    static HttpServletRequest request(String method, String pathInfo) {
        return request(method, pathInfo, null, null, -1);
    }

    /**
     * A request with a body; {@code contentLength} is what the Content-Length header says (-1: none), which
     * may differ from the body's length, as with a lying or chunked client.
     */
    static HttpServletRequest request(String method, String pathAndQuery, String contentType, byte[] body, long contentLength) {
        int q = pathAndQuery == null ? -1 : pathAndQuery.indexOf('?');
        String pathInfo = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? null : pathAndQuery.substring(q + 1);
        ByteArrayInputStream in = new ByteArrayInputStream(body == null ? new byte[0] : body);
        return (HttpServletRequest) Proxy.newProxyInstance(RecordingResponse.class.getClassLoader(),
                new Class<?>[] { HttpServletRequest.class }, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getPathInfo" -> pathInfo;
                    case "getQueryString" -> query;
                    case "getContentType" -> contentType;
                    case "getContentLengthLong" -> contentLength;
                    case "getInputStream" -> new ServletInputStream() {
                        @Override
                        public int read() {
                            return in.read();
                        }

                        @Override
                        public boolean isFinished() {
                            return in.available() == 0;
                        }

                        @Override
                        public boolean isReady() {
                            return true;
                        }

                        @Override
                        public void setReadListener(ReadListener listener) {
                        }
                    };
                    default -> throw new UnsupportedOperationException("request." + m.getName());
                });
    }
}
