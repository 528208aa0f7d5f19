package org.fusebox.management;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.fusebox.management.crypto.TrustedKeys;

/**
 * Where to get an artifact and how to check it, as given in a request. Validated for form only; the
 * bytes are checked after download.
 */
record SignedArtifact(URI url, String sha256, byte[] signature, String keyId) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

    /** Adds every problem to {@code errors}; returns null when there was one. */
    static SignedArtifact from(String url, String sha256, String signature, String keyId, List<String> errors) {
        List<String> mine = new ArrayList<>();
        URI uri = null;
        if (url == null || url.isBlank()) {
            mine.add("url is required");
        } else {
            try {
                uri = new URI(url.trim());
                String s = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!s.equals("http") && !s.equals("https") && !s.equals("file")) {
                    mine.add("url must be http://, https:// or file:, got '" + url + "'");
                }
            } catch (Exception e) {
                mine.add("url '" + url + "' is not a valid URI: " + e.getMessage());
            }
        }
        if (sha256 == null || !HEX64.matcher(sha256.trim()).matches()) {
            mine.add("sha256 must be 64 hex digits, got " + (sha256 == null ? "nothing" : "'" + sha256 + "'"));
        }
        byte[] sig = null;
        if (signature == null || signature.isBlank()) {
            mine.add("signature is required: unsigned artifacts are never installed");
        } else {
            try {
                sig = Base64.getDecoder().decode(signature.trim());
                if (sig.length == 0) {
                    mine.add("signature is empty");
                }
            } catch (IllegalArgumentException e) {
                mine.add("signature is not base64: " + e.getMessage());
            }
        }
        if (keyId == null || keyId.isBlank()) {
            mine.add("keyId is required");
        } else if (!TrustedKeys.KEY_ID.matcher(keyId.trim()).matches()) {
            mine.add("keyId '" + keyId + "' must be letters, digits, '.', '_' or '-'");
        }
        errors.addAll(mine);
        return mine.isEmpty() ? new SignedArtifact(uri, sha256.trim().toLowerCase(Locale.ROOT), sig, keyId.trim()) : null;
    }
}
