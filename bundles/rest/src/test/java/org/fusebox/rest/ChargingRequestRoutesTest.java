package org.fusebox.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.control.ChargingRequest;
import org.fusebox.api.control.ConnectorRef;
import org.fusebox.api.units.Energy;
import org.fusebox.rest.view.ApiJson;
import org.fusebox.rest.view.SampleCycle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChargingRequestRoutesTest {

    private static final String PATH = "/chargers/cp-1/1/request";
    private static final String JSON = "application/json";
    private static final ConnectorRef CP1_1 = new ConnectorRef("cp-1", 1);
    /** SampleCycle.NOW is 2024-05-01T12:00:01.500Z. */
    private static final String TOMORROW_6AM = "2024-05-02T06:00:00Z";

    private final ObjectMapper mapper = ApiJson.newMapper();
    private final FakeSources sources = new FakeSources();
    private final FakeChargingRequests requests = new FakeChargingRequests();
    private final ApiRouter router = new ApiRouter(sources, mapper);

    @BeforeEach
    void coreRuns() {
        sources.requests = requests;
    }

    private ApiResponse post(String path, String body) {
        return router.handle("POST", path, JSON, max -> body.getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode body(ApiResponse response) throws Exception {
        return mapper.readTree(response.body());
    }

    private List<String> problems(ApiResponse response) throws Exception {
        List<String> list = new ArrayList<>();
        body(response).get("problems").forEach(p -> list.add(p.asText()));
        return list;
    }

    @Test
    void anAcceptedRequestIsA202WithTheRequestAsStored() throws Exception {
        ApiResponse response = post(PATH, "{\"energyKwh\": 20.5, \"departure\": \"" + TOMORROW_6AM + "\"}");

        assertThat(response.status()).isEqualTo(202);
        JsonNode json = body(response);
        assertThat(json.get("chargerId").asText()).isEqualTo("cp-1");
        assertThat(json.get("connectorId").asInt()).isEqualTo(1);
        assertThat(json.get("energy").get("wattHours").asDouble()).isEqualTo(20_500.0);
        assertThat(json.get("departure").asText()).isEqualTo(TOMORROW_6AM);
        assertThat(json.get("requestedAt").asText()).isEqualTo("2024-05-01T12:00:01.500Z");
        assertThat(requests.get(CP1_1)).contains(new ChargingRequest(CP1_1, Energy.ofWattHours(20_500),
                Instant.parse(TOMORROW_6AM), SampleCycle.NOW));
    }

    @Test
    void aDepartureWithAnOffsetIsTakenAsThatInstant() throws Exception {
        ApiResponse response = post(PATH, "{\"energyKwh\": 5, \"departure\": \"2024-05-02T08:00:00+02:00\"}");

        assertThat(response.status()).isEqualTo(202);
        assertThat(body(response).get("departure").asText()).isEqualTo(TOMORROW_6AM);
    }

    @Test
    void aCharsetParameterInTheContentTypeIsFine() {
        ApiResponse response = router.handle("POST", PATH, "Application/JSON; charset=utf-8",
                max -> ("{\"energyKwh\": 5, \"departure\": \"" + TOMORROW_6AM + "\"}").getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(202);
    }

    @Test
    void everyProblemOfTheBodyIsListedAndNothingReachesTheCore() throws Exception {
        ApiResponse response = post(PATH, "{\"energyKwh\": -1, \"departure\": \"tomorrow\", \"energyKWh\": 3}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(problems(response)).hasSize(3).anySatisfy(p -> assertThat(p).startsWith("unknown field \"energyKWh\""))
                .anySatisfy(p -> assertThat(p).isEqualTo("energyKwh must be at least 0.1 kWh, got -1"))
                .anySatisfy(p -> assertThat(p).startsWith("departure must be an ISO-8601 date and time").endsWith("got \"tomorrow\""));
        assertThat(body(response).get("error").asText()).startsWith("charging request refused: ");
        assertThat(requests.submitted).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                                           | the body is empty",
            "'   '                                                        | the body is empty",
            "{\"energyKwh\": 20                                           | the body is not valid JSON",
            "[20, \"2024-05-02T06:00:00Z\"]                               | the body must be a JSON object",
            "{\"departure\": \"2024-05-02T06:00:00Z\"}                    | energyKwh is missing",
            "{\"energyKwh\": null, \"departure\": \"2024-05-02T06:00:00Z\"} | energyKwh is missing",
            "{\"energyKwh\": \"20\", \"departure\": \"2024-05-02T06:00:00Z\"} | energyKwh must be a number of kWh, got \"20\"",
            "{\"energyKwh\": 0, \"departure\": \"2024-05-02T06:00:00Z\"}   | energyKwh must be at least 0.1 kWh, got 0",
            "{\"energyKwh\": 1e-300, \"departure\": \"2024-05-02T06:00:00Z\"} | energyKwh must be at least 0.1 kWh, got 1.0E-300",
            "{\"energyKwh\": 0.09, \"departure\": \"2024-05-02T06:00:00Z\"} | energyKwh must be at least 0.1 kWh, got 0.09",
            "{\"energyKwh\": 1e400, \"departure\": \"2024-05-02T06:00:00Z\"} | energyKwh must be a finite number of kWh, got Infinity",
            "{\"energyKwh\": 1e308, \"departure\": \"2024-05-02T06:00:00Z\"} | energyKwh must be at most 1000 kWh, got 1.0E308",
            "{\"energyKwh\": 1000.5, \"departure\": \"2024-05-02T06:00:00Z\"} | energyKwh must be at most 1000 kWh, got 1000.5",
            "{\"energyKwh\": 20, \"departure\": \"2024-05-08T12:00:02Z\"} | departure 2024-05-08T12:00:02Z is more than 168 h ahead (now is 2024-05-01T12:00:01.500Z)",
            "{\"energyKwh\": 20, \"departure\": \"+999999999-12-31T23:59:59Z\"} | is more than 168 h ahead",
            "{\"energyKwh\": 20}                                          | departure is missing",
            "{\"energyKwh\": 20, \"departure\": 1714629600}               | departure must be an ISO-8601 date and time",
            "{\"energyKwh\": 20, \"departure\": \"2024-05-02T06:00:00\"}  | departure must be an ISO-8601 date and time",
            "{\"energyKwh\": 20, \"departure\": \"2024-05-01T12:00:00Z\"} | departure 2024-05-01T12:00:00Z is not in the future (now is 2024-05-01T12:00:01.500Z)",
            "{\"energyKwh\": 20, \"energyKwh\": 30, \"departure\": \"2024-05-02T06:00:00Z\"} | Duplicate field 'energyKwh'",
            "{\"energyKwh\": 20, \"departure\": \"2024-05-02T06:00:00Z\"} {} | the body is not valid JSON",
    })
    void aBadBodyIsA400ThatSaysWhy(String json, String expected) throws Exception {
        ApiResponse response = post(PATH, json);

        assertThat(response.status()).isEqualTo(400);
        assertThat(problems(response)).anySatisfy(p -> assertThat(p).contains(expected));
        assertThat(requests.submitted).isEmpty();
    }

    @Test
    void badJsonIsDescribedWithItsPlaceAndWithoutJacksonsSourceNote() throws Exception {
        ApiResponse response = post(PATH, "{\"energyKwh\": 20");

        assertThat(problems(response)).singleElement().satisfies(p -> assertThat(p)
                .startsWith("the body is not valid JSON: Unexpected end-of-input")
                .contains("at line 1, column 17")
                .doesNotContain("Source"));
    }

    @Test
    void aRequestTheCoreRefusesIsA400WithItsMessage() throws Exception {
        requests.refusal = new IllegalArgumentException("no EV is plugged in at cp-1/1");

        ApiResponse response = post(PATH, "{\"energyKwh\": 20, \"departure\": \"" + TOMORROW_6AM + "\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(problems(response)).containsExactly("no EV is plugged in at cp-1/1");
        assertThat(requests.submitted).hasSize(1);
    }

    @Test
    void aChargerThatCannotBeReadNowIsA503() throws Exception {
        requests.refusal = new IllegalStateException("charger cp-1 cannot be read: timeout");

        ApiResponse response = post(PATH, "{\"energyKwh\": 20, \"departure\": \"" + TOMORROW_6AM + "\"}");

        assertThat(response.status()).isEqualTo(503);
        assertThat(body(response).get("error").asText()).contains("charger cp-1 cannot be read: timeout");
    }

    @Test
    void withoutTheCoreEveryMethodIsA503() throws Exception {
        sources.requests = null;

        for (ApiResponse response : List.of(post(PATH, "{\"energyKwh\": 20, \"departure\": \"" + TOMORROW_6AM + "\"}"),
                router.handle("GET", PATH), router.handle("DELETE", PATH))) {
            assertThat(response.status()).isEqualTo(503);
            assertThat(body(response).get("error").asText()).contains("control core is not running");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "/chargers", "/chargers/cp-1", "/chargers/cp-1/1", "/chargers/cp-1/0/request",
            "/chargers/cp-1/-1/request", "/chargers/cp-1/x/request", "/chargers/cp-1/1/requests", "/chargers//1/request",
            "/chargers/cp-1/1/request/x", "/chargers/cp-1/99999999999/request" })
    void aPathOfAnotherShapeIsA404ThatShowsTheRightOne(String path) throws Exception {
        ApiResponse response = post(path, "{}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(body(response).get("error").asText()).contains("/chargers/{chargerId}/{connectorId}/request");
        assertThat(requests.submitted).isEmpty();
    }

    @Test
    void aTrailingSlashIsTolerated() {
        assertThat(post(PATH + "/", "{\"energyKwh\": 20, \"departure\": \"" + TOMORROW_6AM + "\"}").status()).isEqualTo(202);
    }

    @Test
    void getShowsTheHeldRequestAnd404WithoutOne() throws Exception {
        assertThat(router.handle("GET", PATH).status()).isEqualTo(404);
        post(PATH, "{\"energyKwh\": 20, \"departure\": \"" + TOMORROW_6AM + "\"}");

        ApiResponse response = router.handle("GET", PATH);

        assertThat(response.status()).isEqualTo(200);
        assertThat(body(response).get("energy").get("wattHours").asDouble()).isEqualTo(20_000.0);
    }

    @Test
    void deleteWithdrawsWith204AndThen404() throws Exception {
        post(PATH, "{\"energyKwh\": 20, \"departure\": \"" + TOMORROW_6AM + "\"}");

        ApiResponse first = router.handle("DELETE", PATH);
        ApiResponse second = router.handle("DELETE", PATH);

        assertThat(first.status()).isEqualTo(204);
        assertThat(first.body()).isEmpty();
        assertThat(requests.held).isEmpty();
        assertThat(second.status()).isEqualTo(404);
        assertThat(body(second).get("error").asText()).isEqualTo("no charging request for cp-1/1");
    }

    @ParameterizedTest
    @ValueSource(strings = { "PUT", "PATCH", "OPTIONS" })
    void otherMethodsAre405WithTheMethodsThePathTakes(String method) throws Exception {
        ApiResponse response = router.handle(method, PATH);

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("Allow", "GET, HEAD, POST, DELETE");
    }

    @Test
    void theBoundsAreThoseConfigured() throws Exception {
        router.limits(new RequestLimits(1, 50, java.time.Duration.ofHours(12)));

        assertThat(problems(post(PATH, "{\"energyKwh\": 0.5, \"departure\": \"2024-05-01T20:00:00Z\"}")))
                .containsExactly("energyKwh must be at least 1 kWh, got 0.5");
        assertThat(problems(post(PATH, "{\"energyKwh\": 51, \"departure\": \"2024-05-01T20:00:00Z\"}")))
                .containsExactly("energyKwh must be at most 50 kWh, got 51");
        assertThat(problems(post(PATH, "{\"energyKwh\": 5, \"departure\": \"2024-05-02T01:00:00Z\"}")))
                .singleElement().asString().contains("is more than 12 h ahead");
        assertThat(post(PATH, "{\"energyKwh\": 1, \"departure\": \"2024-05-02T00:00:01Z\"}").status()).isEqualTo(202);
    }

    @Test
    void noRefusalNamesAJavaClass() throws Exception {
        for (String energy : new String[] { "1e308", "1e-300", "-0", "1e400", "-1e400", "123456789012345678901234567890" }) {
            ApiResponse response = post(PATH, "{\"energyKwh\": " + energy + ", \"departure\": \"" + TOMORROW_6AM + "\"}");
            assertThat(response.status()).as(energy).isEqualTo(400);
            assertThat(response.body()).as(energy).doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Z]|Exception");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "text/plain", "application/x-www-form-urlencoded", "application/jsonx" })
    void aBodyThatIsNotSentAsJsonIsA415AndIsNotRead(String contentType) throws Exception {
        ApiResponse response = router.handle("POST", PATH, contentType, max -> {
            throw new AssertionError("body read");
        });

        assertThat(response.status()).isEqualTo(415);
        assertThat(body(response).get("error").asText()).contains("application/json", contentType);
    }

    @Test
    void aMissingContentTypeIsA415() {
        assertThat(router.handle("POST", PATH, null, max -> new byte[0]).status()).isEqualTo(415);
    }

    @Test
    void theBodyIsReadWithTheLimitAndAnOversizedOneIsA413() throws Exception {
        List<Integer> limits = new ArrayList<>();

        ApiResponse response = router.handle("POST", PATH, JSON, max -> {
            limits.add(max);
            return null;
        });

        assertThat(limits).containsExactly(16 * 1024);
        assertThat(response.status()).isEqualTo(413);
        assertThat(body(response).get("error").asText()).contains("16384 bytes");
    }

    @Test
    void aReadOnlyPathStillRefusesAPost() throws Exception {
        ApiResponse response = router.handle("POST", "/site", JSON, max -> {
            throw new AssertionError("body read");
        });

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("Allow", "GET, HEAD");
    }

    @Test
    void aBodyRefusedForBusinessIsA503() throws Exception {
        ApiResponse response = router.handle("POST", PATH, JSON, max -> {
            throw new BusyException("more than 8 request bodies are being received at once; try again");
        });

        assertThat(response.status()).isEqualTo(503);
        assertThat(body(response).get("error").asText()).contains("try again");
        assertThat(requests.submitted).isEmpty();
    }
}
