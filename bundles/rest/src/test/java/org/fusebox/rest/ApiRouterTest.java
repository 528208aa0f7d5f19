package org.fusebox.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.rest.view.ApiJson;
import org.fusebox.rest.view.BundleView;
import org.fusebox.rest.view.BundlesView;
import org.fusebox.rest.view.ComponentHealthView;
import org.fusebox.rest.view.SampleCycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiRouterTest {

    private final ObjectMapper mapper = ApiJson.newMapper();
    private final FakeSources sources = new FakeSources();
    private final ApiRouter router = new ApiRouter(sources, mapper);

    private JsonNode body(ApiResponse response) throws Exception {
        return mapper.readTree(response.body());
    }

    @Test
    void healthIs200WhenTheLoopRuns() throws Exception {
        sources.loop = FakeSources.loop(ControlMode.RUNNING, null);

        ApiResponse response = router.handle("GET", "/health");

        assertThat(response.status()).isEqualTo(200);
        assertThat(body(response).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void healthIs200WhenDegraded() throws Exception {
        sources.loop = FakeSources.loop(ControlMode.FAILSAFE, null);

        ApiResponse response = router.handle("GET", "/health");

        assertThat(response.status()).isEqualTo(200);
        assertThat(body(response).get("status").asText()).isEqualTo("DEGRADED");
    }

    @Test
    void healthIs503WithoutAControlLoop() throws Exception {
        ApiResponse response = router.handle("GET", "/health");

        assertThat(response.status()).isEqualTo(503);
        assertThat(body(response).get("status").asText()).isEqualTo("DOWN");
        assertThat(body(response).get("control").isNull()).isTrue();
    }

    @Test
    void healthIs503WhenAComponentIsDown() throws Exception {
        sources.loop = FakeSources.loop(ControlMode.RUNNING, null);
        sources.health.add(new ComponentHealthView("simulator", "fusebox-simulator", HealthStatus.DOWN, List.of("gone")));

        ApiResponse response = router.handle("GET", "/health");

        assertThat(response.status()).isEqualTo(503);
        assertThat(body(response).get("components").get(0).get("name").asText()).isEqualTo("simulator");
    }

    @Test
    void siteIs503WithoutAControlLoop() throws Exception {
        ApiResponse response = router.handle("GET", "/site");

        assertThat(response.status()).isEqualTo(503);
        assertThat(body(response).get("error").asText()).contains("no control loop");
    }

    @Test
    void siteIs503BeforeTheFirstCycle() throws Exception {
        sources.loop = FakeSources.loop(ControlMode.STOPPED, null);

        ApiResponse response = router.handle("GET", "/site");

        assertThat(response.status()).isEqualTo(503);
        assertThat(body(response).get("error").asText()).contains("no control cycle");
    }

    @Test
    void siteShowsTheLastCycle() throws Exception {
        sources.loop = FakeSources.loop(ControlMode.RUNNING, SampleCycle.report());

        ApiResponse response = router.handle("GET", "/site");

        assertThat(response.status()).isEqualTo(200);
        assertThat(body(response).get("cycle").asLong()).isEqualTo(1234);
    }

    @Test
    void bundlesAreListed() throws Exception {
        sources.bundles = new BundlesView(List.of(new BundleView(42, "fusebox-core", "0.1.0", "ACTIVE", List.of(), List.of())));

        ApiResponse response = router.handle("GET", "/bundles");

        assertThat(response.status()).isEqualTo(200);
        assertThat(body(response).get("bundles").get(0).get("symbolicName").asText()).isEqualTo("fusebox-core");
    }

    @Test
    void aTrailingSlashIsTolerated() {
        sources.loop = FakeSources.loop(ControlMode.RUNNING, null);

        assertThat(router.handle("GET", "/health/").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/nope", "/", "/health/x", "/HEALTH" })
    void unknownPathsAre404WithAJsonError(String path) throws Exception {
        ApiResponse response = router.handle("GET", path);

        assertThat(response.status()).isEqualTo(404);
        assertThat(body(response).get("error").asText()).contains("/health", "/site", "/bundles");
    }

    @Test
    void theApiRootIs404() {
        assertThat(router.handle("GET", null).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = { "POST", "PUT", "DELETE", "PATCH", "OPTIONS" })
    void otherMethodsAre405WithAnAllowHeader(String method) throws Exception {
        ApiResponse response = router.handle(method, "/site");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("Allow", "GET, HEAD");
        assertThat(body(response).get("error").asText()).contains(method);
    }

    @Test
    void anUnexpectedFailureIsA500WithAJsonError() throws Exception {
        sources.loop = FakeSources.loop(ControlMode.RUNNING, null);
        sources.failure = new IllegalStateException("registry broken");

        ApiResponse response = router.handle("GET", "/health");

        assertThat(response.status()).isEqualTo(500);
        assertThat(body(response).get("error").asText()).isEqualTo("internal error; the gateway's log (data/log/karaf.log) has the details")
                .doesNotContain("Exception").doesNotContain("java.");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/health", "/site", "/bundles" })
    void headIsAnsweredAsGetIs(String path) {
        sources.loop = FakeSources.loop(ControlMode.RUNNING, org.fusebox.rest.view.SampleCycle.report());
        ApiResponse get = router.handle("GET", path);
        ApiResponse head = router.handle("HEAD", path);

        assertThat(head.status()).isEqualTo(get.status()).isEqualTo(200);
        assertThat(head.body()).isEqualTo(get.body());
    }
}
