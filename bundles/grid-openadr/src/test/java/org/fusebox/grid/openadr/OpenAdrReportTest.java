package org.fusebox.grid.openadr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reports against the loopback VTN, which stores each POST /reports that has the 3.0.1 shape and is about one
 * of its events: the site's measurements come from a control loop the test drives, sampled and polled by hand.
 */
class OpenAdrReportTest {

    private static final Instant T0 = Instant.parse("2026-12-08T10:00:00Z");
    private static final Duration QUARTER = Duration.ofMinutes(15);
    private final MutableClock clock = new MutableClock(T0);
    private TestVtn vtn;
    private OpenAdrVen ven;
    private TestConfig config;
    private TestSite site;

    @BeforeEach
    void start() throws Exception {
        vtn = new TestVtn(clock, "ven-client-1", TestConfig.SECRET);
        vtn.addProgram("p1", "DSO-envelope");
        config = new TestConfig();
        config.vtnUrl = vtn.url();
        ven = new OpenAdrVen(clock);
        site = new TestSite(clock);
        ven.setControlLoop(site);
    }

    @AfterEach
    void stop() {
        ven.deactivate();
        vtn.close();
    }

    private void poll() {
        ven.session().pollOnce();
    }

    private void run(double watts, Duration d) {
        site.run(clock, ven.samples(), watts, d);
    }

    /** An event of two quarter-hour intervals from T0 with a 17 kW import limit, asking for these reports. */
    private static String event(String id, String descriptors) {
        return "{'id':'" + id + "','programID':'p1','eventName':'reported " + id + "',"
                + "'payloadDescriptors':[{'payloadType':'IMPORT_CAPACITY_LIMIT','units':'KW'}],"
                + "'reportDescriptors':[" + descriptors + "],"
                + "'intervalPeriod':{'start':'" + T0 + "','duration':'PT15M'},"
                + "'intervals':[{'id':0,'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[17]}]},"
                + "{'id':1,'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[17]}]}]}";
    }

    private List<JsonNode> reports(String payloadType) {
        return vtn.reports.stream().filter(r -> r.path("payloadDescriptors").path(0).path("payloadType").asText().equals(payloadType))
                .map(r -> (JsonNode) r).toList();
    }

    private static JsonNode intervals(JsonNode report) {
        return report.path("resources").path(0).path("intervals");
    }

    private static double value(JsonNode interval) {
        return interval.path("payloads").path(0).path("values").path(0).asDouble();
    }

    @Test
    void demandEachIntervalUsageAndChargeLevelAtTheEndInTheUnitsAsked() {
        vtn.putEvent(event("ev1", "{'payloadType':'DEMAND','readingType':'MEAN','units':'KW','frequency':1,'repeat':-1},"
                + "{'payloadType':'USAGE','readingType':'DIRECT_READ','units':'KWH'},"
                + "{'payloadType':'DEMAND','readingType':'PEAK','units':'W'},"
                + "{'payloadType':'STORAGE_CHARGE_LEVEL','units':'PERCENT'},"
                + "{'payloadType':'STORAGE_USABLE_CAPACITY'}"));
        ven.configureWithoutThread(config);
        poll();
        assertThat(ven.signals()).hasSize(2);
        run(12_000, Duration.ofMinutes(10));
        site.socPercent = 60;
        run(12_000, Duration.ofMinutes(5));
        poll();
        // the first interval has ended: the DEMAND asked each interval goes, the others wait for the last interval
        assertThat(vtn.reports).hasSize(1);
        JsonNode first = vtn.reports.get(0);
        assertThat(first.path("programID").asText()).isEqualTo("p1");
        assertThat(first.path("eventID").asText()).isEqualTo("ev1");
        assertThat(first.path("clientName").asText()).isEqualTo("fusebox-site-1");
        assertThat(first.path("resources").path(0).path("resourceName").asText()).isEqualTo("AGGREGATED_REPORT");
        assertThat(first.path("payloadDescriptors").path(0).path("readingType").asText()).isEqualTo("MEAN");
        assertThat(first.path("payloadDescriptors").path(0).path("units").asText()).isEqualTo("KW");
        assertThat(intervals(first)).hasSize(1);
        assertThat(intervals(first).path(0).path("id").asInt()).isZero();
        assertThat(intervals(first).path(0).path("intervalPeriod").path("start").asText()).isEqualTo("2026-12-08T10:00:00Z");
        assertThat(intervals(first).path(0).path("intervalPeriod").path("duration").asText()).isEqualTo("PT15M");
        assertThat(value(intervals(first).path(0))).isCloseTo(12.0, within(1e-9));

        // the second interval: 20 kW for ten minutes, then exporting 3 kW (no demand) for five
        run(20_000, Duration.ofMinutes(10));
        site.socPercent = 80;
        run(-3_000, Duration.ofMinutes(5));
        ven.samples().sampleOnce(); // the sample at the end, as the thread takes it
        poll();
        assertThat(vtn.reportShapeErrors).isEmpty();
        assertThat(reports("DEMAND")).hasSize(3);
        JsonNode meanOfSecond = reports("DEMAND").stream().filter(r -> r.path("payloadDescriptors").path(0).path("units").asText().equals("KW"))
                .toList().get(1);
        assertThat(intervals(meanOfSecond).path(0).path("id").asInt()).isEqualTo(1);
        assertThat(value(intervals(meanOfSecond).path(0))).isCloseTo((20.0 * 10 + 0 * 5) / 15, within(1e-9));

        JsonNode peak = reports("DEMAND").stream().filter(r -> r.path("payloadDescriptors").path(0).path("units").asText().equals("W"))
                .findFirst().orElseThrow();
        assertThat(intervals(peak)).extracting(i -> value(i)).containsExactly(12_000.0, 20_000.0);

        JsonNode usage = reports("USAGE").get(0);
        // 12 kW for a quarter hour is 3 kWh; 20 kW for ten minutes, then export, 3.333 kWh
        assertThat(intervals(usage)).extracting(i -> value(i)).satisfiesExactly(
                v -> assertThat(v).isCloseTo(3.0, within(1e-6)), v -> assertThat(v).isCloseTo(20.0 / 6, within(1e-6)));

        // DIRECT_READ is the last reading in the interval
        assertThat(intervals(reports("STORAGE_CHARGE_LEVEL").get(0))).extracting(i -> value(i)).containsExactly(60.0, 80.0);
        assertThat(intervals(reports("STORAGE_USABLE_CAPACITY").get(0))).extracting(i -> value(i)).containsExactly(10.0, 10.0);
        assertThat(vtn.reports).hasSize(6);

        // nothing is sent twice
        poll();
        clock.advance(Duration.ofHours(1));
        poll();
        assertThat(vtn.reports).hasSize(6);
        Health h = ven.health();
        assertThat(h.status()).isEqualTo(HealthStatus.UP);
        assertThat(h.details()).anyMatch(d -> d.startsWith("reports: 5 asked for by the events known, 6 sent, 0 refused"));
    }

