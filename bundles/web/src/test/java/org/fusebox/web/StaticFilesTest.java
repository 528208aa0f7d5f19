package org.fusebox.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFilesTest {

    @TempDir
    Path ui;

    private StaticFiles files() {
        return new StaticFiles(name -> {
            Path p = ui.resolve(name);
            try {
                return Files.isRegularFile(p) ? p.toUri().toURL() : null;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void theRootIsIndexHtmlWithItsTypeGzipAndETag() throws Exception {
        Files.writeString(ui.resolve("index.html"), "<!doctype html><title>x</title>".repeat(20));
        StaticFiles.File f = files().get("/").orElseThrow();
        assertThat(f.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(f.etag()).matches("\"[0-9a-f]{24}\"");
        assertThat(f.gzip().length).isLessThan(f.plain().length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(f.gzip()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(new String(f.plain(), StandardCharsets.UTF_8));
        }
        assertThat(files().get("").orElseThrow().etag()).isEqualTo(f.etag());
    }

    @Test
    void typesFollowTheExtension() throws Exception {
        Files.createDirectories(ui.resolve("vendor"));
        Files.writeString(ui.resolve("vendor/uPlot.iife.min.js"), "var u;");
        Files.writeString(ui.resolve("app.css"), "a{}");
        Files.writeString(ui.resolve("vendor/LICENSE"), "MIT");
        assertThat(files().get("/vendor/uPlot.iife.min.js").orElseThrow().contentType()).startsWith("text/javascript");
        assertThat(files().get("/app.css").orElseThrow().contentType()).startsWith("text/css");
        assertThat(files().get("/vendor/LICENSE").orElseThrow().contentType()).startsWith("text/plain");
    }

    @Test
    void noPathLeavesTheUiFolder() throws Exception {
        Files.writeString(ui.getParent().resolve("secret.txt"), "no");
        StaticFiles files = files();
        assertThat(files.get("/../secret.txt")).isEmpty();
        assertThat(files.get("/%2e%2e/secret.txt")).isEmpty();
        assertThat(files.get("//etc/passwd")).isEmpty();
        assertThat(files.get("/a\\b")).isEmpty();
        assertThat(files.get("/missing.js")).isEmpty();
    }

    @Test
    void theBundleEntriesAreThere() {
        // the files the page loads are in the bundle's ui/ folder (uPlot copied from its WebJar by the build)
        StaticFiles bundle = new StaticFiles(name -> {
            URL u = StaticFilesTest.class.getClassLoader().getResource("ui/" + name);
            return u;
        });
        for (String name : new String[] {"/", "/app.js", "/app.css", "/favicon.svg", "/vendor/uPlot.iife.min.js", "/vendor/uPlot.min.css"}) {
            assertThat(bundle.get(name)).as(name).isPresent();
        }
    }
}
