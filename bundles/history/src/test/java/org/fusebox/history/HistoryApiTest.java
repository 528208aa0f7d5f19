package org.fusebox.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryApiTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
    HistoryRecorder recorder;
    HistoryApi api;

    @BeforeEach
    void start() throws Exception {
        recorder = new HistoryRecorder(dir, 2, clock);
        api = new HistoryApi(new HistoryService() {
            @Override
            public SeriesCatalogue catalogue() {
                return recorder.store().catalogue();
            }

            @Override
            public Map<String, Integer> chargerSlots() {
                return recorder.chargerSlots();
            }

            @Override
            public int maxPoints() {
                return 500;
            }

            @Override
            public HistoryStore.Points fetch(HistoryQuery q) throws java.io.IOException {
                return recorder.store().fetch(q.series(), q.consolidation(), q.resolution(), q.from(), q.to());
            }

            @Override
            public boolean available() {
                return true;
            }
        });
    }

    @AfterEach
    void stop() {
        recorder.close();
    }

    @Test
    void recordedCyclesComeBackAsPointsWithTimestampsUnitsAndNulls() throws Exception {
        for (int i = 1; i <= 60; i++) {
            clock.now = clock.now.plusSeconds(1);
            recorder.offer(new TestSites().uncontrolled(10, 11, 12).charger("cp-1", TestSites.THREE, 32, ConnectorState.CHARGING, 8)
                    .build());
            recorder.drain();
        }
        assertThat(recorder.written()).isEqualTo(60);
        HistoryApi.Answer a = api.handle("GET", null, HistoryQueryTest.params("series", "grid.l1,pv.power,ev.slot1.power",
                "from", "2026-12-07T12:00:20Z", "to", "2026-12-07T12:00:50Z"), clock.now);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JsonNode root = JSON.readTree(a.body());
        assertThat(root.get("resolution").asText()).isEqualTo("10s");
        assertThat(root.get("timestamps")).hasSize(4);
        assertThat(root.get("timestamps").get(0).asText()).isEqualTo("2026-12-07T12:00:20Z");
        JsonNode l1 = root.get("series").get(0);
        assertThat(l1.get("name").asText()).isEqualTo("grid.l1");
        assertThat(l1.get("unit").asText()).isEqualTo("amps");
        assertThat(l1.get("values")).allSatisfy(v -> assertThat(v.asDouble()).isEqualTo(18.0));
        assertThat(root.get("series").get(1).get("values")).allSatisfy(v -> assertThat(v.isNull()).isTrue());
        JsonNode slot = root.get("series").get(2);
        assertThat(slot.get("charger").asText()).isEqualTo("cp-1");
        assertThat(slot.get("values").get(0).asDouble()).isEqualTo(8 * 230 * 3.0);
    }

    @Test
    void badParametersAre400WithEveryProblem() throws Exception {
        HistoryApi.Answer a = api.handle("GET", "/", HistoryQueryTest.params("series", "nope", "resolution", "1d"), clock.now);
        assertThat(a.status()).isEqualTo(400);
        JsonNode root = JSON.readTree(a.body());
        assertThat(root.get("error").asText()).startsWith("history request refused: unknown series \"nope\"");
        assertThat(root.get("problems")).hasSize(2);
    }

    @Test
    void seriesListOtherPathsAndMethods() throws Exception {
        HistoryApi.Answer list = api.handle("HEAD", "/series", Map.of(), clock.now);
        assertThat(list.status()).isEqualTo(200);
        JsonNode root = JSON.readTree(list.body());
        assertThat(root.get("series")).hasSize(10);
        assertThat(root.get("maxPoints").asInt()).isEqualTo(500);
        assertThat(root.get("resolutions").get(2).get("span").get("seconds").asLong()).isEqualTo(366 * 86_400L);
        assertThat(api.handle("GET", "/other", Map.of(), clock.now).status()).isEqualTo(404);
        HistoryApi.Answer post = api.handle("POST", null, Map.of(), clock.now);
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.headers()).containsEntry("Allow", "GET, HEAD");
        assertThat(JSON.readTree(post.body()).get("error").asText()).contains("read-only");
    }

    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
