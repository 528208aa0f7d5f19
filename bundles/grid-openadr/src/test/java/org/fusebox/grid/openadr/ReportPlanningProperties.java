package org.fusebox.grid.openadr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever a reportDescriptor asks of an event, planning over time sends each interval at most once, only
 * after it has ended, in reports of at most {@code frequency} intervals, no more than {@code repeat} of them,
 * and only intervals up to {@code startInterval}; every value is the one measured.
 */
class ReportPlanningProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-12-08T10:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(15);

    @Property(tries = 300)
    void eachIntervalIsReportedAtMostOnceAndOnlyOnceEnded(@ForAll @IntRange(min = 1, max = 8) int intervals,
            @ForAll @IntRange(min = -1, max = 9) int startInterval, @ForAll @IntRange(min = -1, max = 4) int numIntervals,
            @ForAll @IntRange(min = -1, max = 4) int frequency, @ForAll @IntRange(min = -1, max = 3) int repeat,
            @ForAll @IntRange(min = 0, max = 8) int zeroAt) {
        if (numIntervals == 0 || frequency == 0 || repeat == 0) {
            return; // refused descriptors: covered by the report tests
        }
        ObjectNode event = JSON.createObjectNode().put("id", "ev").put("programID", "p");
        event.putArray("reportDescriptors").addObject().put("payloadType", "DEMAND").put("startInterval", startInterval)
                .put("numIntervals", numIntervals).put("frequency", frequency).put("repeat", repeat);
        ArrayNode list = event.putArray("intervals");
        for (int i = 0; i < intervals; i++) {
            ObjectNode iv = list.addObject().put("id", 10 + i);
            // one interval may have a zero duration: it is never reported
            iv.putObject("intervalPeriod").put("start", T0.plus(STEP.multipliedBy(i)).toString()).put("duration", i == zeroAt ? "PT0S" : "PT15M");
            iv.putArray("payloads").addObject().put("type", "IMPORT_CAPACITY_LIMIT").putArray("values").add(10);
        }
        MappedEvent mapped = new EventMapper("openadr:x").map(event, Map.of());
        assertThat(mapped.refusal()).isNull();
        ReportPlanner planner = new ReportPlanner(JSON, "ven", ReportPlanner.AGGREGATED);
        Set<String> done = new HashSet<>();
        List<Integer> reported = new ArrayList<>();
        int reports = 0;
        boolean unsupported = false;
        // the grid draws 1 kW per interval id (11 kW in interval 11), sampled every 5 s
        for (Instant now = T0; !now.isAfter(T0.plus(STEP.multipliedBy(intervals + 1))); now = now.plus(Duration.ofMinutes(5))) {
            Instant at = now;
            ReportPlanner.Plan plan = planner.plan(event, mapped, done::contains, now, ReportPlanningProperties::samples);
            unsupported |= !plan.unsupported().isEmpty();
            assertThat(plan.skipped()).isEmpty();
            for (ReportPlanner.Due due : plan.due()) {
                done.add(due.key());
                reports++;
                JsonNode ivs = due.body().path("resources").path(0).path("intervals");
                assertThat(ivs.size()).isGreaterThan(0);
                if (frequency > 0) {
                    assertThat(ivs.size()).isLessThanOrEqualTo(frequency);
                }
                for (JsonNode iv : ivs) {
                    int id = iv.path("id").asInt();
                    Instant end = Instant.parse(iv.path("intervalPeriod").path("start").asText()).plus(STEP);
                    assertThat(end).as("interval %d reported at %s", id, at).isBeforeOrEqualTo(at);
                    assertThat(iv.path("payloads").path(0).path("values").path(0).asDouble()).isEqualTo((double) id);
                    reported.add(id);
                }
            }
        }
        assertThat(reported).doesNotHaveDuplicates().doesNotContain(10 + zeroAt);
        if (repeat > 0) {
            assertThat(reports).isLessThanOrEqualTo(repeat);
        }
        int last = startInterval == -1 ? intervals - 1 : startInterval;
        assertThat(unsupported).isEqualTo(last >= intervals);
        assertThat(reported).allSatisfy(id -> assertThat(id - 10).isLessThanOrEqualTo(last));
        if (numIntervals > 0) {
            assertThat(reported).allSatisfy(id -> assertThat(id - 10).isGreaterThan(last - numIntervals));
        }
        if (!unsupported && repeat == -1) {
            // no limit on reports: every interval with a span in the selection is reported
            int first = numIntervals == -1 ? 0 : Math.max(0, last - numIntervals + 1);
            List<Integer> selected = new ArrayList<>();
            for (int i = first; i <= last; i++) {
                if (i != zeroAt) {
                    selected.add(10 + i);
                }
            }
            assertThat(reported).containsExactlyElementsOf(selected);
        }
    }

    private static List<SiteSamples.Sample> samples(MappedEvent.Interval iv) {
        List<SiteSamples.Sample> out = new ArrayList<>();
        for (Instant t = iv.start(); !t.isAfter(iv.end()); t = t.plus(SiteSamples.PERIOD)) {
            double watts = t.equals(iv.end()) ? -1 : iv.id() * 1_000.0;
            out.add(new SiteSamples.Sample(t, watts, null, null, null, null, null));
        }
        return out;
    }
}
