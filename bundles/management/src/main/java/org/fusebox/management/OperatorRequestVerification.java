package org.fusebox.management;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthIndicator;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.security.AuthorisedRequest;
import org.fusebox.api.security.OperatorRequestVerifier;
import org.fusebox.api.security.RequestRefusedException;
import org.fusebox.management.crypto.TrustedKeys;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's {@link OperatorRequestVerifier}, configured from PID {@code fusebox.management} (operator keys, gateway
 * id, validity). The operator key directory is read again for every verification, so adding or removing a key needs no
 * restart. Also the {@code management.operators} health indicator: no usable operator key means no remote change at all.
 */
@Component(service = { OperatorRequestVerifier.class, HealthIndicator.class }, configurationPid = DeployHandler.PID,
        immediate = true)
public final class OperatorRequestVerification implements OperatorRequestVerifier, HealthIndicator {

    /** Unexpired request ids remembered at most; far above what operators send within a validity window. */
    static final int SEEN_CAPACITY = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(OperatorRequestVerification.class);

    private final Clock clock;
    private volatile ManagementSettings settings;
    private volatile SeenRequests seen;
    private volatile TrustedKeys lastKeys;

    public OperatorRequestVerification() {
        this(Clock.systemUTC());
    }

    OperatorRequestVerification(Clock clock) {
        this.clock = clock;
    }

    @Activate
    @Modified
    void configure(ManagementConfig config) {
        ManagementSettings s;
        try {
            s = ManagementSettings.from(config, System.getProperty("karaf.base"), System.getProperty("karaf.etc"),
                    System.getProperty("karaf.data"));
        } catch (IllegalArgumentException e) {
            // DeployHandler reports the refused configuration; the previous settings (or the defaults) stay
            if (settings != null) {
                return;
            }
            s = ManagementSettings.from(DeployHandler.defaults(), System.getProperty("karaf.base"), System.getProperty("karaf.etc"),
                    System.getProperty("karaf.data"));
        }
        if (seen == null || settings == null || !settings.staging().equals(s.staging())) {
            seen = new SeenRequests(s.staging().resolve("seen-requests.properties"), SEEN_CAPACITY);
        }
        settings = s;
        lastKeys = TrustedKeys.load(s.operatorKeys());
        LOG.info("operator keys from {}: {}; requests must be signed for gateway '{}'", s.operatorKeys(), lastKeys.keyIds(),
                s.gatewayId());
    }

    /**
     * The same verification outside OSGi, for other modules' tests and tools: operator keys read from {@code operatorKeys} at
     * every call, accepted request ids kept in {@code staging}, the default validity (900 s) and clock skew (60 s).
     */
    public static OperatorRequestVerifier standalone(Path operatorKeys, Path staging, String gatewayId, Clock clock) {
        SeenRequests seen = new SeenRequests(staging.resolve("seen-requests.properties"), SEEN_CAPACITY);
        return new OperatorRequestVerifier() {
            private RequestAuthority authority() {
                return new RequestAuthority(TrustedKeys.load(operatorKeys), gatewayId, Duration.ofSeconds(900), Duration.ofSeconds(60),
                        seen, clock);
            }

            @Override
            public boolean isSigned(CloudRequest request) {
                return authority().isSigned(request);
            }

            @Override
            public AuthorisedRequest verify(CloudRequest request) throws RequestRefusedException {
                return authority().verify(request);
            }
        };
    }

    private RequestAuthority authority() {
        ManagementSettings s = settings;
        TrustedKeys keys = TrustedKeys.load(s.operatorKeys());
        lastKeys = keys;
        return new RequestAuthority(keys, s.gatewayId(), s.maxRequestValidity(), s.clockSkew(), seen, clock);
    }

    @Override
    public boolean isSigned(CloudRequest request) {
        return authority().isSigned(request);
    }

    @Override
    public AuthorisedRequest verify(CloudRequest request) throws RequestRefusedException {
        try {
            AuthorisedRequest ok = authority().verify(request);
            LOG.info("{} {} {} request {} authorised by operator key {}{}", request.app(), request.method(), request.resource(),
                    request.requestId(), ok.keyId(), ok.safetyOverride() ? " WITH SAFETY OVERRIDE" : "");
            return ok;
        } catch (RequestRefusedException e) {
            LOG.warn("{} {} {} request {} from {} refused ({}): {}", request.app(), request.method(), request.resource(),
                    request.requestId(), request.requester(), e.refusal(), e.getMessage());
            throw e;
        }
    }

    @Override
    public String name() {
        return "management.operators";
    }

    @Override
    public Health health() {
        TrustedKeys k = lastKeys;
        if (k == null) {
            return new Health(HealthStatus.DEGRADED, List.of("not configured yet"));
        }
        List<String> details = new ArrayList<>();
        if (k.keyIds().isEmpty()) {
            details.add("no operator keys in " + k.directory() + ": every remote change request (DEPLOY-V1, CONF-V1) is refused");
        }
        for (String p : k.problems()) {
            if (!k.keyIds().isEmpty() || !p.contains("does not exist")) {
                details.add("operator key " + p);
            }
        }
        return details.isEmpty() ? new Health(HealthStatus.UP, List.of()) : new Health(HealthStatus.DEGRADED, details);
    }
}
