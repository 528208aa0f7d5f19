package org.fusebox.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONF-V1 against an unauthorised client, over the configuration service and a real Config Admin: every request that
 * would change something is refused with its code (unsigned, untrusted key, replayed, expired, for another gateway, no
 * verifier at all), a signed operator still cannot weaken a security setting without the explicit override, and after
 * each refusal the configurations are exactly what they were.
 */
class RemoteAuthorisationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OCPP = "fusebox.driver.ocpp";
    private static final String MANAGEMENT = "fusebox.management";
    private static final String CLOUD = "fusebox.cloud.mqtt";
    private static OsgiRuntime osgi;

    @TempDir
    Path dir;

    private ConfigurationEngine engine;
    private ConfigurationRequestHandler handler;
    private SignedRequests operator;
    private SignedRequests stranger;

    @BeforeAll
    static void startFramework() throws Exception {
        osgi = new OsgiRuntime();
    }

    @AfterAll
    static void stopFramework() throws Exception {
        osgi.close();
    }

    @BeforeEach
    void site() throws Exception {
        osgi.clear();
        osgi.put(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 63.0, "mode", "fast"));
        osgi.put(OCPP, Map.of("port", 8887, "securityProfile", 1, "autoRegistration", false));
        osgi.put(MANAGEMENT, Map.of("allowDowngrade", false, "healthTimeoutSeconds", 60));
        osgi.put(CLOUD, Map.of("brokerUrl", "ssl://broker.example.com:8883", "telemetryPeriodSeconds", 10));
        engine = new ConfigurationEngine(osgi.configAdmin(), osgi.metatypes()::load, new SecretPolicy(SecretPolicy.DEFAULT_WORDS),
                new SnapshotStore(dir.resolve("snapshots"), 10, Clock.systemUTC()));
        operator = SignedRequests.create(dir.resolve("ops"), "ops", true);
        stranger = SignedRequests.create(dir.resolve("stranger"), "stranger", false);
        handler = new ConfigurationRequestHandler(engine, operator.verifier);
    }

    private CloudResponse send(CloudRequest r) throws Exception {
        return handler.handle(r, (s, p, m) -> { });
    }

    private static void assertRefused(CloudResponse r, int status, String code) throws Exception {
        assertThat(r.status()).as(r.message()).isEqualTo(status);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("status").asText()).isEqualTo("REFUSED");
        assertThat(body.path("code").asText()).as(r.message()).isEqualTo(code);
        assertThat(body.path("changed")).isEmpty();
    }

    private static String set(String pid, String propertiesJson) {
        return "{\"configurations\":[{\"pid\":\"" + pid + "\",\"properties\":" + propertiesJson + "}]}";
    }

    @Test
    void everyChangeFromAnUnauthorisedClientIsRefusedAndNothingChanges() throws Exception {
        var before = osgi.state();
        String harmless = set(OsgiRuntime.LIMITS, "{\"fuseLimitAmps\":50.0,\"mode\":\"fast\"}");
        String snapshot = engine.snapshot("kept").id();
        List<String[]> requests = List.of(
                new String[] {"PUT", "configurations", harmless},
                new String[] {"DEL", "configurations/" + OsgiRuntime.LIMITS, null},
                new String[] {"PUT", "import", "{\"configurations\":[]}"},
                new String[] {"EXEC", "rollback/" + snapshot, null},
                new String[] {"EXEC", "snapshot", "{}"});
        Instant now = Instant.now();
        for (String[] q : requests) {
            byte[] plain = q[2] == null ? null : q[2].getBytes(StandardCharsets.UTF_8);
            assertRefused(send(new CloudRequest("u-" + q[1], "attacker", "CONF-V1", q[0], q[1], plain)), 401, "UNSIGNED");
            assertRefused(send(stranger.request(q[0], q[1], q[2])), 401, "UNTRUSTED_KEY");
            assertRefused(send(operator.request(operator.nextId(), q[0], q[1], q[2], true, "other-gw", now, Duration.ofMinutes(5))),
                    401, "OTHER_GATEWAY");
            assertRefused(send(operator.request(operator.nextId(), q[0], q[1], q[2], true, SignedRequests.GATEWAY,
                    now.minus(Duration.ofHours(1)), Duration.ofMinutes(5))), 401, "EXPIRED");
        }
        // no verifier running: nothing can be authorised, not even by the operator
        ConfigurationRequestHandler unguarded = new ConfigurationRequestHandler(engine);
        assertRefused(unguarded.handle(operator.withOverride("PUT", "configurations", harmless), (s, p, m) -> { }), 503, "NO_VERIFIER");
        assertThat(OsgiRuntime.sameState(osgi.state(), before)).isTrue();
        assertThat(engine.snapshots()).hasSize(1);

        // replayed: a change the operator made once cannot be sent again, e.g. to undo the change that followed it
        CloudRequest once = operator.request("PUT", "configurations", harmless);
        assertThat(send(once).status()).isEqualTo(200);
        assertThat(send(operator.request("PUT", "configurations", set(OsgiRuntime.LIMITS, "{\"fuseLimitAmps\":63.0,\"mode\":\"fast\"}")))
                .status()).isEqualTo(200);
        var afterBoth = osgi.state();
        assertRefused(send(once), 401, "REPLAYED");
        assertThat(OsgiRuntime.sameState(osgi.state(), afterBoth)).isTrue();
    }

    @Test
    void securitySettingsCannotBeWeakenedRemotelyWithoutTheSignedOverride() throws Exception {
        var before = osgi.state();
        List<String[]> weakening = List.of(
                new String[] {"PUT", "configurations", set(MANAGEMENT, "{\"allowDowngrade\":true,\"healthTimeoutSeconds\":60}")},
                new String[] {"PUT", "configurations", set(MANAGEMENT,
                        "{\"allowDowngrade\":false,\"healthTimeoutSeconds\":60,\"trustedKeysDirectory\":\"/tmp/attacker\"}")},
                new String[] {"PUT", "configurations", set(OCPP, "{\"port\":8887,\"securityProfile\":1,\"autoRegistration\":true}")},
                new String[] {"PUT", "configurations", set(OCPP, "{\"port\":8887,\"autoRegistration\":false}")},
                new String[] {"PUT", "configurations", set(CLOUD, "{\"brokerUrl\":\"tcp://broker.example.com:1883\",\"telemetryPeriodSeconds\":10}")},
                new String[] {"DEL", "configurations/" + MANAGEMENT, null},
                new String[] {"PUT", "import", "{\"configurations\":[{\"pid\":\"" + OsgiRuntime.LIMITS
                        + "\",\"properties\":{\"fuseLimitAmps\":63.0,\"mode\":\"fast\"}}]}"},
                new String[] {"EXEC", "rollback/" + engine.snapshot("earlier").id(), null});
        for (String[] q : weakening) {
            CloudResponse r = send(operator.request(q[0], q[1], q[2]));
            assertRefused(r, 403, "SAFETY_OVERRIDE_REQUIRED");
            assertThat(OsgiRuntime.sameState(osgi.state(), before)).as(q[0] + " " + q[1] + " " + q[2]).isTrue();
        }
        assertThat(send(operator.request("PUT", "configurations", set(OCPP, "{\"port\":8887,\"securityProfile\":1,\"autoRegistration\":true}")))
                .message()).contains("fusebox.driver.ocpp: autoRegistration");

        // settings that are not security settings need no override; with it, the operator may change a security setting
        assertThat(send(operator.request("PUT", "configurations", set(OCPP, "{\"port\":8890,\"securityProfile\":1,\"autoRegistration\":false}")))
                .status()).isEqualTo(200);
        assertThat(osgi.state().get(OCPP)).containsEntry("port", 8890L);
        CloudResponse overridden = send(operator.withOverride("PUT", "configurations",
                set(MANAGEMENT, "{\"allowDowngrade\":true,\"healthTimeoutSeconds\":60}")));
        assertThat(overridden.status()).as(overridden.message()).isEqualTo(200);
        assertThat(osgi.state().get(MANAGEMENT)).containsEntry("allowDowngrade", true);
    }
}
