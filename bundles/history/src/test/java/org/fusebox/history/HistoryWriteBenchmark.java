package org.fusebox.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.testing.TestSites;
import org.rrd4j.ConsolFun;

/**
 * A harness (not JMH: the cost is dominated by file I/O, which JMH's forks and blackholes do not help with) for
 * docs/benchmarks.md: the store's size on disk by number of charger series, the cost of recording one cycle
 * (mapping plus rrd4j update, on the writer thread) and of handing it over (on the cycle's side), and the cost of a
 * 2000-point query. Arguments: samples (default 200000), folder (default java.io.tmpdir).
 */
public final class HistoryWriteBenchmark {

    private HistoryWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Path root = Files.createTempDirectory(Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir")), "history-bench");
        for (int chargers : new int[] { 0, 8, 32 }) {
            SeriesCatalogue c = new SeriesCatalogue(chargers);
            System.out.printf(Locale.ROOT, "size: %d charger series, %d series: %d bytes (%.2f MiB)%n", chargers, c.all().size(),
                    HistoryStore.sizeOf(c), HistoryStore.sizeOf(c) / 1048576.0);
        }
        SiteSnapshot demo = new TestSites().uncontrolled(20, 18, 22).battery("bat-1", 60, -2000)
                .charger("cp-1", TestSites.THREE, 32, ConnectorState.CHARGING, 16)
                .charger("cp-2", TestSites.THREE, 32, ConnectorState.CHARGING, 10)
                .charger("cp-3", TestSites.THREE, 32, ConnectorState.CHARGING, 6)
                .charger("cp-4", TestSites.THREE, 32, ConnectorState.SUSPENDED_EVSE, 0).build();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Path dir = root.resolve("store");
        SeriesCatalogue catalogue = new SeriesCatalogue(8);
        long[] nanos = new long[samples];
        try (HistoryStore store = HistoryStore.open(dir, catalogue, start)) {
            SeriesMapping mapping = new SeriesMapping(catalogue, ChargerSlots.load(dir.resolve("slots.properties"), 8));
            long t0 = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                long a = System.nanoTime();
                store.record(start.getEpochSecond() + 1 + i, mapping.sample(demo));
                nanos[i] = System.nanoTime() - a;
            }
            long total = System.nanoTime() - t0;
            report("record one cycle (mapping + rrd4j update, 16 series, random-access file)", nanos, total, samples);
            System.out.printf(Locale.ROOT, "file after %d samples: %d bytes%n", samples, Files.size(store.file()));

            List<Series> eight = catalogue.all().subList(0, 8);
            long end = start.getEpochSecond() + samples;
            long[] q = new long[200];
            for (int i = 0; i < q.length; i++) {
                long a = System.nanoTime();
                store.fetch(eight, ConsolFun.AVERAGE, Resolution.TEN_SECONDS, end - 1999 * 10L, end);
                q[i] = System.nanoTime() - a;
            }
            report("query 8 series x 2000 points at 10 s", q, Arrays.stream(q).sum(), q.length);
        }
        try (HistoryRecorder recorder = new HistoryRecorder(root.resolve("recorder"), 8, Clock.fixed(start, ZoneOffset.UTC))) {
            long[] offer = new long[Math.min(samples, 100_000)];
            for (int i = 0; i < offer.length; i++) {
                long a = System.nanoTime();
                recorder.offer(demo);
                offer[i] = System.nanoTime() - a;
            }
            recorder.drain();
            report("hand a cycle to the writer (what the event thread pays)", offer, Arrays.stream(offer).sum(), offer.length);
        }
    }

    private static void report(String what, long[] nanos, long total, int n) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%s: n=%d mean %.1f µs, p50 %.1f µs, p99 %.1f µs, max %.1f µs%n", what, n, total / 1e3 / n,
                sorted[n / 2] / 1e3, sorted[(int) (n * 0.99)] / 1e3, sorted[n - 1] / 1e3);
    }
}
