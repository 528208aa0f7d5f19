package org.fusebox.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rrd4j.ConsolFun;

class HistoryQueryTest {

    static final Instant NOW = Instant.parse("2026-12-07T12:00:05Z");
    final SeriesCatalogue catalogue = new SeriesCatalogue(2);

    static Map<String, String[]> params(String... kv) {
        Map<String, String[]> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], new String[] { kv[i + 1] });
        }
        return m;
    }

    HistoryQuery.Parsed parse(String... kv) {
        return HistoryQuery.parse(params(kv), NOW, catalogue, 2000);
    }

    @Test
    void defaultsToTheLastHourAtTenSecondsAverage() {
        HistoryQuery q = parse("series", "grid.l1, pv.power").query();
        assertThat(q.series()).extracting(Series::name).containsExactly("grid.l1", "pv.power");
        assertThat(q.resolution()).isEqualTo(Resolution.TEN_SECONDS);
        assertThat(q.consolidation()).isEqualTo(ConsolFun.AVERAGE);
        assertThat(Instant.ofEpochSecond(q.to())).isEqualTo("2026-12-07T12:00:00Z");
        assertThat(Instant.ofEpochSecond(q.from())).isEqualTo("2026-12-07T11:00:00Z");
        assertThat(q.points()).isEqualTo(361);
    }

    @Test
    void automaticResolutionTakesTheFinestArchiveThatReachesBackAndFitsThePointBudget() {
        assertThat(parse("series", "grid.l1", "from", "2026-12-07T06:00:00Z").query().resolution())
                .as("6 h at 10 s is 2161 points: too many").isEqualTo(Resolution.FIFTEEN_MINUTES);
        assertThat(parse("series", "grid.l1", "from", "2026-12-07T08:00:00Z").query().resolution()).isEqualTo(Resolution.TEN_SECONDS);
        assertThat(parse("series", "grid.l1", "from", "2026-12-05T11:00:00Z", "to", "2026-12-05T12:00:00Z").query().resolution())
                .as("two days ago is beyond the 10 s archive").isEqualTo(Resolution.FIFTEEN_MINUTES);
        assertThat(parse("series", "grid.l1", "from", "2026-10-01T00:00:00Z").query().resolution()).isEqualTo(Resolution.ONE_HOUR);
        assertThat(parse("series", "battery.soc", "resolution", "1h", "consolidation", "MAX").query().consolidation())
                .isEqualTo(ConsolFun.MAX);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        HistoryQuery.Parsed p = parse("series", "grid.l1,grid.l4,,grid.l1", "from", "yesterday", "to", "2026-12-07T12:00:00",
                "resolution", "5m", "consolidation", "median", "limit", "3");
        assertThat(p.ok()).isFalse();
        assertThat(p.problems()).anySatisfy(x -> assertThat(x).startsWith("unknown parameter \"limit\""))
                .anySatisfy(x -> assertThat(x).startsWith("unknown series \"grid.l4\"").contains("grid.power"))
                .anySatisfy(x -> assertThat(x).contains("empty name"))
                .anySatisfy(x -> assertThat(x).isEqualTo("series \"grid.l1\" is named twice"))
                .anySatisfy(x -> assertThat(x).startsWith("from must be an ISO-8601").contains("\"yesterday\""))
                .anySatisfy(x -> assertThat(x).startsWith("to must be an ISO-8601"))
                .anySatisfy(x -> assertThat(x).startsWith("resolution must be auto, 10s, 15m or 1h"))
                .anySatisfy(x -> assertThat(x).startsWith("consolidation must be average or max"));
    }

    @Test
    void missingSeriesReversedRangeAndTooManyPointsAreRefused() {
        assertThat(parse().problems()).singleElement().asString().startsWith("parameter \"series\" is missing").contains("ev.slot2.power");
        assertThat(parse("series", "pv.power", "from", "2026-12-07T12:00:00Z", "to", "2026-12-07T11:00:00Z").problems())
                .singleElement().asString().contains("must be before to");
        assertThat(parse("series", "pv.power", "from", "2026-12-01T00:00:00Z", "resolution", "10s").problems())
                .singleElement().asString().contains("points per series; at most 2000");
        assertThat(parse("series", "pv.power", "from", "2020-01-01T00:00:00Z").problems())
                .singleElement().asString().contains("even at 1h");
        Map<String, String[]> twice = params("series", "pv.power");
        twice.put("from", new String[] { "2026-12-07T11:00:00Z", "2026-12-07T10:00:00Z" });
        assertThat(HistoryQuery.parse(twice, NOW, catalogue, 2000).problems()).singleElement().asString().contains("given 2 times");
    }

    @Test
    void explicitResolutionWithinTheBudgetIsKept() {
        HistoryQuery q = parse("series", "ev.slot1.power", "from", "2026-12-06T12:00:00+01:00", "resolution", "15m").query();
        assertThat(q.resolution()).isEqualTo(Resolution.FIFTEEN_MINUTES);
        assertThat(Instant.ofEpochSecond(q.from())).isEqualTo("2026-12-06T11:00:00Z");
        assertThat(q.points()).as("25 h at 15 min").isEqualTo(101);
    }
}
