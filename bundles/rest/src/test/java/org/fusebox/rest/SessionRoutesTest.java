package org.fusebox.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneId;
import org.fusebox.api.control.ControlMode;
import org.fusebox.rest.view.ApiJson;
import org.fusebox.rest.view.SampleCycle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionRoutesTest {

    private final ObjectMapper mapper = ApiJson.newMapper();
    private final FakeSources sources = new FakeSources();
    private final FakeHistory history = new FakeHistory();
    private final ApiRouter router = new ApiRouter(sources, mapper);

    // Brussels is UTC+2 in May: the day 2024-05-01 there is 2024-04-30T22:00Z .. 2024-05-01T22:00Z
    private static final Instant MAY1_0800_LOCAL = Instant.parse("2024-05-01T06:00:00Z");

    @BeforeEach
    void setUp() {
        sources.zone = ZoneId.of("Europe/Brussels");
        sources.history = history;
        history.sessions.add(FakeHistory.session("cp-1/1/41", "TAG,1", MAY1_0800_LOCAL, MAY1_0800_LOCAL.plusSeconds(1800),
                new double[] { 5000, 5050 }, new String[] { "201", "99.9" }));
        history.sessions.add(FakeHistory.session("cp-2/1/42", "TAG2", MAY1_0800_LOCAL.plusSeconds(3600), null,
                new double[] { 1000, 700 }, new String[] { "100", null }));
        // the evening before, local time, but already 1 May in UTC: not in the report of 1 May in Brussels
        history.sessions.add(FakeHistory.session("cp-1/1/40", "TAG,1", Instant.parse("2024-04-30T21:00:00Z"),
                Instant.parse("2024-04-30T21:30:00Z"), new double[] { 1000, 1000 }, new String[] { "100", "100" }));
    }

    private JsonNode body(ApiResponse r) throws Exception {
        return mapper.readTree(r.body());
    }

    @Test
    void sessionsOverlappingADayInTheReportZone() throws Exception {
        ApiResponse r = router.handle("GET", "/sessions", "from=2024-05-01&to=2024-05-01");

        assertThat(r.status()).isEqualTo(200);
        JsonNode b = body(r);
        assertThat(b.get("from").asText()).isEqualTo("2024-04-30T22:00:00Z");
        assertThat(b.get("to").asText()).isEqualTo("2024-05-01T22:00:00Z");
        assertThat(b.get("sessions")).extracting(s -> s.get("id").asText()).containsExactly("cp-1/1/41", "cp-2/1/42");
        JsonNode first = b.get("sessions").get(0);
        assertThat(first.get("energy").get("wattHours").asDouble()).isEqualTo(10050);
        // 5 kWh at 201 + 5.05 kWh at 99.9 = 1.005 + 0.504495
        assertThat(first.get("cost").get("amount").asText()).isEqualTo("1.509495");
        assertThat(first.get("cost").get("rounded").asText()).isEqualTo("1.51");
        assertThat(first.get("slots").get(1).get("perMegawattHour").get("amount").asText()).isEqualTo("99.9");
        JsonNode second = b.get("sessions").get(1);
        assertThat(second.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(second.get("costComplete").asBoolean()).isFalse();
        assertThat(second.get("unpricedEnergy").get("wattHours").asDouble()).isEqualTo(700);
        assertThat(second.get("slots").get(1).get("cost").isNull()).isTrue();
    }

    @Test
    void sessionsOfOneIdTag() throws Exception {
        ApiResponse r = router.handle("GET", "/sessions", "from=2024-04-30T00:00:00Z&to=2024-05-02T00:00:00Z&idTag=TAG%2C1");

        assertThat(r.status()).isEqualTo(200);
        assertThat(body(r).get("sessions")).extracting(s -> s.get("id").asText()).containsExactly("cp-1/1/40", "cp-1/1/41");
    }

    @Test
    void withoutTheRecorderSessionsAre503AndTheSiteUnchanged() throws Exception {
        sources.history = null;
        sources.loop = FakeSources.loop(ControlMode.RUNNING, SampleCycle.report());

        assertThat(router.handle("GET", "/sessions").status()).isEqualTo(503);
        assertThat(body(router.handle("GET", "/sessions")).get("error").asText()).contains("fusebox-sessions");
        JsonNode connector = body(router.handle("GET", "/site")).get("chargers").get(0).get("connectors").get(0);
        assertThat(connector.get("metered").isNull()).isTrue();
    }

    @Test
    void theSiteShowsEachConnectorsSessionEnergyAndCostSoFar() throws Exception {
        sources.loop = FakeSources.loop(ControlMode.RUNNING, SampleCycle.report());
        history.sessions.add(FakeHistory.session("cp-1/1/77", "TAG9", SampleCycle.T0, null, new double[] { 2000 },
                new String[] { "150" }));

        JsonNode connectors = body(router.handle("GET", "/site")).get("chargers").get(0).get("connectors");
        JsonNode metered = connectors.get(0).get("metered");
        assertThat(metered.get("id").asText()).isEqualTo("cp-1/1/77");
        assertThat(metered.get("energy").get("wattHours").asDouble()).isEqualTo(2000);
        assertThat(metered.get("cost").get("amount").asText()).isEqualTo("0.3");
        assertThat(metered.get("costComplete").asBoolean()).isTrue();
        assertThat(connectors.get(1).get("metered").isNull()).as("no session on connector 2").isTrue();
    }

    @Test
    void theReimbursementReportCountsEachSessionInThePeriodItStartedWithExactTotals() throws Exception {
        history.sessions.add(FakeHistory.session("cp-2/1/43", "TAG,1", MAY1_0800_LOCAL.plusSeconds(7200),
                MAY1_0800_LOCAL.plusSeconds(8100), new double[] { 1 }, new String[] { "4.9" }));

        ApiResponse r = router.handle("GET", "/reports/reimbursement", "from=2024-05-01&to=2024-05-01");

        assertThat(r.status()).isEqualTo(200);
        JsonNode b = body(r);
        assertThat(b.get("zone").asText()).isEqualTo("Europe/Brussels");
        assertThat(b.get("drivers")).extracting(d -> d.get("idTag").asText()).containsExactly("TAG,1", "TAG2");
        JsonNode tag1 = b.get("drivers").get(0);
        assertThat(tag1.get("sessions")).extracting(s -> s.get("sessionId").asText()).containsExactly("cp-1/1/41", "cp-2/1/43");
        assertThat(tag1.get("total").get("sessions").asInt()).isEqualTo(2);
        assertThat(tag1.get("total").get("energyKwh").asText()).isEqualTo("10.051");
        // 1.509495 + 0.0000049
        assertThat(tag1.get("total").get("costs").get(0).get("amount").asText()).isEqualTo("1.5094999");
        assertThat(tag1.get("total").get("costs").get(0).get("rounded").asText()).isEqualTo("1.51");
        assertThat(b.get("total").get("sessions").asInt()).isEqualTo(3);
        assertThat(b.get("total").get("costComplete").asBoolean()).isFalse();
        // 1.5094999 + 0.1
        assertThat(b.get("total").get("costs").get(0).get("amount").asText()).isEqualTo("1.6094999");
    }

    @Test
    void theReimbursementReportAsCsv() {
        ApiResponse r = router.handle("GET", "/reports/reimbursement", "idTag=TAG%2C1&from=2024-05-01&to=2024-05-01&format=csv");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("Content-Type", "text/csv; charset=utf-8");
        assertThat(r.body().split("\r\n")).containsExactly(
                "idTag,sessionId,chargerId,connectorId,start,end,status,energyKwh,cost,currency,costComplete",
                "\"TAG,1\",cp-1/1/41,cp-1,1,2024-05-01T06:00:00Z,2024-05-01T06:30:00Z,FINISHED,10.050,1.51,EUR,true",
                "\"TAG,1\",TOTAL,,,,,1,10.050,1.51,EUR,true",
                ",ALL,,,,,1,10.050,1.51,EUR,true");
    }

    @ParameterizedTest
    @ValueSource(strings = { "from=yesterday&to=2024-05-01", "from=2024-05-01&to=2024-05-01&colour=red",
            "from=2024-05-02&to=2024-05-01", "from=2020-01-01&to=2024-05-01", "from=2024-05-01&to=2024-05-01&format=xml",
            "to=2024-05-01", "from=2024-05-01&from=2024-05-02&to=2024-05-03", "from=&to=2024-05-01",
            "from=2024-05-01&to=2024-05-01&idTag=%ZZ" })
    void aBadQueryIsA400WithTheReason(String query) throws Exception {
        ApiResponse r = router.handle("GET", "/reports/reimbursement", query);

        assertThat(r.status()).isEqualTo(400);
        JsonNode b = body(r);
        assertThat(b.get("error").asText()).startsWith("bad query: ");
        assertThat(b.get("problems")).isNotEmpty();
    }

    @Test
    void aBadSessionsQueryIsA400Too() throws Exception {
        ApiResponse r = router.handle("GET", "/sessions", "since=2024-05-01");

        assertThat(r.status()).isEqualTo(400);
        assertThat(body(r).get("error").asText()).contains("unknown parameter 'since'");
    }

    @Test
    void sessionsAreReadOnly() {
        assertThat(router.handle("POST", "/sessions").status()).isEqualTo(405);
        assertThat(router.handle("DELETE", "/reports/reimbursement").status()).isEqualTo(405);
    }

    @Test
    void theServletPassesTheQueryAndWritesCsvAsCsv() throws Exception {
        FuseboxApiServlet servlet = new FuseboxApiServlet(router);
        RecordingResponse rec = new RecordingResponse();

        servlet.service(RecordingResponse.request("GET", "/reports/reimbursement?from=2024-05-01&to=2024-05-01&format=csv"),
                rec.response);

        assertThat(rec.status).isEqualTo(200);
        assertThat(rec.contentType).isNull();
        assertThat(rec.headers).containsEntry("Content-Type", "text/csv; charset=utf-8");
        assertThat(rec.bodyText()).startsWith("idTag,sessionId");
    }
}
