package org.fusebox.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryRecorderTest {

    @TempDir
    Path dir;

    @Test
    void aFileMovedAsideMakesTheHealthDegradedWithTheSentenceForADay() throws Exception {
        Files.writeString(dir.resolve(HistoryStore.FILE_NAME), "garbage");
        HistoryApiTest.MutableClock clock = new HistoryApiTest.MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
        try (HistoryRecorder recorder = new HistoryRecorder(dir, 2, clock)) {
            Health h = recorder.health();
            assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(h.details()).singleElement().asString().contains("history file").contains("was moved to")
                    .contains("site.rrd.corrupt-20261207T120000Z").contains("a new file was started");
            clock.now = clock.now.plusSeconds(1);
            recorder.offer(new TestSites().build());
            recorder.drain();
            assertThat(recorder.written()).isEqualTo(1);
            clock.now = clock.now.plus(HistoryRecorder.MOVED_ASIDE_NOTICE);
            assertThat(recorder.health().status()).isEqualTo(HealthStatus.UP);
        }
        // the next start finds a good file: nothing moved
        try (HistoryRecorder again = new HistoryRecorder(dir, 2, java.time.Clock.systemUTC())) {
            assertThat(again.health()).isEqualTo(Health.up());
            assertThat(again.store().lastUpdate()).isEqualTo(Instant.parse("2026-12-07T12:00:01Z").getEpochSecond());
        }
    }

    @Test
    void theGatewaysOpenApiDocumentNamesExactlyTheHistoryPaths() throws Exception {
        // the document lives in fusebox-rest, which serves it; this bundle's paths must be in it and no others
        String spec = Files.readString(Path.of("../rest/src/main/resources/openapi.yaml"));
        Matcher m = Pattern.compile("(?m)^  (/fusebox/api/v1/history\\S*):\\s*$").matcher(spec);
        Set<String> paths = new TreeSet<>();
        while (m.find()) {
            paths.add(m.group(1));
        }
        assertThat(paths).containsExactlyInAnyOrder("/fusebox/api/v1/history", "/fusebox/api/v1/history" + HistoryApi.SERIES_PATH);
    }
}
