package org.fusebox.management;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox remote management",
        description = "Signed, health-checked bundle and feature upgrades with rollback (DEPLOY-V1). PID fusebox.management.")
public @interface ManagementConfig {

    @AttributeDefinition(name = "Trusted keys directory", required = false,
            description = "Directory of <keyId>.pem public keys (X.509 SubjectPublicKeyInfo, Ed25519 or P-256). "
                    + "Empty: ${karaf.etc}/fusebox/trusted-keys. A relative path is resolved against karaf.base.")
    String trustedKeysDirectory() default "";

    @AttributeDefinition(name = "Staging directory", required = false,
            description = "Where downloads, previous versions, the journal and the history are kept. "
                    + "Empty: ${karaf.data}/fusebox/management. A relative path is resolved against karaf.base.")
    String stagingDirectory() default "";

    @AttributeDefinition(name = "Health timeout (s)", min = "1", max = "3600",
            description = "How long a new version may take to become ACTIVE with its components satisfied.")
    int healthTimeoutSeconds() default 60;

    @AttributeDefinition(name = "Refresh timeout (s)", min = "1", max = "3600",
            description = "How long a refresh of a dependency closure may take.")
    int refreshTimeoutSeconds() default 60;

    @AttributeDefinition(name = "Download attempts", min = "1", max = "20",
            description = "Attempts per request; each continues where the last one stopped.")
    int downloadAttempts() default 3;

    @AttributeDefinition(name = "Retry delay (s)", min = "0", max = "600",
            description = "Pause before the n-th retry is n times this.")
    int retryDelaySeconds() default 2;

    @AttributeDefinition(name = "Connect timeout (s)", min = "1", max = "600")
    int connectTimeoutSeconds() default 15;

    @AttributeDefinition(name = "Read timeout (s)", min = "1", max = "600")
    int readTimeoutSeconds() default 60;

    @AttributeDefinition(name = "Largest artifact (MiB)", min = "1", max = "4096")
    int maxArtifactMegabytes() default 128;

    @AttributeDefinition(name = "Allow downgrades",
            description = "Accept an upgrade to a lower version than the installed one (a rollback is always allowed).")
    boolean allowDowngrade() default false;
}
