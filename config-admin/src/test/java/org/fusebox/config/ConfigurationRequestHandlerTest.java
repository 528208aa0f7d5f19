package org.fusebox.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CONF-V1 remote application over the configuration service and a real Config Admin. */
class ConfigurationRequestHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static OsgiRuntime osgi;

    @TempDir
    Path snapshots;

    @TempDir
    Path keys;

    private ConfigurationRequestHandler handler;
    private SignedRequests operator;
    private final List<String> progress = new ArrayList<>();

    @BeforeAll
    static void startFramework() throws Exception {
        osgi = new OsgiRuntime();
    }

    @AfterAll
    static void stopFramework() throws Exception {
        osgi.close();
    }

    @BeforeEach
    void freshSite() throws Exception {
        osgi.clear();
        osgi.put(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 63.0, "mode", "fast", "apiToken", "tok-123"));
        osgi.put(OsgiRuntime.DEVICE_FACTORY + "~meter", Map.of("host", "10.0.0.5", "port", 502));
        ConfigurationEngine engine = new ConfigurationEngine(osgi.configAdmin(), osgi.metatypes()::load,
                new SecretPolicy(SecretPolicy.DEFAULT_WORDS), new SnapshotStore(snapshots, 10, Clock.systemUTC()));
        operator = SignedRequests.create(keys, "ops", true);
        handler = new ConfigurationRequestHandler(engine, operator.verifier);
    }

    /** Reads go as they are; every other request is signed by the operator, as it must be. */
    private CloudResponse call(String method, String resource, String body) throws Exception {
        CloudRequest request = method.equals("GET")
                ? new CloudRequest("r-1", "operator", "CONF-V1", method, resource, body == null ? null : body.getBytes(StandardCharsets.UTF_8))
                : operator.request(method, resource, body);
        return handler.handle(request, (step, percent, message) -> progress.add(step + ": " + message));
    }

    /** A rollback restores security settings too: it needs the signed override. */
    private CloudResponse rollback(String snapshot) throws Exception {
        return handler.handle(operator.withOverride("EXEC", "rollback/" + snapshot, null),
                (step, percent, message) -> progress.add(step + ": " + message));
    }

    private static JsonNode json(CloudResponse r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void listsConfigurationsWithSecretsMasked() throws Exception {
        assertThat(handler.app()).isEqualTo("CONF-V1");
        CloudResponse all = call("GET", "configurations", null);

        assertThat(all.status()).isEqualTo(200);
        JsonNode list = json(all).get("configurations");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("pid").asText()).isEqualTo("fusebox.test.device~meter");
        assertThat(list.get(0).get("factoryPid").asText()).isEqualTo("fusebox.test.device");
        assertThat(list.get(0).get("properties").get("port:Integer").asInt()).isEqualTo(502);
        assertThat(list.get(1).get("properties").get("apiToken").asText()).isEqualTo("********");

        CloudResponse one = call("GET", "configurations/fusebox.test.limits", null);
        assertThat(one.status()).isEqualTo(200);
        assertThat(json(one).get("properties").get("fuseLimitAmps").asDouble()).isEqualTo(63.0);
        assertThat(new String(one.body(), StandardCharsets.UTF_8)).doesNotContain("tok-123");
        assertThat(call("GET", "configurations/fusebox.nothing", null).status()).isEqualTo(404);
    }

    @Test
    void anInvalidSetIsAnswered400WithEveryReasonAndNothingApplied() throws Exception {
        var before = osgi.state();
        CloudResponse r = call("PUT", "configurations", """
                {"configurations":[
                  {"pid":"fusebox.test.limits","properties":{"fuseLimitAmps":70.0,"mode":"turbo"}},
                  {"pid":"fusebox.test.device~meter","properties":{"host":"h","port":0}},
                  {"pid":"fusebox.test.device~pv","properties":{"host":"h","port":1502}}]}
                """);

        assertThat(r.status()).isEqualTo(400);
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("REFUSED");
        assertThat(body.get("problems")).hasSize(2);
        assertThat(body.get("problems").toString()).contains("mode=turbo", "port=0");
        assertThat(body.get("snapshot").isNull()).isTrue();
        assertThat(r.message()).startsWith("refused, nothing applied");
        assertThat(OsgiRuntime.sameState(osgi.state(), before)).isTrue();
    }

    @Test
    void aValidSetIsAppliedAndCanBeRolledBackRemotely() throws Exception {
        var before = osgi.state();
        CloudResponse put = call("PUT", "configurations", """
                {"configurations":[
                  {"pid":"fusebox.test.limits","properties":{"fuseLimitAmps":70.0,"mode":"slow","apiToken":"********"}},
                  {"pid":"fusebox.test.device~meter","delete":true}]}
                """);
        assertThat(put.status()).as(put.message()).isEqualTo(200);
        String snapshot = json(put).get("snapshot").asText();
        assertThat(json(put).get("changed")).hasSize(2);
        assertThat(osgi.state().get(OsgiRuntime.LIMITS)).containsEntry("apiToken", "tok-123").containsEntry("mode", "slow");
        assertThat(osgi.state()).doesNotContainKey(OsgiRuntime.DEVICE_FACTORY + "~meter");

        JsonNode snapshots = json(call("GET", "snapshots", null)).get("snapshots");
        assertThat(snapshots).hasSize(1);
        assertThat(snapshots.get(0).get("id").asText()).isEqualTo(snapshot);
        assertThat(snapshots.get(0).get("reason").asText()).isEqualTo("before apply");

        CloudResponse rollback = rollback(snapshot);
        assertThat(rollback.status()).as(rollback.message()).isEqualTo(200);
        assertThat(OsgiRuntime.sameState(osgi.state(), before)).isTrue();
        assertThat(progress).anySatisfy(p -> assertThat(p).startsWith("rollback"));
        assertThat(rollback("20000101T000000000Z").status()).isEqualTo(404);
    }

    @Test
    void takesASnapshotOnRequest() throws Exception {
        CloudResponse r = call("EXEC", "snapshot", "{\"reason\":\"before the site visit\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r).get("reason").asText()).isEqualTo("before the site visit");
        assertThat(json(r).get("configurations").asInt()).isEqualTo(2);
        assertThat(json(call("GET", "snapshots", null)).get("snapshots")).hasSize(1);
        // a body that is not JSON breaks the signed text that carries it
        assertThat(call("EXEC", "snapshot", "{oops").status()).isEqualTo(401);
    }

    @Test
    void exportThenImportRoundTripsRemotely() throws Exception {
        CloudResponse export = call("GET", "export", null);
        assertThat(export.status()).isEqualTo(200);
        String document = new String(export.body(), StandardCharsets.UTF_8);
        var before = osgi.state();

        // the secret travels as the mask and keeps its value, as an operator's edit of an export would
        CloudResponse edit = call("PUT", "configurations",
                "{\"configurations\":[{\"pid\":\"fusebox.test.limits\",\"properties\":{\"fuseLimitAmps\":5.0,\"apiToken\":\"********\"}}]}");
        assertThat(edit.status()).as(edit.message()).isEqualTo(200);
        CloudResponse imported = call("PUT", "import", document);

        assertThat(imported.status()).as(imported.message()).isEqualTo(200);
        assertThat(OsgiRuntime.sameState(osgi.state(), before)).isTrue();
        assertThat(new String(call("GET", "export", null).body(), StandardCharsets.UTF_8)).isEqualTo(document);

        CloudResponse bad = call("PUT", "import", document.replace("\"fast\"", "\"turbo\""));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(json(bad).get("problems").get(0).asText()).contains("mode=turbo");
        assertThat(OsgiRuntime.sameState(osgi.state(), before)).isTrue();
    }

    @Test
    void deletesOneAndAnswersUnknownRequests404() throws Exception {
        assertThat(call("DEL", "configurations/fusebox.test.device~meter", null).status()).isEqualTo(200);
        assertThat(osgi.state()).doesNotContainKey(OsgiRuntime.DEVICE_FACTORY + "~meter");
        assertThat(call("DEL", "configurations/fusebox.test.device~meter", null).status()).isEqualTo(400);
        assertThat(call("GET", "nothing", null).status()).isEqualTo(404);
        assertThat(call("POST", "configurations", "{}").status()).isEqualTo(404);
        assertThat(call("PUT", "configurations", "{\"configurations\":[1,2]}").status()).isEqualTo(400);
    }
}
