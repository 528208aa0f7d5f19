package org.fusebox.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.rest.view.ApiJson;
import org.fusebox.rest.view.ComponentHealthView;
import org.fusebox.rest.view.SampleCycle;
import org.junit.jupiter.api.Test;

class FuseboxApiServletTest {

    private final ObjectMapper mapper = ApiJson.newMapper();
    private final FakeSources sources = new FakeSources();
    private final FuseboxApiServlet servlet = new FuseboxApiServlet(new ApiRouter(sources, mapper));

    private RecordingResponse call(String method, String path) throws Exception {
        RecordingResponse recorder = new RecordingResponse();
        servlet.service(RecordingResponse.request(method, path), recorder.response);
        return recorder;
    }

    @Test
    void writesStatusJsonContentTypeNoStoreAndTheBody() throws Exception {
        sources.loop = FakeSources.loop(ControlMode.RUNNING, SampleCycle.report());

        RecordingResponse r = call("GET", "/site");

        assertThat(r.status).isEqualTo(200);
        assertThat(r.contentType).isEqualTo("application/json; charset=utf-8");
        assertThat(r.headers).containsEntry("Cache-Control", "no-store");
        assertThat(r.contentLength).isEqualTo(r.body.size());
        JsonNode body = mapper.readTree(r.bodyText());
        assertThat(body.get("cycle").asLong()).isEqualTo(1234);
    }

    @Test
    void downHealthIsWrittenAs503() throws Exception {
        RecordingResponse r = call("GET", "/health");

        assertThat(r.status).isEqualTo(503);
        assertThat(mapper.readTree(r.bodyText()).get("status").asText()).isEqualTo("DOWN");
    }

    @Test
    void aPostGets405WithAllowAndAJsonBody() throws Exception {
        RecordingResponse r = call("POST", "/health");

        assertThat(r.status).isEqualTo(405);
        assertThat(r.headers).containsEntry("Allow", "GET").containsEntry("Cache-Control", "no-store");
        assertThat(mapper.readTree(r.bodyText()).has("error")).isTrue();
    }

    @Test
    void anUnknownPathGets404() throws Exception {
        RecordingResponse r = call("GET", "/devices");

        assertThat(r.status).isEqualTo(404);
        assertThat(r.contentType).startsWith("application/json");
    }

    @Test
    void nonAsciiTextIsSentAsUtf8() throws Exception {
        sources.loop = FakeSources.loop(ControlMode.RUNNING, null);
        sources.health.add(new ComponentHealthView("zähler", "fusebox-sim",
                HealthStatus.UP, List.of()));

        RecordingResponse r = call("GET", "/health");

        assertThat(r.body.toByteArray()).containsSequence("zähler".getBytes(StandardCharsets.UTF_8));
    }
}
