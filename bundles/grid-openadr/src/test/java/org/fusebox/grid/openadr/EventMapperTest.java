package org.fusebox.grid.openadr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import org.fusebox.api.grid.GridSignal;
import org.fusebox.api.grid.GridSignalKind;
import org.junit.jupiter.api.Test;

class EventMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventMapper mapper = new EventMapper("openadr:site-1");

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private MappedEvent map(String event) {
        return mapper.map(json(event), Map.of());
    }

    private MappedEvent map(String event, Program program) {
        return mapper.map(json(event), Map.of(program.id(), program));
    }

    @Test
    void capacityLimitsInKilowattsBecomeWatts() {
        MappedEvent m = map("""
                {'id':'ev1','programID':'p1','eventName':'DOE','priority':2,
                 'payloadDescriptors':[{'payloadType':'IMPORT_CAPACITY_LIMIT','units':'KW'},
                                       {'payloadType':'EXPORT_CAPACITY_LIMIT','units':'KW'}],
                 'intervalPeriod':{'start':'2026-12-08T00:00:00Z','duration':'PT1H'},
                 'intervals':[{'id':0,'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[11.5]},
                                                  {'type':'EXPORT_CAPACITY_LIMIT','values':[5]}]},
                              {'id':1,'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[7]}]}]}""");
        assertThat(m.refusal()).isNull();
        assertThat(m.signals()).extracting(GridSignal::id, GridSignal::kind, GridSignal::value, GridSignal::start, GridSignal::end)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ev1/0/IMPORT_CAPACITY_LIMIT", GridSignalKind.IMPORT_CAPACITY_LIMIT, 11_500.0,
                                t("2026-12-08T00:00:00Z"), t("2026-12-08T01:00:00Z")),
                        org.assertj.core.groups.Tuple.tuple("ev1/0/EXPORT_CAPACITY_LIMIT", GridSignalKind.EXPORT_CAPACITY_LIMIT, 5_000.0,
                                t("2026-12-08T00:00:00Z"), t("2026-12-08T01:00:00Z")),
                        // no intervalPeriod of its own: follows the previous interval with the event's duration
                        org.assertj.core.groups.Tuple.tuple("ev1/1/IMPORT_CAPACITY_LIMIT", GridSignalKind.IMPORT_CAPACITY_LIMIT, 7_000.0,
                                t("2026-12-08T01:00:00Z"), t("2026-12-08T02:00:00Z")));
        assertThat(m.signals().get(0).source()).isEqualTo("openadr:site-1/p1");
        assertThat(m.signals().get(0).detail()).contains("DOE").contains("priority 2");
    }

    @Test
    void unitsDefaultToKilowattsAndWattsOrMegawattsAreHonoured() {
        String base = "{'id':'e','programID':'p','intervalPeriod':{'start':'2026-12-08T00:00:00Z','duration':'PT15M'},%s"
                + "'intervals':[{'id':0,'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[2]}]}]}";
        assertThat(map(base.formatted("")).signals().get(0).value()).isEqualTo(2_000);
        assertThat(map(base.formatted("'payloadDescriptors':[{'payloadType':'IMPORT_CAPACITY_LIMIT','units':'W'}],"))
                .signals().get(0).value()).isEqualTo(2);
        assertThat(map(base.formatted("'payloadDescriptors':[{'payloadType':'IMPORT_CAPACITY_LIMIT','units':'mw'}],"))
                .signals().get(0).value()).isEqualTo(2_000_000);
        MappedEvent energy = map(base.formatted("'payloadDescriptors':[{'payloadType':'IMPORT_CAPACITY_LIMIT','units':'KWH'}],"));
        assertThat(energy.signals()).isEmpty();
        assertThat(energy.refusal()).contains("event e").contains("'KWH' is not a power");
    }

    @Test
    void theEventsDescriptorWinsOverTheProgramsAndTheProgramsIsUsedWhenTheEventHasNone() {
        Program program = new Program("p", "DSO-limits", json("[{'objectType':'EVENT_PAYLOAD_DESCRIPTOR','payloadType':'IMPORT_CAPACITY_LIMIT','units':'MW'},"
                + "{'objectType':'REPORT_PAYLOAD_DESCRIPTOR','payloadType':'EXPORT_CAPACITY_LIMIT','units':'KWH'}]"));
        String event = "{'id':'e','programID':'p',%s'intervalPeriod':{'start':'2026-12-08T00:00:00Z','duration':'PT15M'},"
                + "'intervals':[{'id':0,'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[1]},{'type':'EXPORT_CAPACITY_LIMIT','values':[3]}]}]}";
        MappedEvent fromProgram = map(event.formatted(""), program);
        assertThat(fromProgram.signals()).extracting(GridSignal::value).containsExactly(1_000_000.0, 3_000.0);
        assertThat(fromProgram.signals().get(0).source()).isEqualTo("openadr:site-1/DSO-limits");
        MappedEvent own = map(event.formatted("'payloadDescriptors':[{'payloadType':'IMPORT_CAPACITY_LIMIT','units':'KW'}],"), program);
        assertThat(own.signals().get(0).value()).isEqualTo(1_000);
    }

    @Test
    void pricesPerKilowattHourBecomePerMegawattHourWithTheDescriptorsCurrency() {
        MappedEvent m = map("""
                {'id':'tou','programID':'p','payloadDescriptors':[{'payloadType':'PRICE','units':'KWH','currency':'EUR'},
                 {'payloadType':'EXPORT_PRICE','units':'MWH','currency':'EUR'}],
                 'intervals':[{'id':0,'intervalPeriod':{'start':'2026-12-08T00:00:00+01:00','duration':'PT3H'},
                   'payloads':[{'type':'PRICE','values':[0.17,0.03,-0.01]},{'type':'EXPORT_PRICE','values':[45.5]}]}]}""");
        assertThat(m.refusal()).isNull();
        assertThat(m.signals()).filteredOn(s -> s.kind() == GridSignalKind.PRICE)
                .extracting(GridSignal::id, GridSignal::value, GridSignal::start, GridSignal::end).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("tou/0/PRICE/0", 170.0, t("2026-12-07T23:00:00Z"), t("2026-12-08T00:00:00Z")),
                        org.assertj.core.groups.Tuple.tuple("tou/0/PRICE/1", 30.0, t("2026-12-08T00:00:00Z"), t("2026-12-08T01:00:00Z")),
                        org.assertj.core.groups.Tuple.tuple("tou/0/PRICE/2", -10.0, t("2026-12-08T01:00:00Z"), t("2026-12-08T02:00:00Z")));
        GridSignal export = m.signals().stream().filter(s -> s.kind() == GridSignalKind.EXPORT_PRICE).findFirst().orElseThrow();
        assertThat(export.value()).isEqualTo(45.5);
        assertThat(export.currency()).isEqualTo("EUR");
        assertThat(export.end()).isEqualTo(t("2026-12-08T02:00:00Z"));
    }

    @Test
    void aPriceWithoutCurrencyIsRefusedWhole() {
        MappedEvent m = map("""
                {'id':'e','programID':'p','intervalPeriod':{'start':'2026-12-08T00:00:00Z','duration':'PT1H'},
                 'intervals':[{'id':0,'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[3]},{'type':'PRICE','values':[0.2]}]}]}""");
        assertThat(m.isRefused()).isTrue();
        assertThat(m.signals()).isEmpty();
        assertThat(m.refusal()).contains("PRICE needs a currency");
    }

    @Test
    void simpleIsALoadShedLevelAndAlertsCarryTheirText() {
        MappedEvent m = map("""
                {'id':'shed','programID':'p','intervalPeriod':{'start':'2026-12-08T17:00:00Z','duration':'PT4H'},
                 'intervals':[{'id':0,'payloads':[{'type':'SIMPLE','values':[2]},{'type':'ALERT_GRID_EMERGENCY','values':['Grid emergency, shed load now']}]}]}""");
        assertThat(m.signals()).extracting(GridSignal::kind, GridSignal::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple(GridSignalKind.LOAD_SHED_LEVEL, 2.0),
                org.assertj.core.groups.Tuple.tuple(GridSignalKind.ALERT, 0.0));
        assertThat(m.signals().get(1).detail()).startsWith("ALERT_GRID_EMERGENCY: Grid emergency, shed load now");
        assertThat(map("""
                {'id':'shed','programID':'p','intervalPeriod':{'start':'2026-12-08T17:00:00Z','duration':'PT4H'},
                 'intervals':[{'id':0,'payloads':[{'type':'SIMPLE','values':[4]}]}]}""").refusal()).contains("SIMPLE must be 0, 1, 2 or 3");
    }

    @Test
    void p9999yIsUntilFurtherNoticeAndABeginningOfTimeStartIsDoItNow() {
        MappedEvent m = map("""
                {'id':'now','programID':'p','intervals':[{'id':0,'intervalPeriod':{'start':'0001-01-01','duration':'P9999Y'},
                 'payloads':[{'type':'EXPORT_CAPACITY_LIMIT','values':[0]}]}]}""");
        GridSignal s = m.signals().get(0);
        assertThat(s.end()).isNull();
        assertThat(s.value()).isZero();
        assertThat(s.isActiveAt(t("2026-12-08T00:00:00Z"))).isTrue();
        // 100 years or more is "until further notice" too; 99 years is not
        assertThat(map(oneLimit("2026-12-08T00:00:00Z", "P100Y")).signals().get(0).end()).isNull();
        assertThat(map(oneLimit("2026-12-08T00:00:00Z", "P99Y")).signals().get(0).end()).isEqualTo(t("2125-12-08T00:00:00Z"));
    }

    @Test
    void aZeroDurationIntervalGivesNoSignalAndIsNotedWhileTheOthersApply() {
        MappedEvent m = map("""
                {'id':'z','programID':'p','intervals':[
                 {'id':0,'intervalPeriod':{'start':'2026-12-08T00:00:00Z','duration':'PT0S'},'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[1]}]},
                 {'id':1,'intervalPeriod':{'start':'2026-12-08T00:00:00Z','duration':'PT1H'},'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[2]}]}]}""");
        assertThat(m.refusal()).isNull();
        assertThat(m.signals()).extracting(GridSignal::id).containsExactly("z/1/IMPORT_CAPACITY_LIMIT");
        assertThat(m.notes()).anyMatch(n -> n.contains("interval 0 has a zero duration"));
        // no duration anywhere: the schema's default PT0S
        assertThat(map("{'id':'z','programID':'p','intervals':[{'id':0,'intervalPeriod':{'start':'2026-12-08T00:00:00Z'},"
                + "'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[1]}]}]}").signals()).isEmpty();
        // the User Guide's cancellation: start at the beginning of time, PT0S
        assertThat(map(oneLimit("0001-01-01T00:00:00Z", "PT0S")).signals()).isEmpty();
    }

    @Test
    void offsetsAreHonouredAndATimeWithoutOffsetIsRefused() {
        assertThat(map(oneLimit("2026-12-08T09:30:00-05:00", "PT30M")).signals().get(0).start()).isEqualTo(t("2026-12-08T14:30:00Z"));
        assertThat(map(oneLimit("2026-12-08T09:30:00.250+05:30", "PT30M")).signals().get(0).start()).isEqualTo(t("2026-12-08T04:00:00.250Z"));
        assertThat(map(oneLimit("2026-12-08T09:30:00", "PT30M")).refusal()).contains("not an ISO 8601 date-time with an offset");
    }

    @Test
    void durationsInDaysWeeksMonthsAndFractionsOfSeconds() {
        assertThat(map(oneLimit("2026-12-08T00:00:00Z", "P1DT1H")).signals().get(0).end()).isEqualTo(t("2026-12-09T01:00:00Z"));
        assertThat(map(oneLimit("2026-12-08T00:00:00Z", "P2W")).signals().get(0).end()).isEqualTo(t("2026-12-22T00:00:00Z"));
        assertThat(map(oneLimit("2026-01-31T00:00:00Z", "P1M")).signals().get(0).end()).isEqualTo(t("2026-02-28T00:00:00Z"));
        assertThat(map(oneLimit("2026-12-08T00:00:00Z", "PT0.5S")).signals().get(0).end()).isEqualTo(t("2026-12-08T00:00:00.500Z"));
        assertThat(map(oneLimit("2026-12-08T00:00:00Z", "-PT1H")).refusal()).contains("negative");
        assertThat(map(oneLimit("2026-12-08T00:00:00Z", "1 hour")).refusal()).contains("not an ISO 8601 duration");
        assertThatThrownBy(() -> IsoTime.duration("PT")).hasMessageContaining("not an ISO 8601 duration");
        assertThat(IsoTime.duration("P0S").isZero()).isTrue();
    }

    @Test
    void randomizeStartIsNotAppliedButNoted() {
        MappedEvent m = map("""
                {'id':'r','programID':'p','intervalPeriod':{'start':'2026-12-08T00:00:00Z','duration':'PT1H','randomizeStart':'PT5M'},
                 'intervals':[{'id':0,'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[1]}]}]}""");
        assertThat(m.signals().get(0).start()).isEqualTo(t("2026-12-08T00:00:00Z"));
        assertThat(m.notes()).anyMatch(n -> n.contains("randomizeStart PT5M not applied"));
    }

    @Test
    void overlappingIntervalsOfOneEventAreKeptAsSent() {
        MappedEvent m = map("""
                {'id':'o','programID':'p','intervals':[
                 {'id':0,'intervalPeriod':{'start':'2026-12-08T00:00:00Z','duration':'PT2H'},'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[10]}]},
                 {'id':5,'intervalPeriod':{'start':'2026-12-08T01:00:00Z','duration':'PT2H'},'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[4]}]}]}""");
        assertThat(m.signals()).extracting(GridSignal::id).containsExactly("o/0/IMPORT_CAPACITY_LIMIT", "o/5/IMPORT_CAPACITY_LIMIT");
        assertThat(m.signals()).allMatch(s -> s.isActiveAt(t("2026-12-08T01:30:00Z")));
    }

    @Test
    void otherPayloadTypesAreLeftOutAndNoted() {
        MappedEvent m = map("""
                {'id':'g','programID':'p','intervalPeriod':{'start':'2026-12-08T00:00:00Z','duration':'PT1H'},
                 'intervals':[{'id':0,'payloads':[{'type':'GHG','values':[300]},{'type':'IMPORT_CAPACITY_LIMIT','values':[1]}]}]}""");
        assertThat(m.signals()).hasSize(1);
        assertThat(m.notes()).anyMatch(n -> n.contains("GHG"));
    }

    @Test
    void malformedEventsAreRefusedWithTheirReasonAndNoSignal() {
        String ok = "{'id':'m','programID':'p','intervalPeriod':{'start':'2026-12-08T00:00:00Z','duration':'PT1H'},'intervals':[%s]}";
        Map<String, String> cases = Map.ofEntries(
                Map.entry("{'programID':'p','intervals':[]}", "without a valid id"),
                Map.entry("{'id':'bad id!','programID':'p','intervals':[]}", "without a valid id"),
                Map.entry("{'id':'m','intervals':[]}", "programID is missing"),
                Map.entry("{'id':'m','programID':'p'}", "intervals must be an array"),
                Map.entry("{'id':'m','programID':'p','intervals':[{'id':0,'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[1]}]}]}",
                        "has no start"),
                Map.entry(ok.formatted("{'id':0,'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[-1]}]}"), "cannot be negative"),
                Map.entry(ok.formatted("{'id':0,'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':['ten']}]}"), "must be a number"),
                Map.entry(ok.formatted("{'id':0,'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[]}]}"), "has no value"),
                Map.entry(ok.formatted("{'id':0,'payloads':[{'type':'IMPORT_CAPACITY_LIMIT'}]}"), "needs a values array"),
                Map.entry(ok.formatted("{'id':0,'payloads':[{'values':[1]}]}"), "needs a type"),
                Map.entry(ok.formatted("{'id':0}"), "payloads must be an array"),
                Map.entry(ok.formatted("{'id':'zero','payloads':[]}"), "id must be an integer"),
                Map.entry(ok.formatted("{'id':0,'payloads':[]},{'id':0,'payloads':[]}"), "two intervals have the id 0"),
                Map.entry(ok.formatted("{'id':0,'payloads':[{'type':'SIMPLE','values':[1]},{'type':'SIMPLE','values':[2]}]}"), "SIMPLE twice"),
                Map.entry("{'id':'m','programID':'p','intervals':[{'id':0,'intervalPeriod':{'start':'0001-01-01','duration':'P9999Y'},"
                        + "'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[1,2]}]}]}", "never ends"),
                Map.entry("{'id':'m','programID':'p','intervals':[{'id':0,'intervalPeriod':{'start':'2026-12-08T00:00:00Z','duration':'P9999Y'},"
                        + "'payloads':[]},{'id':1,'payloads':[]}]}", "follows an interval that never ends"),
                Map.entry("{'id':'m','programID':'p','priority':-1,'intervals':[]}", "priority"),
                Map.entry("{'id':'m','programID':'p','payloadDescriptors':{},'intervals':[]}", "payloadDescriptors must be an array"));
        cases.forEach((event, reason) -> {
            MappedEvent m = map(event);
            assertThat(m.refusal()).as(event).contains(reason);
            assertThat(m.signals()).as(event).isEmpty();
        });
        // the valid limit of interval 0 is not applied when interval 1 is malformed
        MappedEvent half = map(ok.formatted("{'id':0,'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[5]}]},"
                + "{'id':1,'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[-5]}]}"));
        assertThat(half.signals()).isEmpty();
        assertThat(half.refusal()).startsWith("event m: interval 1");
    }

    @Test
    void aChangedEventIsANewVersion() {
        MappedEvent a = map(oneLimit("2026-12-08T00:00:00Z", "PT1H"));
        MappedEvent b = map(oneLimit("2026-12-08T00:00:00Z", "PT2H"));
        assertThat(a.version()).isNotEqualTo(b.version()).startsWith("e#");
        assertThat(map(oneLimit("2026-12-08T00:00:00Z", "PT1H")).version()).isEqualTo(a.version());
    }

    static String oneLimit(String start, String duration) {
        return "{'id':'e','programID':'p','intervals':[{'id':0,'intervalPeriod':{'start':'" + start + "','duration':'" + duration
                + "'},'payloads':[{'type':'IMPORT_CAPACITY_LIMIT','values':[1]}]}]}";
    }

    static Instant t(String s) {
        return Instant.parse(s);
    }
}
