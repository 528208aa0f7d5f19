package org.fusebox.market.caiso;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in for OASIS on an ephemeral loopback port answering with bytes (ZIPs); each test sets the answer. */
final class ZipServer implements AutoCloseable {

    /** Status, body, a wait before the headers, and whether the connection breaks after half the body. */
    record Answer(int status, byte[] body, long delayMillis, boolean breakHalfway) {
        static Answer ok(byte[] zip) {
            return new Answer(200, zip, 0, false);
        }

        static Answer status(int status, String text) {
            return new Answer(status, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, false);
        }
    }

    private final HttpServer server;
    private volatile Answer answer = Answer.status(500, "");
    final List<URI> requests = new CopyOnWriteArrayList<>();

    ZipServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/oasisapi/SingleZip", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/oasisapi/SingleZip";
    }

    void answer(Answer a) {
        answer = a;
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestURI());
        Answer a = answer;
        if (a.delayMillis() > 0) {
            try {
                Thread.sleep(a.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ex.getResponseHeaders().add("Content-Type", a.status() == 200 ? "application/x-zip-compressed" : "text/html");
        try {
            ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
            OutputStream out = ex.getResponseBody();
            out.write(a.body(), 0, a.breakHalfway() ? a.body().length / 2 : a.body().length);
            out.flush();
        } catch (IOException e) {
            ex.close(); // the client went away (timeout test)
            return;
        }
        if (a.breakHalfway()) {
            // a handler that fails makes the server drop the connection: fewer bytes than announced arrive
            throw new IOException("cut off on purpose");
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
