package org.fusebox.management;

import java.lang.annotation.Annotation;
import java.nio.file.Path;

/** A configuration as DS would hand it over, built in tests. */
@SuppressWarnings("all")
record TestConfig(String trustedKeysDirectory, String stagingDirectory, int healthTimeoutSeconds, int refreshTimeoutSeconds,
        int downloadAttempts, int retryDelaySeconds, int connectTimeoutSeconds, int readTimeoutSeconds,
        int maxArtifactMegabytes, boolean allowDowngrade) implements ManagementConfig {

    static TestConfig of(Path keys, Path staging) {
        return new TestConfig(keys.toString(), staging.toString(), 30, 60, 3, 0, 10, 10, 16, false);
    }

    TestConfig healthTimeout(int seconds) {
        return new TestConfig(trustedKeysDirectory, stagingDirectory, seconds, refreshTimeoutSeconds, downloadAttempts,
                retryDelaySeconds, connectTimeoutSeconds, readTimeoutSeconds, maxArtifactMegabytes, allowDowngrade);
    }

    TestConfig attempts(int n) {
        return new TestConfig(trustedKeysDirectory, stagingDirectory, healthTimeoutSeconds, refreshTimeoutSeconds, n,
                retryDelaySeconds, connectTimeoutSeconds, readTimeoutSeconds, maxArtifactMegabytes, allowDowngrade);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return ManagementConfig.class;
    }
}
