package org.fusebox.management;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** A validated {@link ManagementConfig}. */
record ManagementSettings(Path trustedKeys, Path staging, Duration healthTimeout, Duration refreshTimeout, int downloadAttempts,
        Duration retryDelay, Duration connectTimeout, Duration readTimeout, long maxArtifactBytes, boolean allowDowngrade,
        Path operatorKeys, String gatewayId, Duration maxRequestValidity, Duration clockSkew, Set<String> safetyCriticalBundles,
        Set<String> safetyCriticalFeatures) {

    private static final Pattern GATEWAY_ID = Pattern.compile("[^/+#\\s]{1,128}");

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
        Path operatorKeys = path("operatorKeysDirectory", c.operatorKeysDirectory(), karafBase,
                Path.of(karafEtc != null ? karafEtc : "etc", "fusebox", "operator-keys"), errors);
        String gateway = c.gatewayId() == null || c.gatewayId().isBlank() ? hostName() : c.gatewayId().trim();
        if (!GATEWAY_ID.matcher(gateway).matches()) {
            errors.add("gatewayId '" + gateway + "' must be 1 to 128 characters without '/', '+', '#' or spaces");
        }
        range("maxRequestValiditySeconds", c.maxRequestValiditySeconds(), 10, 86400, errors);
        range("clockSkewSeconds", c.clockSkewSeconds(), 0, 3600, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new ManagementSettings(keys, staging, Duration.ofSeconds(c.healthTimeoutSeconds()),
                Duration.ofSeconds(c.refreshTimeoutSeconds()), c.downloadAttempts(), Duration.ofSeconds(c.retryDelaySeconds()),
                Duration.ofSeconds(c.connectTimeoutSeconds()), Duration.ofSeconds(c.readTimeoutSeconds()),
                c.maxArtifactMegabytes() * 1024L * 1024L, c.allowDowngrade(), operatorKeys, gateway,
                Duration.ofSeconds(c.maxRequestValiditySeconds()), Duration.ofSeconds(c.clockSkewSeconds()),
                names(c.safetyCriticalBundles()), names(c.safetyCriticalFeatures()));
    }

    private static Set<String> names(String[] values) {
        Set<String> out = new TreeSet<>();
        if (values != null) {
            for (String v : values) {
                if (v != null && !v.isBlank()) {
                    out.add(v.trim());
                }
            }
        }
        return Set.copyOf(out);
    }

    /** The same default as the cloud link's clientId, so that both name the gateway alike without configuration. */
    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
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
