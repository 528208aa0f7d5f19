package org.fusebox.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Bounded, seeded fuzzing of the gateway's HTTP port over raw sockets, so that requests no HTTP client would send
 * (broken request lines, lying Content-Length, bad chunking, invalid UTF-8) reach it too. Requests start from the
 * real endpoints and bodies and are mutated. Reads carry the test account's token or nothing; writes carry
 * nothing or credentials that are malformed rather than wrong (so the login throttle, which has its own tests,
 * is not what answers), and target connectors that do not exist, so the fuzzing changes nothing on the site.
 */
final class HttpFuzz {

    /** What one request was and what came back: the status, or -1 when the gateway closed or stayed silent. */
    record Exchange(String request, int status) {
    }

    private static final String API = "/fusebox/api/v1";
    private static final String[] READ_PATHS = { API + "/site", API + "/health", API + "/bundles", API + "/sessions",
            API + "/history?series=grid.l1&resolution=10s", API + "/history/series", API + "/configurations",
            API + "/openapi.yaml", API + "/site/stream", "/fusebox/metrics", "/", "/index.html", "/app.js", "/app.css" };
    private static final String[] WRITE_PATHS = { API + "/chargers/fuzz-cp/1/request", API + "/chargers/sim-charger-1/9/request",
            API + "/configurations/fusebox.core", API + "/features/fusebox-nothing", API + "/auth/tokens", API + "/bundles/0" };
    private static final String[] BODIES = { "{\"energyKwh\": 5, \"departure\": \"2099-01-01T00:00:00Z\"}",
            "{\"properties\": {\"fuseLimitAmps\": 63}}", "{\"name\": \"x\", \"role\": \"viewer\"}", "[]", "null", "" };
    /** With the token only methods that read (or that nothing serves): a fuzzed write must never be authorised. */
    private static final String[] READ_METHODS = { "GET", "GET", "OPTIONS", "HEAD", "TRACE", "CONNECT", "PROPFIND", "G\tT", "" };
    private static final String[] PATH_NOISE = { "%00", "%2e%2e/%2e%2e/etc/passwd", "/../../", "?a=%zz", ";jsessionid=x", "//",
            "?series=" + "x".repeat(5000), "\u00e9\u4e2d", "%", "?resolution=-1&from=9999999999999", "#frag", "/%C0%AE" };

    private final Random random;
    private final int port;
    private final String token;

    HttpFuzz(long seed, int port, String authorization) {
        this.random = new Random(seed);
        this.port = port;
        this.token = authorization;
    }

    List<Exchange> run(int requests) {
        List<Exchange> out = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) {
            boolean write = random.nextInt(3) == 0;
            String method = write ? pick("POST", "PUT", "DELETE", "PATCH") : pick(READ_METHODS);
            String path = mutatePath(write ? pick(WRITE_PATHS) : pick(READ_PATHS));
            List<String> headers = new ArrayList<>();
            if (random.nextInt(20) != 0) {
                headers.add("Host: 127.0.0.1:" + port);
            }
            String auth = write ? pick("", "Basic !!!not-base64", "Basic bm9jb2xvbg==", "Digest x", "garbage")
                    : pick("", token, token, "Negotiate abc");
            if (!auth.isEmpty()) {
                headers.add("Authorization: " + auth);
            }
            if (random.nextInt(4) == 0) {
                headers.add("Cookie: fusebox-session=" + Long.toHexString(random.nextLong()) + "; x=\"\u0001\"");
            }
            if (random.nextInt(4) == 0) {
                headers.add("X-CSRF-Token: " + Long.toHexString(random.nextLong()));
            }
            headers.add("Content-Type: " + pick("application/json", "application/json", "application/json", "text/plain",
                    "multipart/form-data; boundary=", "application/json; charset=utf-7", "\u0000", "application/x-www-form-urlencoded"));
            byte[] body = body();
            String framing = pick("length", "length", "length", "length", "length", "short", "long", "chunked", "bad-chunked", "none");
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            String line = method + " " + path + " " + pick("HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/9.9", "") + "\r\n";
            write(request, line);
            headers.forEach(h -> write(request, h + "\r\n"));
            switch (framing) {
                case "length" -> write(request, "Content-Length: " + body.length + "\r\n\r\n").writeBytes(body);
                case "short" -> write(request, "Content-Length: " + Math.max(0, body.length - 3) + "\r\n\r\n").writeBytes(body);
                case "long" -> write(request, "Content-Length: " + (body.length + 10) + "\r\n\r\n").writeBytes(body);
                case "chunked" -> {
                    write(request, "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length) + "\r\n");
                    request.writeBytes(body);
                    write(request, "\r\n0\r\n\r\n");
                }
                case "bad-chunked" -> write(request, "Transfer-Encoding: chunked\r\n\r\nzz\r\n").writeBytes(body);
                default -> write(request, "\r\n");
            }
            String summary = line.trim() + " [" + framing + ", " + body.length + " B, auth " + (auth.equals(token) ? "token" : auth) + "]";
            out.add(new Exchange(summary.length() > 300 ? summary.substring(0, 300) + "..." : summary, send(request.toByteArray())));
        }
        return out;
    }

    static Map<Integer, Integer> statusCounts(List<Exchange> exchanges) {
        Map<Integer, Integer> counts = new TreeMap<>();
        exchanges.forEach(e -> counts.merge(e.status(), 1, Integer::sum));
        return counts;
    }

    private String mutatePath(String path) {
        return switch (random.nextInt(6)) {
            case 0, 4, 5 -> path;
            case 1 -> path + pick(PATH_NOISE);
            case 2 -> path.replace("/", pick("/", "//", "/./", "\\"));
            default -> path.substring(0, random.nextInt(path.length() + 1)) + pick(PATH_NOISE);
        };
    }

    private byte[] body() {
        String base = pick(BODIES);
        return switch (random.nextInt(7)) {
            case 0 -> base.getBytes(StandardCharsets.UTF_8);
            case 1 -> base.substring(0, random.nextInt(base.length() + 1)).getBytes(StandardCharsets.UTF_8);
            case 2 -> ("[".repeat(20_000) + "]".repeat(20_000)).getBytes(StandardCharsets.UTF_8);
            case 3 -> ("{\"energyKwh\": 1e999, \"departure\": \"" + "9".repeat(300) + "\"}").getBytes(StandardCharsets.UTF_8);
            case 4 -> new byte[] { (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '{', (byte) 0xE2, (byte) 0x82 };
            case 5 -> ("{\"energyKwh\": \"" + "A".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] b = new byte[random.nextInt(2048)];
                random.nextBytes(b);
                yield b;
            }
        };
    }

    /** Sends one request on a connection of its own and reads the status line, for at most a few seconds. */
    private int send(byte[] request) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
                s.shutdownOutput();
            } catch (IOException e) {
                // the gateway may refuse before the body is through (too large): its answer still counts
            }
            return status(s.getInputStream());
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static int status(InputStream in) throws IOException {
        StringBuilder first = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n' && first.length() < 200) {
            first.append((char) c);
        }
        String[] parts = first.toString().trim().split(" ");
        if (parts.length >= 2 && parts[0].startsWith("HTTP/")) {
            try {
                return Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private static ByteArrayOutputStream write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return out;
    }
}
