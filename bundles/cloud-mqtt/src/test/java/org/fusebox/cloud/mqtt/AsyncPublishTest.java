package org.fusebox.cloud.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.fusebox.api.cloud.CloudException;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.MessagePriority;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.fusebox.testing.MutableClock;

/**
 * {@code publishAsync}: on the store (order, completion only after the sync, refusals, back-pressure, close) and
 * through the link against the embedded Moquette broker. The kill -9 proof is in {@link PowerCutTest}.
 */
class AsyncPublishTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private MessageStore open(long maxMessages, int maxPending) throws Exception {
        MessageStore s = new MessageStore(dir.resolve("outbox.mv.db"), new MessageStore.Limits(maxMessages, 1L << 30, Duration.ZERO),
                clock, true, maxPending, 1L << 30);
        toClose.add(s);
        return s;
    }

    private static CloudMessage msg(String topic, MessagePriority p) {
        return MessageStoreTest.msg(topic, p);
    }

    /** A gate the syncer waits at between a group's commit and its sync. */
    private static final class SyncGate implements Runnable {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);

        @Override
        public void run() {
            reached.countDown();
            try {
                if (!open.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void oneProducersStagesCompleteInCallOrderAndTheStoreKeepsPriorityThenCallOrder() throws Exception {
        ConcurrentLinkedQueue<String> completions = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<StoredMessage>> futures = new ArrayList<>();
        List<String> expectedTopics = new ArrayList<>();
        MessagePriority[] cycle = { MessagePriority.TELEMETRY, MessagePriority.EVENT, MessagePriority.LIFECYCLE };
        try (MessageStore s = new MessageStore(dir.resolve("outbox.mv.db"),
                new MessageStore.Limits(100_000, 1L << 30, Duration.ZERO), clock)) {
            for (int i = 0; i < 3000; i++) {
                String topic = "o/" + i;
                expectedTopics.add(topic);
                CompletableFuture<StoredMessage> f = s.append(msg(topic, cycle[i % 3]));
                f.thenAccept(m -> completions.add(m.message().topic()));
                futures.add(f);
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            // sequence numbers follow the calls; stages completed in that order
            List<Long> seqs = futures.stream().map(CompletableFuture::join).map(StoredMessage::seq).toList();
            assertThat(seqs).isSorted().doesNotHaveDuplicates();
            TestBroker.await("every completion callback", 30, () -> completions.size() == 3000);
            assertThat(completions).containsExactlyElementsOf(expectedTopics);
            // many messages per sync: the point of it
            assertThat(s.durablePoints()).isPositive().isLessThan(3000);
            assertThat(s.durableMessages()).isEqualTo(3000);
        }
        try (MessageStore s = new MessageStore(dir.resolve("outbox.mv.db"),
                new MessageStore.Limits(100_000, 1L << 30, Duration.ZERO), clock)) {
            List<String> stored = s.contents().stream().map(m -> m.message().topic()).toList();
            List<String> expected = new ArrayList<>();
            for (MessagePriority p : MessagePriority.values()) {
                for (int i = 0; i < 3000; i++) {
                    if (cycle[i % 3] == p) {
                        expected.add("o/" + i);
                    }
                }
            }
            assertThat(stored).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aStageCompletesOnlyAfterTheSyncThatCoversItsMessage() throws Exception {
        MessageStore s = open(1000, 1000);
        SyncGate gate = new SyncGate();
        s.beforeSync(gate);
        CompletableFuture<StoredMessage> first = s.append(msg("a", MessagePriority.EVENT));
        assertThat(gate.reached.await(30, TimeUnit.SECONDS)).isTrue();
        // committed, not yet synced: neither completed nor offered for sending
        CompletableFuture<StoredMessage> second = s.append(msg("b", MessagePriority.EVENT));
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        assertThat(s.durablePoints()).isZero();
        assertThat(s.next(Set.of())).isEmpty();
        assertThat(s.pending()).isEqualTo(2);

        s.beforeSync(() -> {
        });
        gate.open.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS).message().topic()).isEqualTo("a");
        assertThat(s.durablePoints()).isPositive();
        assertThat(s.next(Set.of())).map(m -> m.message().topic()).contains("a");
        assertThat(second.get(30, TimeUnit.SECONDS).seq()).isGreaterThan(first.join().seq());
        TestBroker.await("nothing pending", 30, () -> s.pending() == 0);
    }

    @Test
    void aFullStoreRefusesAtOnceAndDropsNothing() throws Exception {
        MessageStore s = open(2, 1000);
        s.append(msg("l1", MessagePriority.LIFECYCLE));
        s.append(msg("l2", MessagePriority.LIFECYCLE)).get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> s.append(msg("l3", MessagePriority.LIFECYCLE))).isInstanceOf(StoreFullException.class)
                .hasMessageContaining("full");
        assertThat(s.contents()).extracting(m -> m.message().topic()).containsExactly("l1", "l2");
        assertThat(s.stats().refused()).containsEntry(MessagePriority.LIFECYCLE, 1L);
    }

    @Test
    void closeMakesEveryAppendedMessageDurableThenRefusesNewOnes() throws Exception {
        Path file = dir.resolve("outbox.mv.db");
        MessageStore s = new MessageStore(file, new MessageStore.Limits(1000, 1L << 30, Duration.ZERO), clock);
        SyncGate gate = new SyncGate();
        s.beforeSync(gate);
        List<CompletableFuture<StoredMessage>> futures = new ArrayList<>();
        futures.add(s.append(msg("c0", MessagePriority.EVENT)));
        assertThat(gate.reached.await(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < 5; i++) {
            futures.add(s.append(msg("c" + i, MessagePriority.EVENT)));
        }
        Thread closer = new Thread(s::close, "closer");
        closer.start();
        // close refuses new messages at once, then waits for the syncer
        TestBroker.await("close to wait for the syncer", 30, () -> closer.getState() == Thread.State.WAITING);
        assertThatThrownBy(() -> s.append(msg("late", MessagePriority.EVENT))).isInstanceOf(StoreClosedException.class);
        assertThat(futures).noneMatch(CompletableFuture::isDone);
        s.beforeSync(() -> {
        });
        gate.open.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(closer.isAlive()).isFalse();
        // close returned only after every stage completed, normally
        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        try (MessageStore again = new MessageStore(file, new MessageStore.Limits(1000, 1L << 30, Duration.ZERO), clock)) {
            assertThat(again.contents()).extracting(m -> m.message().topic()).containsExactly("c0", "c1", "c2", "c3", "c4");
        }
    }

    @Test
    void whenTheBoundOfPendingMessagesIsReachedAppendWaitsForASyncAndAnInterruptRefuses() throws Exception {
        MessageStore s = open(1000, 2);
        SyncGate gate = new SyncGate();
        s.beforeSync(gate);
        CompletableFuture<StoredMessage> a = s.append(msg("a", MessagePriority.EVENT));
        assertThat(gate.reached.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<StoredMessage> b = s.append(msg("b", MessagePriority.EVENT));

        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread blocked = new Thread(() -> {
            try {
                outcome.set(s.append(msg("c", MessagePriority.EVENT)));
            } catch (CloudException e) {
                outcome.set(e);
            }
        }, "blocked-producer");
        blocked.start();
        TestBroker.await("the third producer to wait for room", 30, () -> blocked.getState() == Thread.State.WAITING);
        assertThat(outcome.get()).isNull();

        // an interrupt while waiting: refused, nothing stored, the interrupt is kept
        AtomicReference<Object> interrupted = new AtomicReference<>();
        Thread impatient = new Thread(() -> {
            try {
                interrupted.set(s.append(msg("never", MessagePriority.EVENT)));
            } catch (CloudException e) {
                interrupted.set(List.of(e, Thread.currentThread().isInterrupted()));
            }
        }, "impatient-producer");
        impatient.start();
        TestBroker.await("the fourth producer to wait for room", 30, () -> impatient.getState() == Thread.State.WAITING);
        impatient.interrupt();
        impatient.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(interrupted.get()).isInstanceOf(List.class);
        List<?> refusal = (List<?>) interrupted.get();
        assertThat((Throwable) refusal.get(0)).isInstanceOf(CloudException.class).hasMessageContaining("not stored");
        assertThat(refusal.get(1)).isEqualTo(true);

        s.beforeSync(() -> {
        });
        gate.open.countDown();
        blocked.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(outcome.get()).isInstanceOf(CompletableFuture.class);
        @SuppressWarnings("unchecked")
        CompletableFuture<StoredMessage> c = (CompletableFuture<StoredMessage>) outcome.get();
        assertThat(c.get(30, TimeUnit.SECONDS).message().topic()).isEqualTo("c");
        assertThat(a.join().seq()).isLessThan(b.join().seq()).isLessThan(c.join().seq());
        assertThat(s.contents()).extracting(m -> m.message().topic()).containsExactly("a", "b", "c");
    }

    @Test
    void aCompletionCallbackMayPublishAndWaitWithoutDeadlock() throws Exception {
        MessageStore s = open(1000, 1000);
        CompletableFuture<StoredMessage> second = s.append(msg("first", MessagePriority.EVENT)).thenApply(first -> {
            try {
                // runs on the store's completion thread; the blocking put waits on the syncer, not on that thread
                return s.put(msg("after " + first.message().topic(), MessagePriority.EVENT));
            } catch (CloudException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        assertThat(second.get(30, TimeUnit.SECONDS).message().topic()).isEqualTo("after first");
        assertThat(s.contents()).extracting(m -> m.message().topic()).containsExactly("first", "after first");
    }

    // ---- through the link ------------------------------------------------------------------------

    private CloudMqttComponent component() {
        CloudMqttComponent c = new CloudMqttComponent(Clock.systemUTC(), () -> Map.of("fusebox-cloud-mqtt", "0.1.0.TEST"), dir);
        toClose.add(c::deactivate);
        return c;
    }

    private static Throwable failureOf(CompletionStage<String> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the stage completed normally");
    }

    @Test
    void theLinkRefusesWithAnExceptionalStageBeforeConfigurationWhenFullAndAfterClose() throws Exception {
        CloudMqttComponent c = component();
        assertThat(failureOf(c.publishAsync(msg("x", MessagePriority.EVENT)))).isInstanceOf(CloudException.class)
                .hasMessageContaining("no valid configuration");

        // a broker nobody listens on: everything stays queued
        c.configure(TestConfig.of("tcp://127.0.0.1:" + TcpProxy.freePort(), "gwa", dir.resolve("gwa.mv.db").toString())
                .withCapacity(2));
        assertThat(c.publishAsync(msg("l1", MessagePriority.LIFECYCLE)).toCompletableFuture().get(30, TimeUnit.SECONDS))
                .isNotBlank();
        assertThat(c.publishAsync(msg("l2", MessagePriority.LIFECYCLE)).toCompletableFuture().get(30, TimeUnit.SECONDS))
                .isNotBlank();
        assertThat(failureOf(c.publishAsync(msg("l3", MessagePriority.LIFECYCLE)))).isInstanceOf(CloudException.class)
                .hasMessageContaining("full");
        assertThat(c.link().stats().orElseThrow().refused()).containsEntry(MessagePriority.LIFECYCLE, 1L);

        c.deactivate();
        assertThat(failureOf(c.publishAsync(msg("e", MessagePriority.EVENT)))).isInstanceOf(CloudException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void manyAsyncMessagesAllArriveAtTheBrokerInOrderPerPriority() throws Exception {
        TestBroker broker = new TestBroker(TcpProxy.freePort()).start().observe("fusebox/gwm/#");
        toClose.add(broker);
        CloudMqttComponent c = component();
        c.configure(TestConfig.of("tcp://127.0.0.1:" + broker.port, "gwm", dir.resolve("gwm.mv.db").toString()));
        TestBroker.await("connected", 30, c::isConnected);
        int n = 3000;
        List<CompletionStage<String>> stages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            MessagePriority p = i % 10 == 0 ? MessagePriority.LIFECYCLE : MessagePriority.EVENT;
            stages.add(c.publishAsync(new CloudMessage("m/" + p.name().toLowerCase() + "/" + i,
                    ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8), 1, false, p)));
        }
        Set<String> ids = new HashSet<>();
        for (CompletionStage<String> s : stages) {
            ids.add(s.toCompletableFuture().get(60, TimeUnit.SECONDS));
        }
        assertThat(ids).hasSize(n);
        TestBroker.await("all " + n + " messages at the observer", 120, () -> broker.on("fusebox/gwm/m/").size() >= n);
        List<TestBroker.Received> got = broker.on("fusebox/gwm/m/");
        assertThat(got).hasSize(n);
        for (String priority : List.of("lifecycle", "event")) {
            List<Integer> order = got.stream().filter(r -> r.topic().startsWith("fusebox/gwm/m/" + priority + "/"))
                    .map(r -> Integer.parseInt(r.topic().substring(r.topic().lastIndexOf('/') + 1))).toList();
            assertThat(order).as(priority).hasSize(priority.equals("lifecycle") ? n / 10 : n - n / 10).isSorted();
        }
        assertThat(got).allMatch(r -> r.payload().equals("{\"i\":" + r.topic().substring(r.topic().lastIndexOf('/') + 1) + "}"));
        TestBroker.await("the store to drain", 30, () -> c.link().stats().orElseThrow().total() == 0);
    }
}
