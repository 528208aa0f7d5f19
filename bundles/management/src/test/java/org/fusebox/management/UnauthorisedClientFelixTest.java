package org.fusebox.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudResponse;
import org.fusebox.management.crypto.OperatorRequests;
import org.fusebox.management.crypto.SignatureAlgorithm;
import org.fusebox.management.testbundle.GoodActivator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * A client that is not an authorised operator, against DEPLOY-V1 in a real Felix framework: every request that would
 * change something is refused with its code (unsigned, signed by a key the gateway does not trust, tampered, replayed,
 * expired, not yet valid, too long valid, for another gateway, for another request, a safety-critical removal without
 * the override), and afterwards every bundle is exactly as before: same version, state and last modification, no
 * journal, nothing staged. The same operations signed by the operator then work, so the refusals are not accidental.
 */
class UnauthorisedClientFelixTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private FelixFixture felix;
    private Signer release;
    private Operator operator;
    private Operator stranger;
    private TestConfig config;
    private DeployHandler handler;
    private Bundle core;
    private Bundle app;
    private int ids;

    @BeforeEach
    void setUp() throws Exception {
        felix = FelixFixture.start(tmp.resolve("felix"), true);
        release = Signer.create("release", SignatureAlgorithm.ED25519, tmp.resolve("keys"), tmp.resolve("trusted"));
        operator = Operator.create("ops", tmp.resolve("keys"), TestConfig.operatorKeys(tmp.resolve("staging")));
        // a key the gateway does not trust for operations, although it signs artifacts: release keys are not operator keys
        stranger = Operator.create("release-as-operator", tmp.resolve("stranger"), null);
        config = TestConfig.of(tmp.resolve("trusted"), tmp.resolve("staging")).healthTimeout(5);
        handler = newHandler();
        core = preinstall("fusebox-core", "1.0.0");
        app = preinstall("test.app", "1.0.0");
    }

    @AfterEach
    void tearDown() throws Exception {
        handler.deactivate();
        felix.close();
    }

    private DeployHandler newHandler() throws Exception {
        DeployHandler h = new DeployHandler(null, new RecentErrors(Clock.systemUTC()), Operator.verifier(config), Clock.systemUTC());
        h.activate(felix.context(), config);
        h.recovery().get(60, TimeUnit.SECONDS);
        return h;
    }

    private Bundle preinstall(String bsn, String version) throws Exception {
        Bundle b = felix.context().installBundle(
                TestBundles.withActivator(bsn, version, GoodActivator.class).write(tmp.resolve("shipped")).toUri().toString());
        b.start();
        return b;
    }

    private String id() {
        return "q-" + (++ids);
    }

    /** What every mutating operation looks like in a body, keyed by resource. */
    private Map<String, String> operations() throws Exception {
        Map<String, String> ops = new LinkedHashMap<>();
        ops.put("upgrade", release.bundleRequest(TestBundles.withActivator("test.app", "1.1.0", GoodActivator.class).write(tmp.resolve("a"))));
        ops.put("install", release.bundleRequest(TestBundles.withActivator("test.new", "0.1.0", GoodActivator.class).write(tmp.resolve("a"))));
        ops.put("uninstall", "{\"symbolicName\":\"fusebox-core\"}");
        ops.put("rollback", "{\"symbolicName\":\"test.app\"}");
        return ops;
    }

    private record State(String bsn, Version version, int state, long modified) {
    }

    private List<State> state() {
        List<State> s = new ArrayList<>();
        for (Bundle b : felix.context().getBundles()) {
            s.add(new State(b.getSymbolicName(), b.getVersion(), b.getState(), b.getLastModified()));
        }
        return s;
    }

    private CloudResponse send(CloudRequest r) throws Exception {
        return handler.handle(r, (s, p, m) -> { });
    }

    private static void assertRefused(CloudResponse r, int status, String code) throws Exception {
        assertThat(r.status()).as(r.message()).isEqualTo(status);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("outcome").asText()).isEqualTo("REFUSED");
        assertThat(body.path("code").asText()).as(r.message()).isEqualTo(code);
        assertThat(r.message()).startsWith(code + ": ");
    }

    @Test
    void everyMutatingRequestFromAnUnauthorisedClientIsRefusedAndNothingChanges() throws Exception {
        List<State> before = state();
        Instant now = Instant.now();
        Duration ten = Duration.ofMinutes(10);
        for (Map.Entry<String, String> op : operations().entrySet()) {
            String res = op.getKey();
            String body = op.getValue();
            // unsigned: the body as an operator would have sent it before requests were signed
            assertRefused(send(new CloudRequest(id(), "attacker", "DEPLOY-V1", "EXEC", res, body.getBytes(StandardCharsets.UTF_8))),
                    401, "UNSIGNED");
            // a well-formed signature by a key that is not an operator key of this gateway
            assertRefused(send(stranger.request(id(), "DEPLOY-V1", "EXEC", res, body)), 401, "UNTRUSTED_KEY");
            // the operator's signature, but the text changed afterwards
            CloudRequest good = operator.request(id(), "DEPLOY-V1", "EXEC", res, body);
            String tampered = new String(good.body(), StandardCharsets.UTF_8).replace("EXEC", "EXEC ");
            assertRefused(send(new CloudRequest(good.requestId(), "attacker", "DEPLOY-V1", "EXEC", res,
                    tampered.getBytes(StandardCharsets.UTF_8))), 401, "BAD_SIGNATURE");
            // signed for another gateway, expired, issued in the future, valid for too long
            assertRefused(send(operator.request(id(), "DEPLOY-V1", "EXEC", res, body, true, "other-gw", now, ten)), 401, "OTHER_GATEWAY");
            assertRefused(send(operator.request(id(), "DEPLOY-V1", "EXEC", res, body, true, TestConfig.GATEWAY,
                    now.minus(Duration.ofMinutes(20)), ten)), 401, "EXPIRED");
            assertRefused(send(operator.request(id(), "DEPLOY-V1", "EXEC", res, body, true, TestConfig.GATEWAY,
                    now.plus(Duration.ofHours(1)), ten)), 401, "NOT_YET_VALID");
            assertRefused(send(operator.request(id(), "DEPLOY-V1", "EXEC", res, body, true, TestConfig.GATEWAY, now,
                    Duration.ofDays(2))), 401, "EXPIRED");
            // a genuine signed request for one operation, delivered as another (a harmless read signed, sent as this)
            CloudRequest read = operator.request(id(), "DEPLOY-V1", "GET", "bundles", "{}");
            assertRefused(send(new CloudRequest(read.requestId(), "attacker", "DEPLOY-V1", "EXEC", res, read.body())), 401,
                    "NOT_THIS_REQUEST");
        }
        // the operator, but removing the core without the explicit override
        assertRefused(send(operator.request(id(), "DEPLOY-V1", "EXEC", "uninstall", "{\"symbolicName\":\"fusebox-core\"}")), 403,
                "SAFETY_OVERRIDE_REQUIRED");

        assertThat(state()).isEqualTo(before);
        assertThat(core.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(app.getVersion()).isEqualTo(new Version(1, 0, 0));
        assertThat(Files.exists(tmp.resolve("staging/journal.properties"))).isFalse();
        assertThat(Files.exists(tmp.resolve("staging/downloads"))).as("nothing downloaded for a refused request").isFalse();
        assertThat(Files.exists(tmp.resolve("staging/history.properties"))).isFalse();
    }

    @Test
    void anAcceptedRequestCannotBeReplayedNotEvenAfterARestart() throws Exception {
        CloudRequest upgrade = operator.request(id(), "DEPLOY-V1", "EXEC", "upgrade", operations().get("upgrade"));
        assertThat(send(upgrade).status()).isEqualTo(200);
        assertThat(app.getVersion()).isEqualTo(new Version(1, 1, 0));
        CloudResponse back = send(operator.request(id(), "DEPLOY-V1", "EXEC", "rollback", "{\"symbolicName\":\"test.app\"}"));
        assertThat(back.status()).as(back.message()).isEqualTo(200);
        assertThat(app.getVersion()).isEqualTo(new Version(1, 0, 0));
        List<State> before = state();

        assertRefused(send(upgrade), 401, "REPLAYED");
        // the ids are on disk: a restarted service still knows them
        handler.deactivate();
        handler = newHandler();
        assertRefused(send(upgrade), 401, "REPLAYED");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void theOperatorsExplicitOverrideRemovesASafetyCriticalBundle() throws Exception {
        CloudResponse r = send(operator.withOverride(id(), "DEPLOY-V1", "EXEC", "uninstall", "{\"symbolicName\":\"fusebox-core\"}"));
        assertThat(r.status()).as(r.message()).isEqualTo(200);
        assertThat(core.getState()).isEqualTo(Bundle.UNINSTALLED);
        // reads stay open without a signature
        assertThat(send(new CloudRequest(id(), "anyone", "DEPLOY-V1", "GET", "bundles", null)).status()).isEqualTo(200);
    }

    @Test
    void theSignedTextIsWhatTheToolPrints() throws Exception {
        String message = org.fusebox.management.tool.SignArtifact.operatorRequest(operator.keyFile, null, TestConfig.GATEWAY,
                "DEPLOY-V1", "EXEC", "uninstall", "{\"symbolicName\":\"test.app\"}", "tool-1", "ops-desk", Duration.ofMinutes(5), false,
                Clock.systemUTC());
        JsonNode m = JSON.readTree(message);
        assertThat(m.path("requestId").asText()).isEqualTo("tool-1");
        JsonNode signed = JSON.readTree(m.path("body").path("signedRequest").asText());
        assertThat(signed.path("gateway").asText()).isEqualTo(TestConfig.GATEWAY);
        assertThat(OperatorRequests.verify(m.path("body").path("signedRequest").asText(),
                java.util.Base64.getDecoder().decode(m.path("body").path("signature").asText()),
                org.fusebox.management.crypto.TrustedKeys.load(TestConfig.operatorKeys(tmp.resolve("staging"))).key("ops").orElseThrow()))
                .isTrue();
        // delivered as the cloud link does it: the envelope's body becomes the request's body
        CloudResponse r = send(new CloudRequest("tool-1", "ops-desk", "DEPLOY-V1", "EXEC", "uninstall",
                JSON.writeValueAsBytes(m.path("body"))));
        assertThat(r.status()).as(r.message()).isEqualTo(200);
        assertThat(app.getState()).isEqualTo(Bundle.UNINSTALLED);
    }
}
