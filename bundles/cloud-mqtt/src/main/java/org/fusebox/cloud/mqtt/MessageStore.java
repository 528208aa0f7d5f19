package org.fusebox.cloud.mqtt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.fusebox.api.cloud.CloudException;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.MessagePriority;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, bounded queue of outgoing messages on an H2 MVStore file.
 *
 * <p>{@link #put} commits and syncs the file before it returns, so an accepted message survives a crash
 * or a power cut. Concurrent callers share that work (group commit): each appends its message under the
 * lock, and one of them, the leader, commits everything appended so far and then forces the file with the
 * lock released, so that the next group gathers meanwhile. Each caller returns only once a sync that covers
 * its message has completed; a failed commit or sync fails every caller of that group. A message is offered
 * for sending ({@link #next}) only once it is durable.
 *
 * <p>Messages leave in priority order (LIFECYCLE, EVENT, TELEMETRY), then in the order they were accepted,
 * and only through {@link #ack} or the drop policy:
 * <ul>
 * <li>by age: TELEMETRY and EVENT older than the maximum age are dropped; LIFECYCLE never expires;</li>
 * <li>by capacity: a new message may push out stored ones of its own or a lower priority, the oldest
 * TELEMETRY first, then the oldest EVENT; LIFECYCLE is never pushed out. When that cannot make room the
 * new message is refused and nothing is dropped.</li>
 * </ul>
 * An acknowledgement removes the message but does not sync. It is committed with the next group of messages,
 * or on its own once 200 ms have passed since the last commit, because each commit writes a chunk under the
 * lock that publishers need: a crash before that can only send those messages again (at least once), never
 * lose one.
 */
final class MessageStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class);

    /** Capacity; {@code maxAge} zero means no age limit. */
    record Limits(long maxMessages, long maxBytes, Duration maxAge) {
        Limits {
            if (maxMessages < 1 || maxBytes < 1 || maxAge.isNegative()) {
                throw new IllegalArgumentException("limits must be positive: " + maxMessages + " messages, " + maxBytes
                        + " bytes, age " + maxAge);
            }
        }
    }

    /** Counters and depth, for health. */
    record Stats(Map<MessagePriority, Integer> depth, long bytes, Optional<Duration> oldestAge,
            Map<MessagePriority, Long> dropped, Map<MessagePriority, Long> expired, Map<MessagePriority, Long> refused,
            long lastLossAtMillis, String recovery) {

        int total() {
            return depth.values().stream().mapToInt(Integer::intValue).sum();
        }

        long lost() {
            return dropped.values().stream().mapToLong(Long::longValue).sum()
                    + expired.values().stream().mapToLong(Long::longValue).sum()
                    + refused.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private record Entry(long seq, int size, long enqueuedAt) {
    }

    /** Messages appended since the last commit; they become durable together. Guarded by the store's lock. */
    private static final class Group {
        /** The highest sequence number in the group, set when its leader takes it. */
        private long lastSeq;
        private boolean done;
        private RuntimeException failure;
    }

    private static final String NEXT_SEQ = "nextSeq";
    private static final long ACK_COMMIT_NANOS = 200_000_000L;

    private final Path file;
    private final Clock clock;
    private final boolean sync;
    private Limits limits;
    private final MVStore store;
    private final MVMap<Long, byte[]> messages;
    private final MVMap<String, Long> meta;
    private final Map<MessagePriority, TreeMap<Long, Entry>> index = new EnumMap<>(MessagePriority.class);
    private final Map<MessagePriority, Long> dropped = counters();
    private final Map<MessagePriority, Long> expired = counters();
    private final Map<MessagePriority, Long> refused = counters();
    private long lastLossAt;
    private long bytes;
    private long nextSeq;
    private String recovery = "";
    private boolean closed;
    /** The group new messages join. */
    private Group open = new Group();
    private boolean openHasMessages;
    /** A leader is forcing the file to disk with the lock released. */
    private boolean syncing;
    /** Messages up to this sequence number are synced (or were on disk when opened) and may be sent. */
    private long durableThrough;
    private boolean uncommittedAcks;
    /** Completed group syncs, for the benchmark's messages per sync. */
    private long durablePoints;
    private long lastCommitAt = System.nanoTime();

    /** A store that syncs every accepted message to disk. */
    MessageStore(Path file, Limits limits, Clock clock) throws IOException {
        this(file, limits, clock, true);
    }

    /**
     * @param sync whether {@link #put} forces the file to disk; only tests of the policy turn it off
     * @throws IOException when the file cannot be created or opened
     */
    MessageStore(Path file, Limits limits, Clock clock, boolean sync) throws IOException {
        this.file = file.toAbsolutePath();
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = clock;
        this.sync = sync;
        for (MessagePriority p : MessagePriority.values()) {
            index.put(p, new TreeMap<>());
        }
        Path parent = this.file.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.store = openOrSetAside(this.file);
        this.messages = store.openMap("messages");
        this.meta = store.openMap("meta");
        load();
    }

    /** A file MVStore cannot read is kept aside for inspection and a new one started, rather than refusing to run. */
    private MVStore openOrSetAside(Path path) throws IOException {
        try {
            return open(path);
        } catch (RuntimeException e) {
            if (!Files.exists(path)) {
                throw new IOException("cannot create the message store " + path + ": " + e.getMessage(), e);
            }
            Path aside = path.resolveSibling(path.getFileName() + ".damaged-" + clock.millis());
            Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
            recovery = "store file " + path + " could not be read (" + e.getMessage() + "); kept as " + aside
                    + ", started empty";
            LOG.error(recovery);
            try {
                return open(path);
            } catch (RuntimeException again) {
                throw new IOException("cannot create the message store " + path + ": " + again.getMessage(), again);
            }
        }
    }

    private static MVStore open(Path path) {
        // no background thread: every change is committed by the caller, so nothing is written half-way
        return new MVStore.Builder().fileName(path.toString()).autoCommitDisabled().open();
    }

    private void reindex() {
        index.values().forEach(TreeMap::clear);
        bytes = 0;
        load();
    }

    private void load() {
        long maxSeq = 0;
        List<Long> damaged = new ArrayList<>();
        for (Map.Entry<Long, byte[]> e : messages.entrySet()) {
            long seq = e.getKey();
            maxSeq = Math.max(maxSeq, seq);
            try {
                StoredMessage m = StoredMessage.decode(seq, e.getValue());
                index.get(m.priority()).put(seq, new Entry(seq, e.getValue().length, m.enqueuedAt()));
                bytes += e.getValue().length;
            } catch (IllegalArgumentException bad) {
                damaged.add(seq);
                LOG.error("message store {}: {}; removed", file, bad.getMessage());
            }
        }
        if (!damaged.isEmpty()) {
            damaged.forEach(messages::remove);
            recovery = (recovery.isEmpty() ? "" : recovery + "; ") + damaged.size() + " damaged record(s) removed on open";
            store.commit();
        }
        Long stored = meta.get(NEXT_SEQ);
        nextSeq = Math.max(stored == null ? 1 : stored, maxSeq + 1);
        durableThrough = maxSeq;
    }

    Path file() {
        return file;
    }

    /** New limits apply from the next {@link #put} on. */
    synchronized void setLimits(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Stores a message durably, making room by the policy.
     *
     * @return the stored message with its sequence number
     * @throws StoreFullException when there is no room for it
     * @throws CloudException     when the store is closed or the file cannot be written
     */
    StoredMessage put(CloudMessage message) throws CloudException {
        StoredMessage stored;
        Group group;
        synchronized (this) {
            stored = append(message);
            group = open;
            openHasMessages = true;
        }
        awaitDurable(group);
        return stored;
    }

    /** Applies the policy and adds the message to the maps and the index; no I/O, nothing committed yet. */
    private StoredMessage append(CloudMessage message) throws CloudException {
        requireOpen();
        long now = clock.millis();
        StoredMessage stored = new StoredMessage(nextSeq, now, message);
        byte[] encoded = stored.encode();
        expireAged(now);
        MessagePriority p = message.priority();
        if (encoded.length > limits.maxBytes()) {
            refuse(p, now);
            throw new StoreFullException("message of " + encoded.length + " bytes on '" + message.topic()
                    + "' is larger than the whole store (" + limits.maxBytes() + " bytes)");
        }
        // count first what the policy may remove, so that a refusal drops nothing
        long freeableCount = 0;
        long freeableBytes = 0;
        for (MessagePriority victim : victimsFor(p)) {
            freeableCount += index.get(victim).size();
            freeableBytes += index.get(victim).values().stream().mapToLong(Entry::size).sum();
        }
        int count = size();
        if (count - freeableCount + 1 > limits.maxMessages() || bytes - freeableBytes + encoded.length > limits.maxBytes()) {
            refuse(p, now);
            throw new StoreFullException("message store full (" + count + " messages, " + bytes + " bytes): a " + p
                    + " message may only replace " + victimsFor(p) + " messages and there are not enough of them");
        }
        for (MessagePriority victim : victimsFor(p)) {
            TreeMap<Long, Entry> queue = index.get(victim);
            while (!queue.isEmpty() && (size() + 1 > limits.maxMessages() || bytes + encoded.length > limits.maxBytes())) {
                remove(victim, queue.firstKey());
                dropped.merge(victim, 1L, Long::sum);
                lastLossAt = now;
            }
        }
        try {
            messages.put(stored.seq(), encoded);
            meta.put(NEXT_SEQ, stored.seq() + 1);
        } catch (RuntimeException e) {
            // the uncommitted messages of the whole open group go with it
            Group group = takeOpenGroup();
            rollBack(group, e);
            throw failure(group.failure);
        }
        nextSeq++;
        index.get(p).put(stored.seq(), new Entry(stored.seq(), encoded.length, now));
        bytes += encoded.length;
        return stored;
    }

    /**
     * Returns once the group is durable: either some other caller is syncing it, or it is the open group and this
     * caller leads, committing it under the lock and forcing the file outside it. Not interruptible, because the
     * message is already appended and the caller must not be told anything before its fate is known; an
     * interrupt is kept for the caller.
     */
    private void awaitDurable(Group mine) throws CloudException {
        boolean interrupted = false;
        try {
            while (true) {
                Group leading;
                synchronized (this) {
                    while (!mine.done && syncing) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                    if (mine.done) {
                        break;
                    }
                    // nobody is syncing and mine is not done, so mine is the open group
                    leading = takeOpenGroup();
                    if (!commit(leading)) {
                        continue;
                    }
                    if (!sync) {
                        finish(leading, null);
                        continue;
                    }
                    syncing = true;
                }
                RuntimeException syncFailure = null;
                try {
                    store.sync();
                } catch (RuntimeException e) {
                    syncFailure = e;
                }
                synchronized (this) {
                    syncing = false;
                    if (syncFailure == null) {
                        durablePoints++;
                    }
                    finish(leading, syncFailure);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (mine.failure != null) {
            throw failure(mine.failure);
        }
    }

    /** Closes the open group to newcomers; they start the next one. */
    private Group takeOpenGroup() {
        Group group = open;
        group.lastSeq = nextSeq - 1;
        open = new Group();
        openHasMessages = false;
        return group;
    }

    /** Commits under the lock; on failure rolls the group back and reports it. */
    private boolean commit(Group group) {
        try {
            commitNow();
            return true;
        } catch (RuntimeException e) {
            rollBack(group, e);
            return false;
        }
    }

    /** What is on disk is the last commit: bring the maps and the index back to it so memory and disk agree. */
    private void rollBack(Group group, RuntimeException cause) {
        long seqBefore = nextSeq;
        long durableBefore = durableThrough;
        try {
            store.rollback();
            reindex();
        } finally {
            // numbers handed out to the failed group are not reused, and what was committed by the way
            // (an acknowledgement's commit) but never synced is not sent before a later sync covers it
            nextSeq = Math.max(nextSeq, seqBefore);
            durableThrough = durableBefore;
            finish(group, cause);
        }
    }

    private void finish(Group group, RuntimeException failure) {
        group.done = true;
        group.failure = failure;
        if (failure == null) {
            durableThrough = Math.max(durableThrough, group.lastSeq);
        }
        notifyAll();
    }

    private CloudException failure(RuntimeException cause) {
        return new CloudException("cannot write the message store " + file + ": " + cause.getMessage(), cause);
    }

    /** Only TELEMETRY and EVENT are ever pushed out, and only by a message at least as important. */
    private static List<MessagePriority> victimsFor(MessagePriority incoming) {
        return switch (incoming) {
            case LIFECYCLE, EVENT -> List.of(MessagePriority.TELEMETRY, MessagePriority.EVENT);
            case TELEMETRY -> List.of(MessagePriority.TELEMETRY);
        };
    }

    private void refuse(MessagePriority p, long now) {
        refused.merge(p, 1L, Long::sum);
        lastLossAt = now;
    }

    private void commitNow() {
        store.commit();
        uncommittedAcks = false;
        lastCommitAt = System.nanoTime();
    }

    /** Acknowledgements not committed for a while are committed now, even when no new message came to carry them. */
    private void commitAcksIfDue() {
        if (uncommittedAcks && System.nanoTime() - lastCommitAt >= ACK_COMMIT_NANOS) {
            commitNow();
        }
    }

    /** Drops TELEMETRY and EVENT older than the maximum age; also commits acknowledgements that are due. */
    synchronized void expire() {
        if (closed) {
            return;
        }
        if (expireAged(clock.millis()) > 0) {
            commitNow();
        } else {
            commitAcksIfDue();
        }
    }

    private int expireAged(long now) {
        if (limits.maxAge().isZero()) {
            return 0;
        }
        long oldestAllowed = now - limits.maxAge().toMillis();
        int n = 0;
        for (MessagePriority p : List.of(MessagePriority.TELEMETRY, MessagePriority.EVENT)) {
            TreeMap<Long, Entry> queue = index.get(p);
            // sequence order is acceptance order, so the oldest are at the head
            while (!queue.isEmpty() && queue.firstEntry().getValue().enqueuedAt() < oldestAllowed) {
                remove(p, queue.firstKey());
                expired.merge(p, 1L, Long::sum);
                lastLossAt = now;
                n++;
            }
        }
        return n;
    }

    private void remove(MessagePriority p, long seq) {
        Entry e = index.get(p).remove(seq);
        if (e != null) {
            messages.remove(seq);
            bytes -= e.size();
        }
    }

    /** The next message to send, skipping those already on their way. */
    synchronized Optional<StoredMessage> next(Set<Long> inFlight) {
        if (closed) {
            return Optional.empty();
        }
        for (MessagePriority p : MessagePriority.values()) {
            List<Long> damaged = new ArrayList<>();
            try {
                for (Long seq : index.get(p).headMap(durableThrough, true).keySet()) {
                    if (!inFlight.contains(seq)) {
                        try {
                            return Optional.of(read(seq));
                        } catch (IllegalArgumentException bad) {
                            // checked on open, so only a fault of the medium since then; it must not block the queue
                            damaged.add(seq);
                            recovery = bad.getMessage() + "; removed";
                            LOG.error("message store {}: {}; removed", file, bad.getMessage());
                        }
                    }
                }
            } finally {
                damaged.forEach(seq -> remove(p, seq));
            }
        }
        return Optional.empty();
    }

    private StoredMessage read(long seq) {
        return StoredMessage.decode(seq, messages.get(seq));
    }

    /**
     * Removes a message the broker has taken.
     *
     * @return false when it was no longer there (dropped meanwhile)
     */
    synchronized boolean ack(long seq) {
        if (closed) {
            return false;
        }
        for (MessagePriority p : MessagePriority.values()) {
            if (index.get(p).containsKey(seq)) {
                remove(p, seq);
                uncommittedAcks = true;
                commitAcksIfDue();
                return true;
            }
        }
        return false;
    }

    /** Everything stored, in sending order. */
    synchronized List<StoredMessage> contents() {
        List<StoredMessage> all = new ArrayList<>();
        if (closed) {
            return all;
        }
        for (MessagePriority p : MessagePriority.values()) {
            for (Long seq : index.get(p).keySet()) {
                all.add(read(seq));
            }
        }
        return all;
    }

    synchronized long durablePoints() {
        return durablePoints;
    }

    synchronized int size() {
        return index.values().stream().mapToInt(Map::size).sum();
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized Stats stats() {
        Map<MessagePriority, Integer> depth = new EnumMap<>(MessagePriority.class);
        long oldest = Long.MAX_VALUE;
        for (MessagePriority p : MessagePriority.values()) {
            TreeMap<Long, Entry> queue = index.get(p);
            depth.put(p, queue.size());
            if (!queue.isEmpty()) {
                oldest = Math.min(oldest, queue.firstEntry().getValue().enqueuedAt());
            }
        }
        Optional<Duration> age = oldest == Long.MAX_VALUE ? Optional.empty()
                : Optional.of(Duration.ofMillis(Math.max(0, clock.millis() - oldest)));
        return new Stats(Collections.unmodifiableMap(depth), bytes, age, frozen(dropped), frozen(expired),
                frozen(refused), lastLossAt, recovery);
    }

    private void requireOpen() throws CloudException {
        if (closed) {
            throw new CloudException("the message store " + file + " is closed");
        }
    }

    private static Map<MessagePriority, Long> frozen(Map<MessagePriority, Long> m) {
        return Collections.unmodifiableMap(new EnumMap<>(m));
    }

    private static Map<MessagePriority, Long> counters() {
        Map<MessagePriority, Long> m = new EnumMap<>(MessagePriority.class);
        for (MessagePriority p : MessagePriority.values()) {
            m.put(p, 0L);
        }
        return m;
    }

    /** Waits for a leader's sync to end, then makes what is still appended durable before closing the file. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        boolean interrupted = false;
        while (syncing) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (openHasMessages) {
            Group last = takeOpenGroup();
            if (commit(last)) {
                RuntimeException syncFailure = null;
                try {
                    if (sync) {
                        store.sync();
                    }
                } catch (RuntimeException e) {
                    syncFailure = e;
                }
                finish(last, syncFailure);
            }
        }
        closed = true;
        store.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
