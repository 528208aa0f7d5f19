package org.fusebox.cloud.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.MessagePriority;
import org.fusebox.testing.MutableClock;

/** For any sequence of puts, acknowledgements, ageing and restarts, the order and the drop rules hold. */
class MessageStoreProperties {

    sealed interface Op permits Put, Ack, Age, Reopen {
    }

    record Put(MessagePriority priority, int size) implements Op {
    }

    /** Acknowledges the n-th message in send order (modulo the count), as the sender would after sending it. */
    record Ack(int n) implements Op {
    }

    record Age(int minutes) implements Op {
    }

    record Reopen() implements Op {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> put = Arbitraries.of(MessagePriority.class).flatMap(p -> Arbitraries.integers().between(0, 300)
                .map(size -> (Op) new Put(p, size)));
        Arbitrary<Op> ack = Arbitraries.integers().between(0, 5).map(n -> (Op) new Ack(n));
        Arbitrary<Op> age = Arbitraries.integers().between(1, 40).map(m -> (Op) new Age(m));
        Arbitrary<Op> reopen = Arbitraries.just((Op) new Reopen());
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(10, put), net.jqwik.api.Tuple.of(3, ack),
                net.jqwik.api.Tuple.of(1, age), net.jqwik.api.Tuple.of(1, reopen)).list().ofMaxSize(60);
    }

    @Property(tries = 150)
    void orderAndDropRulesHold(@ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 1, max = 12) int maxMessages,
            @ForAll @IntRange(min = 400, max = 3000) int maxBytes) throws Exception {
        Path dir = Files.createTempDirectory("store-prop");
        Path file = dir.resolve("outbox.mv.db");
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        MessageStore.Limits limits = new MessageStore.Limits(maxMessages, maxBytes, Duration.ofHours(1));
        MessageStore store = new MessageStore(file, limits, clock, false);
        // lifecycle messages accepted and not yet acknowledged: they must all still be there
        Set<Long> lifecycleOwed = new HashSet<>();
        try {
            for (Op op : ops) {
                List<StoredMessage> before = store.contents();
                if (op instanceof Put put) {
                    CloudMessage m = new CloudMessage("t", new byte[put.size()], 1, false, put.priority());
                    long beforeEvents = count(before, MessagePriority.EVENT);
                    StoredMessage stored;
                    try {
                        stored = store.put(m);
                    } catch (StoreFullException refused) {
                        // a refusal changes nothing, and only happens when the policy could not make room
                        assertThat(seqs(store.contents())).isEqualTo(seqs(before));
                        continue;
                    }
                    if (put.priority() == MessagePriority.LIFECYCLE) {
                        lifecycleOwed.add(stored.seq());
                    }
                    List<StoredMessage> after = store.contents();
                    Set<Long> afterSeqs = new HashSet<>(seqs(after));
                    List<StoredMessage> gone = before.stream().filter(b -> !afterSeqs.contains(b.seq())).toList();
                    for (StoredMessage g : gone) {
                        // never lifecycle; never more important than the newcomer
                        assertThat(g.priority()).isNotEqualTo(MessagePriority.LIFECYCLE);
                        assertThat(g.priority().ordinal()).isGreaterThanOrEqualTo(put.priority().ordinal());
                        // the oldest of its priority went first
                        assertThat(after.stream().filter(a -> a.priority() == g.priority() && a.seq() != stored.seq())
                                .allMatch(a -> a.seq() > g.seq())).isTrue();
                    }
                    // an event goes only once no telemetry is left to drop
                    if (gone.stream().anyMatch(g -> g.priority() == MessagePriority.EVENT)) {
                        assertThat(count(after, MessagePriority.TELEMETRY)).isZero();
                        assertThat(count(after, MessagePriority.EVENT)).isLessThanOrEqualTo(beforeEvents);
                    }
                } else if (op instanceof Ack ack) {
                    if (!before.isEmpty()) {
                        StoredMessage m = before.get(ack.n() % before.size());
                        assertThat(store.ack(m.seq())).isTrue();
                        lifecycleOwed.remove(m.seq());
                    }
                } else if (op instanceof Age age) {
                    clock.advance(Duration.ofMinutes(age.minutes()));
                    store.expire();
                    List<StoredMessage> after = store.contents();
                    long oldestAllowed = clock.millis() - Duration.ofHours(1).toMillis();
                    assertThat(after).allMatch(m -> m.priority() == MessagePriority.LIFECYCLE || m.enqueuedAt() >= oldestAllowed);
                } else if (op instanceof Reopen) {
                    store.close();
                    store = new MessageStore(file, limits, clock, false);
                    assertThat(seqs(store.contents())).isEqualTo(seqs(before));
                }
                List<StoredMessage> now = store.contents();
                // send order: priority, then sequence
                assertThat(now).isSortedAccordingTo(Comparator.comparing(StoredMessage::priority)
                        .thenComparingLong(StoredMessage::seq));
                assertThat(now.size()).isLessThanOrEqualTo(maxMessages);
                assertThat(store.bytes()).isLessThanOrEqualTo(maxBytes);
                assertThat(seqs(now)).containsAll(lifecycleOwed);
            }
        } finally {
            store.close();
            try (var files = Files.list(dir)) {
                for (Path f : files.collect(Collectors.toList())) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static List<Long> seqs(List<StoredMessage> l) {
        return l.stream().map(StoredMessage::seq).toList();
    }

    private static long count(List<StoredMessage> l, MessagePriority p) {
        return l.stream().filter(m -> m.priority() == p).count();
    }
}