    @Test
    void oneResourceIsNamedAndRepeatAndNumIntervalsLimitWhatIsSent() {
        config.resourceNames = new String[] { "site-meter" };
        vtn.putEvent(event("ev1", "{'payloadType':'DEMAND','frequency':1,'repeat':1},"
                + "{'payloadType':'DEMAND','units':'MW','numIntervals':1}"));
        ven.configureWithoutThread(config);
        poll();
        run(8_000, QUARTER);
        run(4_000, QUARTER);
        poll();
        assertThat(vtn.reports).hasSize(2);
        assertThat(vtn.reports).allSatisfy(r -> assertThat(r.path("resources").path(0).path("resourceName").asText()).isEqualTo("site-meter"));
        // repeat 1 of one interval each: the first interval only; numIntervals 1 up to the last: the last only
        assertThat(intervals(vtn.reports.get(0))).extracting(i -> i.path("id").asInt(), i -> value(i))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 8.0));
        assertThat(intervals(vtn.reports.get(1))).extracting(i -> i.path("id").asInt(), i -> value(i))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 0.004));
    }

    @Test
    void aReportTheVtnRefusesIsCountedWithItsReasonAndNotSentAgain() {
        vtn.putEvent(event("ev1", "{'payloadType':'DEMAND','frequency':1,'repeat':-1}"));
        ven.configureWithoutThread(config);
        poll();
        run(5_000, QUARTER);
        vtn.reportStatus = 400;
        poll();
        assertThat(vtn.requests("POST /reports")).hasSize(1);
        Health h = ven.health();
        assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(h.details()).anyMatch(d -> d.contains("1 refused by the VTN"));
        assertThat(h.details()).anyMatch(d -> d.startsWith("last report refused at ") && d.contains("event ev1, DEMAND in KW, interval(s) 0")
                && d.contains("HTTP 400") && d.contains("report refused by the test: the test VTN refuses every report"));
        poll();
        poll();
        assertThat(vtn.requests("POST /reports")).as("a refused report is not sent again").hasSize(1);

        // the next one is accepted: health is UP again, the refusal is still shown
        vtn.reportStatus = 0;
        run(5_000, QUARTER);
        poll();
        assertThat(vtn.reports).hasSize(1);
        assertThat(ven.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(ven.health().details()).anyMatch(d -> d.startsWith("last report refused at "));
    }

    @Test
    void aFailingVtnGetsTheReportAgainAtTheNextPoll() throws Exception {
        vtn.putEvent(event("ev1", "{'payloadType':'DEMAND','frequency':1,'repeat':2},{'payloadType':'USAGE','frequency':1,'repeat':2}"));
        ven.configureWithoutThread(config);
        poll();
        run(6_000, QUARTER);
        ven.samples().sampleOnce();
        vtn.reportStatus = 503;
        poll();
        assertThat(vtn.reports).isEmpty();
        Health h = ven.health();
        assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(h.details()).anyMatch(d -> d.startsWith("2 report(s) wait for the next poll: POST /reports: HTTP 503"));
        assertThat(h.details().get(0)).as("the poll itself succeeded").startsWith("VEN fusebox-site-1");
        vtn.reportStatus = 0;
        poll();
        assertThat(vtn.reports).hasSize(2);
        assertThat(vtn.requests("POST /reports")).hasSize(3); // one failed (the second waited), then both
        assertThat(ven.health().status()).isEqualTo(HealthStatus.UP);

        // no answer in time is the same
        run(6_000, QUARTER);
        ven.samples().sampleOnce();
        vtn.reportDelayMillis = 2_500;
        poll();
        vtn.reportDelayMillis = 0;
        assertThat(ven.health().details()).anyMatch(d -> d.startsWith("2 report(s) wait for the next poll: POST /reports: no complete answer within 2 s"));
        Thread.sleep(700); // the VTN stores the late one after all
        assertThat(vtn.reports).hasSize(3);
        poll();
        // sent again, the late one is answered 409 (the VTN has it) and taken as sent
        assertThat(vtn.conflicts).isEqualTo(1);
        assertThat(vtn.reports).hasSize(4);
        assertThat(ven.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void withoutMeasurementsNothingIsMadeUpAndHealthSaysWhy() {
        vtn.putEvent(event("ev1", "{'payloadType':'DEMAND','frequency':1,'repeat':-1},"
                + "{'payloadType':'STORAGE_CHARGE_LEVEL','frequency':1,'repeat':-1},{'payloadType':'USAGE','frequency':1,'repeat':-1}"));
        ven.configureWithoutThread(config);
        ven.unsetControlLoop(site);
        poll();
        run(6_000, QUARTER); // sampled, but there is no control loop
        poll();
        assertThat(vtn.requests("POST /reports")).isEmpty();
        Health h = ven.health();
        assertThat(h.details()).anyMatch(d -> d.equals("measurements for reports: no control loop cycle to read measurements from (is fusebox-core running?)"));
        assertThat(h.details()).anyMatch(d -> d.startsWith("event ev1, DEMAND in KW, interval(s) 0: nothing measured (interval 0: no fresh grid meter reading in it)"));
        assertThat(h.details()).anyMatch(d -> d.contains("reports: 3 asked for by the events known, 0 sent, 0 refused by the VTN, 3 not sent"));

        // the loop is back but the meter's reading is stale and the battery gone: only USAGE has nothing either
        ven.setControlLoop(site);
        site.meterFresh = false;
        site.battery = false;
        run(6_000, QUARTER);
        ven.samples().sampleOnce();
        poll();
        assertThat(vtn.requests("POST /reports")).isEmpty();
        assertThat(ven.health().details()).anyMatch(d -> d.equals("measurements for reports: no fresh grid meter reading, no battery"));
        assertThat(ven.health().details()).anyMatch(d -> d.contains("interval 1: no battery in it")
                || d.contains("interval 1: no fresh reading of every battery in it"));
        assertThat(ven.health().details()).anyMatch(d -> d.contains("USAGE in KWH, interval(s) 1: nothing measured (interval 1: no grid meter import register readings in it)"));
    }

    @Test
    void aMeterThatCoversPartOfAnIntervalGivesNoUsageNorMeanButItsLastReadingIsSent() {
        vtn.putEvent(event("ev1", "{'payloadType':'DEMAND'},{'payloadType':'USAGE'},{'payloadType':'DEMAND','readingType':'PEAK'}"));
        ven.configureWithoutThread(config);
        poll();
        site.meter = false;
        run(0, Duration.ofMinutes(20));
        site.meter = true;
        run(9_000, Duration.ofMinutes(10));
        ven.samples().sampleOnce();
        poll();
        JsonNode demand = reports("DEMAND").get(0);
        assertThat(intervals(demand)).extracting(i -> i.path("id").asInt()).containsExactly(1);
        assertThat(value(intervals(demand).path(0))).isCloseTo(9.0, within(1e-9));
        assertThat(reports("USAGE")).isEmpty();
        assertThat(ven.health().details()).anyMatch(d -> d.contains("DEMAND in KW, interval(s) 0..1: sent without interval 0: no fresh grid meter reading in it"));
        assertThat(ven.health().details()).anyMatch(d -> d.contains("interval 1: grid meter readings cover 600 s of its 900 s"));
        assertThat(ven.health().details()).anyMatch(d -> d.contains("DEMAND PEAK in KW, interval(s) 0..1: nothing measured (interval 0: no fresh grid meter "
                + "reading in it; interval 1: readings cover 600 s of its 900 s)"));
        assertThat(vtn.reports).hasSize(1);
    }

    @Test
    void aLastReadingLongBeforeTheEndIsNotTheIntervalsReading() {
        vtn.putEvent(event("ev1", "{'payloadType':'STORAGE_CHARGE_LEVEL','frequency':1,'repeat':-1}"));
        ven.configureWithoutThread(config);
        poll();
        run(0, Duration.ofMinutes(12));
        site.battery = false;
        run(0, Duration.ofMinutes(3)); // the battery's last reading in interval 0 is at 11:55
        site.battery = true;
        run(0, Duration.ofSeconds(870));
        site.socPercent = 70;
        run(0, Duration.ofSeconds(30)); // and in interval 1 at 14:55, 70 %
        poll();
        assertThat(vtn.reports).hasSize(1);
        assertThat(intervals(vtn.reports.get(0))).extracting(i -> i.path("id").asInt(), i -> value(i))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 70.0));
        assertThat(ven.health().details()).anyMatch(d -> d.contains("interval(s) 0: nothing measured (interval 0: its last reading is 185 s before its end)"));
    }

    @Test
    void descriptorsThatCannotBeServedAreShownNotSent() {
        vtn.putEvent(event("ev1", "{'payloadType':'READING'},{'payloadType':'DEMAND','readingType':'FORECAST'},"
                + "{'payloadType':'USAGE','units':'KW'},{'payloadType':'DEMAND','historical':false},"
                + "{'payloadType':'DEMAND','startInterval':5},{'payloadType':'DEMAND','frequency':0},{'payloadType':'DEMAND'}"));
        ven.configureWithoutThread(config);
        poll();
        run(1_000, QUARTER);
        run(1_000, QUARTER);
        poll();
        assertThat(reports("DEMAND")).hasSize(1);
        assertThat(vtn.reports).hasSize(1);
        List<String> d = ven.health().details();
        assertThat(d).contains("6 report descriptor(s) not served:");
        assertThat(d).anyMatch(x -> x.startsWith("event ev1, reportDescriptor 0: payload type READING is not reported by this VEN"));
        assertThat(d).anyMatch(x -> x.startsWith("event ev1, reportDescriptor 1: DEMAND with readingType FORECAST is not reported"));
        assertThat(d).anyMatch(x -> x.startsWith("event ev1, reportDescriptor 2: USAGE in units KW is not reported (only WH, KWH, MWH)"));
        assertThat(d).anyMatch(x -> x.startsWith("event ev1, reportDescriptor 3: DEMAND: historical false asks for a forecast"));
        assertThat(d).anyMatch(x -> x.equals("event ev1, reportDescriptor 4: startInterval 5 but the event has 2 interval(s)"));
        assertThat(d).anyMatch(x -> x.startsWith("event ev1, reportDescriptor 5: DEMAND: startInterval, numIntervals, frequency and repeat"));
        assertThat(ven.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void anEventThatIsGoneOrNeverEndsHasNoReportAndAReconfigurationSendsNothingTwice() {
        vtn.putEvent(event("ev1", "{'payloadType':'DEMAND','frequency':1,'repeat':-1}"));
        vtn.putEvent("{'id':'open','programID':'p1','reportDescriptors':[{'payloadType':'DEMAND'}],"
                + "'intervals':[{'id':0,'intervalPeriod':{'start':'" + T0 + "','duration':'P9999Y'},"
                + "'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[40]}]}]}");
        ven.configureWithoutThread(config);
        poll();
        run(2_000, QUARTER);
        poll();
        assertThat(vtn.reports).hasSize(1);
        assertThat(ven.health().details()).contains("event open, reportDescriptor 0 (DEMAND): waits for interval 0, which has no end");

        // a new configuration of the same VEN knows what was sent
        config.pollIntervalSeconds = 30;
        assertThat(ven.configureWithoutThread(config)).isTrue();
        poll();
        assertThat(vtn.reports).hasSize(1);

        // cancelled before its second interval ended: nothing more
        run(2_000, Duration.ofMinutes(10));
        vtn.deleteEvent("ev1");
        poll();
        run(2_000, Duration.ofMinutes(10));
        poll();
        assertThat(vtn.reports).hasSize(1);
    }

    @Test
    void theLoopbackVtnRefusesAReportOfTheWrongShape() {
        ObjectNode bad = (ObjectNode) EventMapperTest.json("{'programID':'p 1','eventID':'ev1','resources':[]}");
        assertThat(TestVtn.reportShape(bad)).contains("programID must be an objectID", "clientName must be 1..128 characters",
                "resources must be a non-empty array");
    }
}
