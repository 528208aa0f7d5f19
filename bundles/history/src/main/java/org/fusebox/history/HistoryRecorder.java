package org.fusebox.history;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.fusebox.api.health.Health;
import org.fusebox.api.site.SiteSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records snapshots into the store on a thread of its own, so that neither the control cycle nor EventAdmin's
 * delivery ever waits for the disk. The queue is short: when the disk is slower than the cycles, the newest
 * snapshots are dropped (and counted), the older queued ones are still written.
 */
final class HistoryRecorder implements AutoCloseable {

    static final String SLOTS_FILE = "charger-slots.properties";
    static final int QUEUE = 16;
    /** How long a file moved aside keeps the health DEGRADED: long enough to be seen, not for ever. */
    static final Duration MOVED_ASIDE_NOTICE = Duration.ofDays(1);

    private static final Logger LOG = LoggerFactory.getLogger(HistoryRecorder.class);

    private final Clock clock;
    private final HistoryStore store;
    private final SeriesMapping mapping;
    private final ChargerSlots slots;
    private final Instant openedAt;
    private final ThreadPoolExecutor writer;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile String lastError;

    HistoryRecorder(Path dir, int chargerSeries, Clock clock) throws IOException {
        this.clock = clock;
        SeriesCatalogue catalogue = new SeriesCatalogue(chargerSeries);
        this.openedAt = clock.instant();
        this.store = HistoryStore.open(dir, catalogue, openedAt);
        this.slots = ChargerSlots.load(dir.resolve(SLOTS_FILE), chargerSeries);
        this.mapping = new SeriesMapping(catalogue, slots);
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "fusebox-history-writer");
            t.setDaemon(true);
            return t;
        }, (task, executor) -> dropped.incrementAndGet());
    }

    /** Queues the snapshot, stamped with the gateway's clock now; returns at once. */
    void offer(SiteSnapshot snapshot) {
        long second = clock.instant().getEpochSecond();
        writer.execute(() -> write(second, snapshot));
    }

    private void write(long second, SiteSnapshot snapshot) {
        try {
            if (store.record(second, mapping.sample(snapshot))) {
                written.incrementAndGet();
            }
            lastError = null;
        } catch (IOException | RuntimeException e) {
            if (lastError == null) {
                LOG.error("History sample of cycle {} not stored in {}: {}", snapshot.cycle(), store.file(), e.toString());
            }
            lastError = "the last sample could not be stored in " + store.file() + ": " + e;
        }
    }

    HistoryStore store() {
        return store;
    }

    Map<String, Integer> chargerSlots() {
        return slots.assignments();
    }

    long written() {
        return written.get();
    }

    long dropped() {
        return dropped.get();
    }

    /** Waits until everything queued so far is written; for tests and benchmarks. */
    void drain() throws InterruptedException {
        while (writer.getQueue().size() > 0 || writer.getActiveCount() > 0) {
            Thread.sleep(1);
        }
    }

    Health health() {
        List<String> details = new ArrayList<>();
        String e = lastError;
        if (e != null) {
            details.add(e);
        }
        store.movedAside().ifPresent(why -> {
            if (clock.instant().isBefore(openedAt.plus(MOVED_ASIDE_NOTICE))) {
                details.add(why);
            }
        });
        return details.isEmpty() ? Health.up() : new Health(org.fusebox.api.health.HealthStatus.DEGRADED, details);
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
