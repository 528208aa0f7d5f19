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

    @AttributeDefinition(name = "Operator keys directory", required = false,
            description = "Directory of <keyId>.pem public keys of the operators whose signed requests may change this gateway "
                    + "(DEPLOY-V1 install/upgrade/uninstall/rollback, CONF-V1 changes). Separate from the release keys that sign "
                    + "artifacts. Empty: ${karaf.etc}/fusebox/operator-keys. A relative path is resolved against karaf.base.")
    String operatorKeysDirectory() default "";

    @AttributeDefinition(name = "Gateway id", required = false,
            description = "The name operators sign requests for (the signed 'gateway'); a request signed for another gateway is "
                    + "refused. Empty: the host name, as the cloud link's clientId. Set both to the same value.")
    String gatewayId() default "";

    @AttributeDefinition(name = "Longest request validity (s)", min = "10", max = "86400",
            description = "A signed request whose expiresAt is further than this after its issuedAt is refused.")
    int maxRequestValiditySeconds() default 900;

    @AttributeDefinition(name = "Clock skew (s)", min = "0", max = "3600",
            description = "How far in the future issuedAt may be, for operators whose clock runs ahead.")
    int clockSkewSeconds() default 60;

    @AttributeDefinition(name = "Safety-critical bundles",
            description = "Bundles (symbolic names) that a remote request may uninstall only with a signed safetyOverride.")
    String[] safetyCriticalBundles() default { "fusebox-core", "fusebox-api" };

    @AttributeDefinition(name = "Safety-critical features",
            description = "Features that a remote request may uninstall only with a signed safetyOverride.")
    String[] safetyCriticalFeatures() default { "fusebox-core", "fusebox-api", "fusebox-demo" };
}
