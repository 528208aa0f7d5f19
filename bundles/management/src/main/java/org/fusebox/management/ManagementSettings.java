package org.fusebox.management;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A validated {@link ManagementConfig}. */
record ManagementSettings(Path trustedKeys, Path staging, Duration healthTimeout, Duration refreshTimeout, int downloadAttempts,
        Duration retryDelay, Duration connectTimeout, Duration readTimeout, long maxArtifactBytes, boolean allowDowngrade) {

    /** @throws IllegalArgumentException naming every bad value */
    static ManagementSettings from(ManagementConfig c, String karafBase, String karafEtc, String karafData) {
        List<String> errors = new ArrayList<>();
        Path keys = path("trustedKeysDirectory", c.trustedKeysDirectory(), karafBase,
                Path.of(karafEtc != null ? karafEtc : "etc", "fusebox", "trusted-keys"), errors);
        Path staging = path("stagingDirectory", c.stagingDirectory(), karafBase,
                Path.of(karafData != null ? karafData : "data", "fusebox", "management"), errors);
        range("healthTimeoutSeconds", c.healthTimeoutSeconds(), 1, 3600, errors);
        range("refreshTimeoutSeconds", c.refreshTimeoutSeconds(), 1, 3600, errors);
        range("downloadAttempts", c.downloadAttempts(), 1, 20, errors);
        range("retryDelaySeconds", c.retryDelaySeconds(), 0, 600, errors);
        range("connectTimeoutSeconds", c.connectTimeoutSeconds(), 1, 600, errors);
        range("readTimeoutSeconds", c.readTimeoutSeconds(), 1, 600, errors);
        range("maxArtifactMegabytes", c.maxArtifactMegabytes(), 1, 4096, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new ManagementSettings(keys, staging, Duration.ofSeconds(c.healthTimeoutSeconds()),
                Duration.ofSeconds(c.refreshTimeoutSeconds()), c.downloadAttempts(), Duration.ofSeconds(c.retryDelaySeconds()),
                Duration.ofSeconds(c.connectTimeoutSeconds()), Duration.ofSeconds(c.readTimeoutSeconds()),
                c.maxArtifactMegabytes() * 1024L * 1024L, c.allowDowngrade());
    }

    private static Path path(String key, String value, String base, Path fallback, List<String> errors) {
        try {
            Path p = value == null || value.isBlank() ? fallback : Path.of(value.trim());
            if (!p.isAbsolute() && base != null && !base.isBlank()) {
                p = Path.of(base).resolve(p);
            }
            return p.normalize();
        } catch (InvalidPathException e) {
            errors.add(key + " '" + value + "' is not a valid path: " + e.getMessage());
            return null;
        }
    }

    private static void range(String key, int v, int min, int max, List<String> errors) {
        if (v < min || v > max) {
            errors.add(key + " must be within " + min + ".." + max + ", got " + v);
        }
    }
}
