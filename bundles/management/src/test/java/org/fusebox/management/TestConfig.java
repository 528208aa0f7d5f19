package org.fusebox.management;

import java.lang.annotation.Annotation;
import java.nio.file.Path;

/** A configuration as DS would hand it over, built in tests. Operator keys in {@code <staging>/../operators}, gateway test-gw. */
@SuppressWarnings("all")
record TestConfig(String trustedKeysDirectory, String stagingDirectory, int healthTimeoutSeconds, int refreshTimeoutSeconds,
        int downloadAttempts, int retryDelaySeconds, int connectTimeoutSeconds, int readTimeoutSeconds,
        int maxArtifactMegabytes, boolean allowDowngrade, String operatorKeysDirectory, String gatewayId,
        int maxRequestValiditySeconds, int clockSkewSeconds, String[] safetyCriticalBundles, String[] safetyCriticalFeatures)
        implements ManagementConfig {

    static final String GATEWAY = "test-gw";

    static TestConfig of(Path keys, Path staging) {
        return new TestConfig(keys.toString(), staging.toString(), 30, 60, 3, 0, 10, 10, 16, false,
                operatorKeys(staging).toString(), GATEWAY, 900, 60, new String[] { "fusebox-core", "fusebox-api" },
                new String[] { "fusebox-core", "fusebox-api", "fusebox-demo" });
    }

    /** Where {@link #of} puts the operator keys for a staging directory. */
    static Path operatorKeys(Path staging) {
        return staging.resolveSibling("operators");
    }

    TestConfig healthTimeout(int seconds) {
        return new TestConfig(trustedKeysDirectory, stagingDirectory, seconds, refreshTimeoutSeconds, downloadAttempts,
                retryDelaySeconds, connectTimeoutSeconds, readTimeoutSeconds, maxArtifactMegabytes, allowDowngrade,
                operatorKeysDirectory, gatewayId, maxRequestValiditySeconds, clockSkewSeconds, safetyCriticalBundles,
                safetyCriticalFeatures);
    }

    TestConfig attempts(int n) {
        return new TestConfig(trustedKeysDirectory, stagingDirectory, healthTimeoutSeconds, refreshTimeoutSeconds, n,
                retryDelaySeconds, connectTimeoutSeconds, readTimeoutSeconds, maxArtifactMegabytes, allowDowngrade,
                operatorKeysDirectory, gatewayId, maxRequestValiditySeconds, clockSkewSeconds, safetyCriticalBundles,
                safetyCriticalFeatures);
    }

    TestConfig safetyCritical(String... bundles) {
        return new TestConfig(trustedKeysDirectory, stagingDirectory, healthTimeoutSeconds, refreshTimeoutSeconds, downloadAttempts,
                retryDelaySeconds, connectTimeoutSeconds, readTimeoutSeconds, maxArtifactMegabytes, allowDowngrade,
                operatorKeysDirectory, gatewayId, maxRequestValiditySeconds, clockSkewSeconds, bundles, safetyCriticalFeatures);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return ManagementConfig.class;
    }
}
