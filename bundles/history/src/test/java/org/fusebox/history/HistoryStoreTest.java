package org.fusebox.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rrd4j.ConsolFun;
import org.rrd4j.core.ArcDef;
import org.rrd4j.core.RrdDef;

class HistoryStoreTest {

    static final Instant START = Instant.parse("2026-12-07T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void archivesAreTenSecondsForADayFifteenMinutesForAMonthAnHourForAYearAverageAndMax() {
        RrdDef def = HistoryStore.definition(dir.resolve("x.rrd"), new SeriesCatalogue(2), 0);
        assertThat(def.getStep()).isEqualTo(10);
        List<String> archives = Arrays.stream(def.getArcDefs()).map(a -> a.getConsolFun() + " " + a.getSteps() * def.getStep()
                + "s x " + a.getRows()).toList();
        assertThat(archives).containsExactly(
                "AVERAGE 10s x 8640", "AVERAGE 900s x 2976", "AVERAGE 3600s x 8784",
                "MAX 10s x 8640", "MAX 900s x 2976", "MAX 3600s x 8784");
        for (ArcDef a : def.getArcDefs()) {
            long span = a.getSteps() * def.getStep() * a.getRows();
            assertThat(span).isGreaterThanOrEqualTo(switch (a.getSteps()) {
                case 1 -> 86_400L;
                case 90 -> 31 * 86_400L;
                default -> 366 * 86_400L;
            });
        }
        assertThat(def.getDsDefs()).extracting(d -> d.getDsName()).containsExactly("grid_l1", "grid_l2", "grid_l3", "grid_power",
                "pv_power", "battery_power", "battery_soc", "ev_power", "ev_slot1", "ev_slot2");
    }

    @Test
    void theFileHasItsFixedSizeFromTheStartAndKeepsItWhateverIsWritten() throws Exception {
        SeriesCatalogue catalogue = new SeriesCatalogue(8);
        long size;
        try (HistoryStore store = HistoryStore.open(dir, catalogue, START)) {
            size = Files.size(store.file());
            assertThat(size).isEqualTo(HistoryStore.sizeOf(catalogue));
            // 16 series x 20400 points x 2 consolidations x 8 bytes, plus headers
            assertThat(size).isBetween(16L * 20_400 * 2 * 8, 16L * 20_400 * 2 * 8 + 64 * 1024);
            double[] v = new double[catalogue.all().size()];
            for (int i = 0; i < 2 * 86_400; i += 7) {
                Arrays.fill(v, i % 100);
                store.record(START.getEpochSecond() + i, v);
            }
        }
        assertThat(Files.size(dir.resolve(HistoryStore.FILE_NAME))).isEqualTo(size);
    }

    @Test
    void pointsSurviveClosingAndOpeningAgain() throws Exception {
        SeriesCatalogue catalogue = new SeriesCatalogue(0);
        long t0 = START.getEpochSecond();
        try (HistoryStore store = HistoryStore.open(dir, catalogue, START)) {
            for (int i = 1; i <= 120; i++) {
                double[] v = new double[catalogue.all().size()];
                Arrays.fill(v, Double.NaN);
                v[0] = 20;
                v[3] = i < 60 ? 1000 : 3000;
                assertThat(store.record(t0 + i, v)).isTrue();
            }
            assertThat(store.record(t0 + 120, new double[catalogue.all().size()])).as("same second again").isFalse();
        }
        try (HistoryStore store = HistoryStore.open(dir, catalogue, START.plusSeconds(500))) {
            assertThat(store.movedAside()).isEmpty();
            assertThat(store.lastUpdate()).isEqualTo(t0 + 120);
            Series l1 = catalogue.byName("grid.l1").orElseThrow();
            Series power = catalogue.byName("grid.power").orElseThrow();
            Series pv = catalogue.byName("pv.power").orElseThrow();
            HistoryStore.Points p = store.fetch(List.of(l1, power, pv), ConsolFun.AVERAGE, Resolution.TEN_SECONDS, t0 + 20, t0 + 110);
            assertThat(p.step()).isEqualTo(10);
            assertThat(p.timestamps()).hasSize(10);
            assertThat(p.timestamps()[0]).isEqualTo(t0 + 20);
            assertThat(Arrays.stream(p.values()[0]).boxed()).allSatisfy(v -> assertThat(v).isEqualTo(20.0));
            assertThat(p.values()[1][0]).isEqualTo(1000.0);
            assertThat(p.values()[1][9]).isEqualTo(3000.0);
            assertThat(Arrays.stream(p.values()[2]).boxed()).allSatisfy(v -> assertThat(v).isNaN());
        }
    }

