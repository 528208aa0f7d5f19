package org.fusebox.cloud.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.MessagePriority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a JVM that is appending to the store, then checks that every message it was told was stored
 * is there, intact and in order, and that the store takes new messages. Several rounds on the same file, with
 * one publishing thread and with several (whose messages share commits and syncs), and with producers that
 * append without waiting (a message counts as told once its future completed).
 */
class PowerCutTest {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageSurvivesAKillMidWrite() throws Exception {
        killRounds(1, 4, 40, 37);
    }

    @Test
    void everyConcurrentPublisherFindsItsAcknowledgedMessagesAfterAKill() throws Exception {
        killRounds(8, 3, 300, 111);
    }

    @Test
    void everyMessageWhoseAsyncStageCompletedSurvivesAKillWithManyStillPending() throws Exception {
        // thousands acknowledged before the kill, with thousands more appended and not yet synced
        killRounds(1, 4, 5_000, 3_001, true);
    }

    @Test
    void severalAsyncProducersFindTheirCompletedMessagesAfterAKill() throws Exception {
        killRounds(3, 3, 4_000, 2_999, true);
    }

    private void killRounds(int threads, int rounds, int firstKillAfter, int moreEachRound) throws Exception {
        killRounds(threads, rounds, firstKillAfter, moreEachRound, false);
    }

    private void killRounds(int threads, int rounds, int firstKillAfter, int moreEachRound, boolean async) throws Exception {
        Path file = dir.resolve("outbox.mv.db");
        long lastIndexBefore = -1;
        for (int round = 0; round < rounds; round++) {
            List<long[]> acked = runAndKill(file, threads, firstKillAfter + round * moreEachRound, async);
            assertThat(acked).as("round %d wrote something before the kill", round).isNotEmpty();
            try (MessageStore store = new MessageStore(file, new MessageStore.Limits(10_000_000, 1L << 40, Duration.ZERO),
                    Clock.systemUTC())) {
                List<StoredMessage> contents = store.contents();
                assertThat(store.stats().recovery()).as("no damage found on reopening").isEmpty();
                // every acknowledged message is there with its exact payload
                java.util.Map<Long, StoredMessage> bySeq = new java.util.HashMap<>();
                contents.forEach(m -> bySeq.put(m.seq(), m));
                for (long[] a : acked) {
                    StoredMessage m = bySeq.get(a[0]);
                    assertThat(m).as("acknowledged seq %d (message %d) after round %d", a[0], a[1], round).isNotNull();
                    assertThat(m.message().topic()).isEqualTo("power/" + a[1]);
                    assertThat(m.message().payload()).isEqualTo(StoreWriterMain.payload(a[1]));
                }
                // in order: sequence order is send order within a priority
                List<Long> seqs = contents.stream().map(StoredMessage::seq).toList();
                assertThat(seqs).isSorted().doesNotHaveDuplicates();
                // each publishing thread's messages are numbered in the order it published them
                java.util.Map<Long, Long> lastSeqOfThread = new java.util.HashMap<>();
                java.util.Map<Long, Long> lastNumberOfThread = new java.util.HashMap<>();
                for (long[] a : acked) {
                    Long previous = lastSeqOfThread.put(a[2], a[0]);
                    assertThat(previous == null || previous < a[0]).as("thread %d: seq %d after %d", a[2], a[0], previous)
                            .isTrue();
                    Long previousNumber = lastNumberOfThread.put(a[2], a[1]);
                    assertThat(previousNumber == null || previousNumber < a[1])
                            .as("thread %d: message %d acknowledged after %d", a[2], a[1], previousNumber).isTrue();
                }
                if (async && threads == 1) {
                    // one producer that never waited: what it was told is a gap-free prefix of what it published
                    for (int k = 0; k < acked.size(); k++) {
                        assertThat(acked.get(k)[1]).as("acknowledgement %d", k).isEqualTo(k);
                    }
                }
                long maxAckedSeq = acked.stream().mapToLong(a -> a[0]).max().orElseThrow();
                assertThat(seqs.get(seqs.size() - 1)).isGreaterThanOrEqualTo(maxAckedSeq);
                StoredMessage fresh = store.put(new CloudMessage("after/" + round, new byte[] { 42 }, 1, false,
                        MessagePriority.LIFECYCLE));
                assertThat(fresh.seq()).isGreaterThan(seqs.get(seqs.size() - 1));
                store.ack(fresh.seq());
                assertThat(lastIndexBefore).isLessThan(maxAckedSeq);
                lastIndexBefore = maxAckedSeq;
            }
        }
    }

    /**
     * Starts the writer, waits until it has acknowledged {@code atLeast} messages, kills it, returns what it
     * acknowledged: {seq, message number, thread} in the order it printed them.
     */
    private List<long[]> runAndKill(Path file, int threads, int atLeast, boolean async) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                StoreWriterMain.class.getName(), file.toString(), Integer.toString(threads), async ? "async" : "sync");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        List<long[]> acked = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    String[] parts = line.split(" ");
                    acked.add(new long[] { Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]) });
                    if (acked.size() >= atLeast) {
                        // killed while it is in the middle of the next writes
                        p.destroyForcibly();
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
            }
            // destroyForcibly closes our end of its output: lines printed after the kill decision are not
            // counted, which can only make the check weaker for them, never wrong
        } finally {
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        return acked;
    }
}
