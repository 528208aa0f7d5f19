package org.fusebox.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * The UI's files, read once from the bundle and kept with their gzip form and an ETag. Only names made of
 * letters, digits, {@code . - _} and single slashes are looked up, so no path can leave the {@code ui/} folder.
 */
final class StaticFiles {

    /** One file as served. */
    record File(String contentType, byte[] plain, byte[] gzip, String etag) {
    }

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json; charset=utf-8",
            "txt", "text/plain; charset=utf-8");

    private final Function<String, URL> lookup;
    private final Map<String, Optional<File>> cache = new ConcurrentHashMap<>();

    /** {@code lookup} finds a path below the bundle's {@code ui/} folder ({@code Bundle.getEntry}), null when absent. */
    StaticFiles(Function<String, URL> lookup) {
        this.lookup = lookup;
    }

    /** The file for a request path below the UI's root; {@code ""} and {@code "/"} are index.html. */
    Optional<File> get(String path) {
        String name = path == null || path.isEmpty() || path.equals("/") ? "index.html" : path.substring(path.startsWith("/") ? 1 : 0);
        if (!name.matches("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*") || name.contains("..")) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(name, this::load);
    }

    private Optional<File> load(String name) {
        URL url = lookup.apply(name);
        if (url == null) {
            return Optional.empty();
        }
        try (InputStream in = url.openStream()) {
            byte[] plain = in.readAllBytes();
            return Optional.of(new File(typeOf(name), plain, gzip(plain), etag(plain)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ui/" + name + " from the bundle", e);
        }
    }

    static String typeOf(String name) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        int dot = base.lastIndexOf('.');
        // a file without an extension is a licence or notice
        String ext = dot < 0 ? "txt" : base.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String etag(byte[] plain) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(plain);
            return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
