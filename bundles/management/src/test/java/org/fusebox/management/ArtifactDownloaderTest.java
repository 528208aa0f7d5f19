package org.fusebox.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.fusebox.api.cloud.RequestProgress;
import org.fusebox.management.crypto.ArtifactSignature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resumable downloads from a real loopback HTTP server that honours Range and can cut a transfer half way. */
class ArtifactDownloaderTest {

    @TempDir
    Path tmp;

    private HttpServer server;
    private byte[] content;
    private String sha256;
    /** Cut the next full (non-range) response after half the bytes. */
    private final AtomicBoolean cutNext = new AtomicBoolean();
    private final AtomicBoolean ignoreRange = new AtomicBoolean();
    private final AtomicInteger status = new AtomicInteger(0);
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private final List<String> progress = new CopyOnWriteArrayList<>();
    private final RequestProgress sink = (s, p, m) -> progress.add(s + " " + p + " " + m);

    @BeforeEach
    void start() throws IOException {
        content = new byte[300_000];
        new Random(42).nextBytes(content);
        sha256 = ArtifactSignature.hex(ArtifactSignature.sha256(content));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/a.jar", this::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            if (status.get() != 0) {
                ex.sendResponseHeaders(status.get(), -1);
                return;
            }
            String range = ex.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            int from = 0;
            if (range != null && !ignoreRange.get()) {
                from = Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
                if (from >= content.length) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
                ex.sendResponseHeaders(206, content.length - from);
            } else {
                ex.sendResponseHeaders(200, content.length);
            }
            OutputStream out = ex.getResponseBody();
            if (from == 0 && cutNext.getAndSet(false)) {
                out.write(content, 0, content.length / 2);
                out.flush();
                // drop the connection mid-body, as a flaky mobile link would: the exchange fails with bytes missing
                throw new IOException("cut by the test");
            }
            out.write(content, from, content.length - from);
        }
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/a.jar");
    }

    private ArtifactDownloader downloader(int attempts) {
        return new ArtifactDownloader(tmp.resolve("dl"), attempts, Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(10),
                10_000_000);
    }

    @Test
    void aRetryResumesWhereTheCutConnectionStopped() throws Exception {
        cutNext.set(true);
        ArtifactDownloader d = downloader(1);

        assertThatThrownBy(() -> d.download(url(), sha256, sink, 5, 50)).isInstanceOf(IOException.class)
                .hasMessageContaining("bytes kept to resume");
        long kept = Files.size(d.partFile(sha256));
        assertThat(kept).isGreaterThan(0).isLessThan(content.length);

        Path done = d.download(url(), sha256, sink, 5, 50);

        assertThat(ranges).last().isEqualTo("bytes=" + kept + "-");
        assertThat(Files.readAllBytes(done)).isEqualTo(content);
        assertThat(ArtifactSignature.hex(ArtifactSignature.sha256(done))).isEqualTo(sha256);
        assertThat(progress).anyMatch(p -> p.contains("resuming at byte " + kept + " of " + content.length));
        assertThat(progress).anyMatch(p -> p.startsWith("download 50 "));
        assertThat(Files.exists(d.partFile(sha256))).isFalse();
    }

    @Test
    void theAttemptsOfOneRequestContinueEachOther() throws Exception {
        cutNext.set(true);

        Path done = downloader(3).download(url(), sha256, sink, 0, 100);

        assertThat(Files.readAllBytes(done)).isEqualTo(content);
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0)).isEqualTo("null");
        assertThat(ranges.get(1)).startsWith("bytes=").isNotEqualTo("bytes=0-");
        assertThat(progress).anyMatch(p -> p.contains("attempt 1/3 interrupted") && p.contains("retrying"));
    }

    @Test
    void aServerIgnoringRangeMakesItStartOver() throws Exception {
        cutNext.set(true);
        ArtifactDownloader d = downloader(1);
        assertThatThrownBy(() -> d.download(url(), sha256, sink, 0, 100)).isInstanceOf(IOException.class);
        ignoreRange.set(true);

        Path done = d.download(url(), sha256, sink, 0, 100);

        assertThat(Files.readAllBytes(done)).isEqualTo(content);
        assertThat(progress).anyMatch(p -> p.contains("does not support ranges; starting over"));
    }

    @Test
    void aCompletePartFileIsNotFetchedAgain() throws Exception {
        ArtifactDownloader d = downloader(1);
        Files.createDirectories(tmp.resolve("dl"));
        Files.write(d.partFile(sha256), content);

        Path done = d.download(url(), sha256, sink, 0, 100);

        assertThat(ranges).containsExactly("bytes=" + content.length + "-");
        assertThat(Files.readAllBytes(done)).isEqualTo(content);
    }

    @Test
    void notFoundIsFatalAndServerErrorsAreRetried() throws Exception {
        status.set(404);
        assertThatThrownBy(() -> downloader(3).download(url(), sha256, sink, 0, 100))
                .isInstanceOf(ArtifactDownloader.FatalDownloadException.class).hasMessageContaining("HTTP 404");
        status.set(503);
        assertThatThrownBy(() -> downloader(2).download(url(), sha256, sink, 0, 100))
                .isInstanceOf(IOException.class).hasMessageContaining("after 2 attempt(s)");
        assertThat(progress).filteredOn(p -> p.contains("attempt")).hasSize(2);
    }

    @Test
    void tooLargeIsRefusedAndFileUrlsAreCopied() throws Exception {
        ArtifactDownloader small = new ArtifactDownloader(tmp.resolve("dl"), 1, Duration.ZERO, Duration.ofSeconds(5),
                Duration.ofSeconds(5), 1000);
        assertThatThrownBy(() -> small.download(url(), sha256, sink, 0, 100))
                .isInstanceOf(ArtifactDownloader.FatalDownloadException.class).hasMessageContaining("more than the limit of 1000");

        Path src = tmp.resolve("local.jar");
        Files.write(src, content);
        Path done = downloader(1).download(src.toUri(), sha256, sink, 0, 100);
        assertThat(Files.readAllBytes(done)).isEqualTo(content);
    }
}