    @Test
    void maxKeepsTheHighestTenSecondsOfAQuarterHourWhereAverageSmoothsThem() throws Exception {
        SeriesCatalogue catalogue = new SeriesCatalogue(0);
        long t0 = START.getEpochSecond();
        try (HistoryStore store = HistoryStore.open(dir, catalogue, START)) {
            for (int i = 1; i <= 1800; i++) {
                double[] v = new double[catalogue.all().size()];
                Arrays.fill(v, Double.NaN);
                // one 10 s step at 60 A in the first quarter hour, 10 A otherwise
                v[0] = i > 300 && i <= 310 ? 60 : 10;
                store.record(t0 + i, v);
            }
            Series l1 = catalogue.byName("grid.l1").orElseThrow();
            double avg = store.fetch(List.of(l1), ConsolFun.AVERAGE, Resolution.FIFTEEN_MINUTES, t0 + 900, t0 + 900).values()[0][0];
            double max = store.fetch(List.of(l1), ConsolFun.MAX, Resolution.FIFTEEN_MINUTES, t0 + 900, t0 + 900).values()[0][0];
            assertThat(max).isEqualTo(60.0);
            assertThat(avg).isBetween(10.4, 10.7);
        }
    }

    @Test
    void anUnreadableFileIsMovedAsideWithTheReasonAndANewOneStarts() throws Exception {
        Files.writeString(dir.resolve(HistoryStore.FILE_NAME), "this is not a round-robin file");
        try (HistoryStore store = HistoryStore.open(dir, new SeriesCatalogue(1), START)) {
            assertThat(store.movedAside()).hasValueSatisfying(why -> assertThat(why)
                    .contains("was moved to").contains("site.rrd.corrupt-20261207T000000Z").contains("cannot be read"));
            assertThat(Files.size(store.file())).isEqualTo(HistoryStore.sizeOf(new SeriesCatalogue(1)));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .contains("site.rrd", "site.rrd.corrupt-20261207T000000Z");
        }
        assertThat(Files.readString(dir.resolve("site.rrd.corrupt-20261207T000000Z"))).isEqualTo("this is not a round-robin file");
    }

    @Test
    void aTruncatedFileIsMovedAside() throws Exception {
        try (HistoryStore store = HistoryStore.open(dir, new SeriesCatalogue(0), START)) {
            store.record(START.getEpochSecond() + 5, new double[store.catalogue().all().size()]);
        }
        Path file = dir.resolve(HistoryStore.FILE_NAME);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        try (HistoryStore store = HistoryStore.open(dir, new SeriesCatalogue(0), START.plusSeconds(60))) {
            assertThat(store.movedAside()).isPresent();
            assertThat(Files.size(store.file())).isEqualTo(whole.length);
        }
    }

    @Test
    void aFileOfAnotherLayoutIsMovedAsideNamingTheDifference() throws Exception {
        try (HistoryStore store = HistoryStore.open(dir, new SeriesCatalogue(2), START)) {
            assertThat(store.movedAside()).isEmpty();
        }
        try (HistoryStore store = HistoryStore.open(dir, new SeriesCatalogue(3), START.plusSeconds(60))) {
            assertThat(store.movedAside()).hasValueSatisfying(why -> assertThat(why).contains("its series are").contains("ev_slot3"));
        }
    }
}
