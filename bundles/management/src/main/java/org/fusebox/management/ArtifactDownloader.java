package org.fusebox.management;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fusebox.api.cloud.RequestProgress;

/**
 * Fetches an artifact into the staging directory as {@code <sha256>.part}, renamed to {@code <sha256>.artifact}
 * once complete. An interrupted HTTP download is continued with a {@code Range} request, both by the next
 * attempt of the same call and by a later request for the same SHA-256 (the part file stays on disk).
 * Nothing here trusts the bytes: the caller verifies them.
 */
final class ArtifactDownloader {

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes\\s+\\*/(\\d+)");

    /** The download cannot succeed by trying again (not found, too large, bad URL). */
    static final class FatalDownloadException extends IOException {
        private static final long serialVersionUID = 1L;

        FatalDownloadException(String message) {
            super(message);
        }
    }

    private final Path directory;
    private final int attempts;
    private final Duration retryDelay;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final long maxBytes;

    ArtifactDownloader(Path directory, int attempts, Duration retryDelay, Duration connectTimeout, Duration readTimeout,
            long maxBytes) {
        this.directory = directory;
        this.attempts = attempts;
        this.retryDelay = retryDelay;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.maxBytes = maxBytes;
    }

    Path stagedFile(String sha256) {
        return directory.resolve(sha256.toLowerCase(Locale.ROOT) + ".artifact");
    }

    Path partFile(String sha256) {
        return directory.resolve(sha256.toLowerCase(Locale.ROOT) + ".part");
    }

    /**
     * @param percentFrom where the download starts in the request's overall progress
     * @param percentTo   where it ends
     * @return the complete staged file
     */
    Path download(URI url, String sha256, RequestProgress progress, int percentFrom, int percentTo) throws IOException {
        Files.createDirectories(directory);
        Path done = stagedFile(sha256);
        if (Files.isRegularFile(done)) {
            progress.report("download", percentTo, "already staged: " + done.getFileName() + " (" + Files.size(done) + " bytes)");
            return done;
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        Path part = partFile(sha256);
        if (scheme.equals("file")) {
            Path source = Path.of(url);
            long size = Files.size(source);
            if (size > maxBytes) {
                throw new FatalDownloadException(size + " bytes is more than the limit of " + maxBytes);
            }
            Files.copy(source, part, StandardCopyOption.REPLACE_EXISTING);
        } else if (scheme.equals("http") || scheme.equals("https")) {
            IOException last = null;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                try {
                    fetchHttp(url, part, progress, percentFrom, percentTo, attempt);
                    last = null;
                    break;
                } catch (FatalDownloadException e) {
                    throw e;
                } catch (IOException e) {
                    last = e;
                    long have = Files.exists(part) ? Files.size(part) : 0;
                    progress.report("download", -1, "attempt " + attempt + "/" + attempts + " interrupted after "
                            + have + " bytes: " + e.getMessage() + (attempt < attempts ? "; retrying" : ""));
                    if (attempt < attempts) {
                        pause(attempt);
                    }
                }
            }
            if (last != null) {
                throw new IOException("download failed after " + attempts + " attempt(s), "
                        + (Files.exists(part) ? Files.size(part) : 0) + " bytes kept to resume: " + last.getMessage(), last);
            }
        } else {
            throw new FatalDownloadException("URL scheme must be http, https or file, got '" + url + "'");
        }
        Files.move(part, done, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        progress.report("download", percentTo, "downloaded " + Files.size(done) + " bytes");
        return done;
    }

    /** Throws away a staged or partial file, e.g. after its hash did not match. */
    void discard(String sha256) throws IOException {
        Files.deleteIfExists(stagedFile(sha256));
        Files.deleteIfExists(partFile(sha256));
    }

    private void fetchHttp(URI url, Path part, RequestProgress progress, int from, int to, int attempt) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
        try {
            c.setConnectTimeout((int) connectTimeout.toMillis());
            c.setReadTimeout((int) readTimeout.toMillis());
            c.setInstanceFollowRedirects(true);
            c.setUseCaches(false);
            if (have > 0) {
                c.setRequestProperty("Range", "bytes=" + have + "-");
            }
            int code = c.getResponseCode();
            long total;
            boolean append;
            if (code == HttpURLConnection.HTTP_PARTIAL && have > 0) {
                Matcher m = CONTENT_RANGE.matcher(String.valueOf(c.getHeaderField("Content-Range")));
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    Files.deleteIfExists(part);
                    throw new IOException("server answered range '" + c.getHeaderField("Content-Range")
                            + "' for bytes=" + have + "-; starting over");
                }
                total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
                append = true;
                progress.report("download", percent(have, total, from, to), "resuming at byte " + have
                        + (total > 0 ? " of " + total : "") + " (attempt " + attempt + ")");
            } else if (code == 416 && have > 0) {
                // our part already holds everything the server has, or the file changed under us
                Matcher m = UNSATISFIED_RANGE.matcher(String.valueOf(c.getHeaderField("Content-Range")));
                if (m.matches() && Long.parseLong(m.group(1)) == have) {
                    return;
                }
                Files.deleteIfExists(part);
                throw new IOException("server refused range bytes=" + have + "-; starting over");
            } else if (code == HttpURLConnection.HTTP_OK) {
                long len = c.getContentLengthLong();
                total = len;
                append = false;
                if (have > 0) {
                    progress.report("download", from, "server does not support ranges; starting over");
                }
                have = 0;
            } else if (code >= 500 || code == 408 || code == 429) {
                throw new IOException("HTTP " + code + " from " + url);
            } else {
                throw new FatalDownloadException("HTTP " + code + " from " + url);
            }
            if (total > maxBytes) {
                throw new FatalDownloadException(total + " bytes is more than the limit of " + maxBytes);
            }
            try (InputStream in = c.getInputStream();
                    OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[32 * 1024];
                long got = have;
                int lastReported = percent(got, total, from, to);
                for (int n; (n = in.read(buf)) > 0;) {
                    out.write(buf, 0, n);
                    got += n;
                    if (got > maxBytes) {
                        throw new FatalDownloadException("more than the limit of " + maxBytes + " bytes");
                    }
                    int p = percent(got, total, from, to);
                    if (p >= lastReported + 5 || (total > 0 && got == total)) {
                        lastReported = p;
                        progress.report("download", p, got + (total > 0 ? "/" + total : "") + " bytes");
                    }
                }
                if (total > 0 && got < total) {
                    throw new IOException("connection closed after " + got + " of " + total + " bytes");
                }
            }
        } finally {
            c.disconnect();
        }
    }

    private static int percent(long got, long total, int from, int to) {
        if (total <= 0) {
            return -1;
        }
        return from + (int) ((to - from) * Math.min(1.0, (double) got / total));
    }

    private void pause(int attempt) throws IOException {
        long millis = retryDelay.toMillis() * attempt;
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry", e);
        }
    }
}
