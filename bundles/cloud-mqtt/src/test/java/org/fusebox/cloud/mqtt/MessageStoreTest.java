package org.fusebox.cloud.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.MessagePriority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.fusebox.testing.MutableClock;

class MessageStoreTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    static CloudMessage msg(String topic, MessagePriority p) {
        return new CloudMessage(topic, topic.getBytes(StandardCharsets.UTF_8), p == MessagePriority.TELEMETRY ? 0 : 1, false, p);
    }

    private MessageStore open(long maxMessages, long maxBytes, Duration maxAge) throws Exception {
        return new MessageStore(dir.resolve("outbox.mv.db"), new MessageStore.Limits(maxMessages, maxBytes, maxAge), clock);
    }

    private static List<String> topics(MessageStore s) {
        return s.contents().stream().map(m -> m.message().topic()).toList();
    }

    @Test
    void sendsByPriorityThenAcceptanceOrder() throws Exception {
        try (MessageStore s = open(100, 1 << 20, Duration.ZERO)) {
            s.put(msg("t1", MessagePriority.TELEMETRY));
            s.put(msg("e1", MessagePriority.EVENT));
            s.put(msg("l1", MessagePriority.LIFECYCLE));
            s.put(msg("t2", MessagePriority.TELEMETRY));
            s.put(msg("e2", MessagePriority.EVENT));
            assertThat(topics(s)).containsExactly("l1", "e1", "e2", "t1", "t2");
            StoredMessage first = s.next(Set.of()).orElseThrow();
            assertThat(first.message().topic()).isEqualTo("l1");
            assertThat(s.next(Set.of(first.seq())).orElseThrow().message().topic()).isEqualTo("e1");
            assertThat(s.ack(first.seq())).isTrue();
            assertThat(s.ack(first.seq())).isFalse();
            assertThat(topics(s)).containsExactly("e1", "e2", "t1", "t2");
        }
    }

    @Test
    void concurrentPublishersShareSyncsAndKeepTheirOwnOrder() throws Exception {
        int threads = 8;
        int perThread = 150;
        List<List<Long>> seqsByThread = new java.util.ArrayList<>();
        try (MessageStore s = open(100_000, 1L << 30, Duration.ZERO)) {
            List<Thread> workers = new java.util.ArrayList<>();
            java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
            for (int t = 0; t < threads; t++) {
                List<Long> mine = new java.util.ArrayList<>();
                seqsByThread.add(mine);
                String name = "p" + t;
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            mine.add(s.put(msg(name + "/" + i, MessagePriority.EVENT)).seq());
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                workers.add(w);
                w.start();
            }
            for (Thread w : workers) {
                w.join();
            }
            assertThat(failures).isEmpty();
            assertThat(s.size()).isEqualTo(threads * perThread);
            // group commit: fewer syncs than messages (eight threads cannot all have waited for each other)
            assertThat(s.durablePoints()).isPositive().isLessThan(threads * perThread);
            // all returned, so all durable: every one is offered for sending
            Set<Long> inFlight = new java.util.HashSet<>();
            for (int i = 0; i < threads * perThread; i++) {
                inFlight.add(s.next(inFlight).orElseThrow().seq());
            }
            assertThat(s.next(inFlight)).isEmpty();
        }
        try (MessageStore s = open(100_000, 1L << 30, Duration.ZERO)) {
            List<String> topics = topics(s);
            assertThat(topics).hasSize(threads * perThread);
            for (int t = 0; t < threads; t++) {
                // each thread's messages are stored in the order it published them
                assertThat(seqsByThread.get(t)).isSorted().hasSize(perThread);
                String prefix = "p" + t + "/";
                assertThat(topics.stream().filter(x -> x.startsWith(prefix)).toList())
                        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, perThread).mapToObj(i -> prefix + i).toList());
            }
        }
    }

    @Test
    void survivesReopenWithPayloadQosRetainAndSequence() throws Exception {
        long seq;
        try (MessageStore s = open(100, 1 << 20, Duration.ZERO)) {
            s.put(new CloudMessage("a/b", new byte[] { 0, 1, 2, (byte) 255 }, 1, true, MessagePriority.EVENT));
            seq = s.put(msg("gone", MessagePriority.TELEMETRY)).seq();
            s.ack(seq);
        }
        try (MessageStore s = open(100, 1 << 20, Duration.ZERO)) {
            StoredMessage m = s.contents().get(0);
            assertThat(s.size()).isEqualTo(1);
            assertThat(m.message().topic()).isEqualTo("a/b");
            assertThat(m.message().payload()).containsExactly(0, 1, 2, 255);
            assertThat(m.message().qos()).isEqualTo(1);
            assertThat(m.message().retain()).isTrue();
            // sequence numbers are never reused, even for a message acknowledged before the restart
            assertThat(s.put(msg("new", MessagePriority.EVENT)).seq()).isGreaterThan(seq);
        }
    }

    @Test
    void fullStoreDropsOldestTelemetryThenOldestEventNeverLifecycle() throws Exception {
        try (MessageStore s = open(4, 1 << 20, Duration.ZERO)) {
            s.put(msg("t1", MessagePriority.TELEMETRY));
            s.put(msg("e1", MessagePriority.EVENT));
            s.put(msg("t2", MessagePriority.TELEMETRY));
            s.put(msg("l1", MessagePriority.LIFECYCLE));
            s.put(msg("e2", MessagePriority.EVENT));
            assertThat(topics(s)).containsExactly("l1", "e1", "e2", "t2");
            s.put(msg("l2", MessagePriority.LIFECYCLE));
            assertThat(topics(s)).containsExactly("l1", "l2", "e1", "e2");
            s.put(msg("l3", MessagePriority.LIFECYCLE));
            assertThat(topics(s)).containsExactly("l1", "l2", "l3", "e2");
            // telemetry may not push out an event: refused, and nothing else changes
            assertThatThrownBy(() -> s.put(msg("t3", MessagePriority.TELEMETRY))).isInstanceOf(StoreFullException.class);
            s.put(msg("l4", MessagePriority.LIFECYCLE));
            assertThat(topics(s)).containsExactly("l1", "l2", "l3", "l4");
            assertThatThrownBy(() -> s.put(msg("l5", MessagePriority.LIFECYCLE))).isInstanceOf(StoreFullException.class)
                    .hasMessageContaining("full");
            assertThatThrownBy(() -> s.put(msg("e3", MessagePriority.EVENT))).isInstanceOf(StoreFullException.class);
            assertThat(topics(s)).containsExactly("l1", "l2", "l3", "l4");
            MessageStore.Stats stats = s.stats();
            assertThat(stats.dropped()).containsEntry(MessagePriority.TELEMETRY, 2L).containsEntry(MessagePriority.EVENT, 2L)
                    .containsEntry(MessagePriority.LIFECYCLE, 0L);
            assertThat(stats.refused()).containsEntry(MessagePriority.TELEMETRY, 1L).containsEntry(MessagePriority.LIFECYCLE, 1L)
                    .containsEntry(MessagePriority.EVENT, 1L);
        }
    }

    @Test
    void byteCapacityCountsTooAndAMessageBiggerThanTheStoreIsRefused() throws Exception {
        try (MessageStore s = open(1000, 2048, Duration.ZERO)) {
            byte[] kb = new byte[900];
            s.put(new CloudMessage("t1", kb, 0, false, MessagePriority.TELEMETRY));
            s.put(new CloudMessage("t2", kb, 0, false, MessagePriority.TELEMETRY));
            s.put(new CloudMessage("e1", kb, 1, false, MessagePriority.EVENT));
            assertThat(topics(s)).containsExactly("e1", "t2");
            assertThat(s.bytes()).isLessThanOrEqualTo(2048);
            assertThatThrownBy(() -> s.put(new CloudMessage("big", new byte[4096], 1, false, MessagePriority.LIFECYCLE)))
                    .isInstanceOf(StoreFullException.class).hasMessageContaining("larger than the whole store");
            assertThat(topics(s)).containsExactly("e1", "t2");
        }
    }

    @Test
    void oldTelemetryAndEventsExpireLifecycleDoesNot() throws Exception {
        try (MessageStore s = open(100, 1 << 20, Duration.ofHours(1))) {
            s.put(msg("t1", MessagePriority.TELEMETRY));
            s.put(msg("e1", MessagePriority.EVENT));
            s.put(msg("l1", MessagePriority.LIFECYCLE));
            clock.advance(Duration.ofMinutes(30));
            s.put(msg("t2", MessagePriority.TELEMETRY));
            clock.advance(Duration.ofMinutes(31));
            s.expire();
            assertThat(topics(s)).containsExactly("l1", "t2");
            assertThat(s.stats().expired()).containsEntry(MessagePriority.TELEMETRY, 1L).containsEntry(MessagePriority.EVENT, 1L);
            assertThat(s.stats().oldestAge()).contains(Duration.ofMinutes(61));
        }
    }

    @Test
    void unreadableFileIsSetAsideAndTheStoreStartsEmpty() throws Exception {
        Path file = dir.resolve("outbox.mv.db");
        Files.write(file, "this is not an MVStore file, just text that happens to be here".repeat(100).getBytes());
        try (MessageStore s = open(10, 1 << 20, Duration.ZERO)) {
            assertThat(s.size()).isZero();
            assertThat(s.stats().recovery()).contains("could not be read");
            s.put(msg("l1", MessagePriority.LIFECYCLE));
            assertThat(topics(s)).containsExactly("l1");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("outbox.mv.db.damaged-"));
        }
    }
}
