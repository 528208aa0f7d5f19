package org.fusebox.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A local stand-in for a price source's HTTP API (JDK server, loopback, ephemeral port). Each test sets
 * the answer (or a function of the request) and reads back the requests it got, headers included.
 */
public final class PriceServer implements AutoCloseable {

    /** How an answer's body is cut short. */
    public enum Truncation {
        /** the whole body */
        NONE,
        /** chunked and cleanly ended after half of the body: only the document's own syntax shows the cut */
        CLEAN_HALF,
        /** a Content-Length of the whole body, half of it sent, then the connection closed */
        BROKEN_HALF
    }

    /** What to answer: status, body, headers, and how to misbehave. */
    public record Answer(int status, String body, Map<String, String> headers, long delayMillis, Truncation truncation) {

        public Answer {
            headers = Map.copyOf(headers);
        }

        public static Answer ok(String body) {
            return new Answer(200, body, Map.of(), 0, Truncation.NONE);
        }

        public static Answer status(int status, String body) {
            return new Answer(status, body, Map.of(), 0, Truncation.NONE);
        }

        /** This answer with one more response header. */
        public Answer header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Answer(status, body, h, delayMillis, truncation);
        }

        /** This answer after a wait before the headers are sent. */
        public Answer delayed(long millis) {
            return new Answer(status, body, headers, millis, truncation);
        }

        public Answer truncated(Truncation how) {
            return new Answer(status, body, headers, delayMillis, how);
        }
    }

    /** A request as received. */
    public record Request(String method, URI uri, Map<String, String> headers) {
        /** A header by case-insensitive name, or null. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final String contentType;
    private volatile Function<Request, Answer> answers = r -> Answer.status(500, "");
    private final List<Request> received = new CopyOnWriteArrayList<>();
    /** The URIs of the requests, in order (kept as a list field for short assertions). */
    public final List<URI> requests = new CopyOnWriteArrayList<>();

    /** A server answering every path with the given content type. */
    public PriceServer(String contentType) throws IOException {
        this.contentType = contentType;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>} followed by {@code path} (which starts with '/'). */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The same answer to every request from now on. */
    public void answer(Answer a) {
        answers = r -> a;
    }

    /** An answer chosen per request (by path or query). */
    public void answer(Function<Request, Answer> chooser) {
        answers = chooser;
    }

    public List<Request> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange ex) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
        Request request = new Request(ex.getRequestMethod(), ex.getRequestURI(), headers);
        received.add(request);
        requests.add(ex.getRequestURI());
        Answer a = answers.apply(request);
        try {
            if (a.delayMillis() > 0) {
                Thread.sleep(a.delayMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", contentType);
        a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        long length = switch (a.truncation()) {
            case CLEAN_HALF -> 0; // chunked
            case BROKEN_HALF -> body.length;
            case NONE -> body.length == 0 ? -1 : body.length;
        };
        int sent = a.truncation() == Truncation.NONE ? body.length : body.length / 2;
        try {
            ex.sendResponseHeaders(a.status(), length);
            OutputStream out = ex.getResponseBody();
            out.write(body, 0, sent);
            out.flush();
        } catch (IOException e) {
            // the client went away (timeout tests)
            ex.close();
            return;
        }
        if (a.truncation() == Truncation.BROKEN_HALF) {
            // the server closes the connection of a handler that fails: fewer bytes than announced arrive
            throw new IOException("body cut off on purpose after " + sent + " of " + body.length + " bytes");
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
