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
        assertThat(r.headers).containsEntry("Allow", "GET, HEAD").containsEntry("Cache-Control", "no-store");
        assertThat(mapper.readTree(r.bodyText()).has("error")).isTrue();
    }

    @Test
    void headGetsTheHeadersOfGetWithoutTheBody() throws Exception {
        RecordingResponse get = call("GET", "/health");
        RecordingResponse head = call("HEAD", "/health");

        assertThat(head.status).isEqualTo(get.status);
        assertThat(head.contentType).isEqualTo(get.contentType).startsWith("application/json");
        assertThat(head.contentLength).isEqualTo(get.contentLength).isPositive();
        assertThat(head.body.size()).isZero();
    }

    @Test
    void anUnknownPathGets404() throws Exception {
        RecordingResponse r = call("GET", "/devices");

        assertThat(r.status).isEqualTo(404);
        assertThat(r.contentType).startsWith("application/json");
    }

    private RecordingResponse post(String path, byte[] body, long contentLength) throws Exception {
        RecordingResponse recorder = new RecordingResponse();
        servlet.service(RecordingResponse.request("POST", path, "application/json", body, contentLength), recorder.response);
        return recorder;
    }

    private static byte[] validRequest() {
        return "{\"energyKwh\": 20.5, \"departure\": \"2024-05-02T06:00:00Z\"}".getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPostedChargingRequestIsReadFromTheBodyAndAnsweredWithJson() throws Exception {
        FakeChargingRequests requests = new FakeChargingRequests();
        sources.requests = requests;
        byte[] body = validRequest();

        RecordingResponse r = post("/chargers/cp-1/2/request", body, body.length);

        assertThat(r.status).isEqualTo(202);
        assertThat(r.contentType).isEqualTo("application/json; charset=utf-8");
        assertThat(mapper.readTree(r.bodyText()).get("connectorId").asInt()).isEqualTo(2);
        assertThat(requests.held).containsKey("cp-1/2");
    }

    @Test
    void aBodyAnnouncedLargerThan16KbIsA413() throws Exception {
        sources.requests = new FakeChargingRequests();

        RecordingResponse r = post("/chargers/cp-1/1/request", validRequest(), 16 * 1024 + 1);

        assertThat(r.status).isEqualTo(413);
    }

    @Test
    void aBodyLargerThan16KbWithoutAContentLengthIsA413() throws Exception {
        FakeChargingRequests requests = new FakeChargingRequests();
        sources.requests = requests;
        // valid JSON, padded with whitespace past the limit
        byte[] padded = ("{\"energyKwh\": 20.5, \"departure\": \"2024-05-02T06:00:00Z\"}" + " ".repeat(16 * 1024))
                .getBytes(StandardCharsets.UTF_8);

        RecordingResponse r = post("/chargers/cp-1/1/request", padded, -1);

        assertThat(r.status).isEqualTo(413);
        assertThat(requests.submitted).isEmpty();
    }

    @Test
    void aBodyOfExactly16KbIsRead() throws Exception {
        sources.requests = new FakeChargingRequests();
        byte[] json = validRequest();
        byte[] padded = (new String(json, StandardCharsets.UTF_8) + " ".repeat(16 * 1024 - json.length)).getBytes(StandardCharsets.UTF_8);

        RecordingResponse r = post("/chargers/cp-1/1/request", padded, -1);

        assertThat(padded).hasSize(16 * 1024);
        assertThat(r.status).isEqualTo(202);
    }

    @Test
    void aWithdrawalIsA204WithoutABody() throws Exception {
        FakeChargingRequests requests = new FakeChargingRequests();
        sources.requests = requests;
        byte[] body = validRequest();
        post("/chargers/cp-1/1/request", body, body.length);

        RecordingResponse r = call("DELETE", "/chargers/cp-1/1/request");

        assertThat(r.status).isEqualTo(204);
        assertThat(r.contentLength).isZero();
        assertThat(r.body.size()).isZero();
        assertThat(r.contentType).isNull();
        assertThat(r.headers).containsEntry("Cache-Control", "no-store");
        assertThat(requests.held).isEmpty();
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
