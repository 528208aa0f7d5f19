package org.fusebox.cloud.mqtt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
 * <p>{@link #append} applies the policy and adds the message to the maps in memory, then returns a future that
 * completes once the message is durable; {@link #put} waits for it. One thread of the store, the syncer, makes
 * messages durable in groups: it takes everything appended so far, commits it under the lock (MVStore writes a
 * chunk) and then forces the file to disk with the lock released, so that producers keep appending and the next
 * group gathers meanwhile. A future completes only once a sync that covers its message has completed; a failed
 * commit or sync fails every message of that group. Futures are completed on another thread of the store, in
 * acceptance order, so that what callers chain to them never delays a sync. A message is offered for sending
 * ({@link #next}) only once it is durable.
 *
 * <p>Back-pressure: at most {@link #MAX_PENDING_MESSAGES} messages or {@link #MAX_PENDING_BYTES} of records may
 * be appended and not yet durable; beyond that {@link #append} blocks until a sync makes room.
 *
 * <p>Messages leave in priority order (LIFECYCLE, EVENT, TELEMETRY), then in the order they were accepted,
 * and only through {@link #ack} or the drop policy:
 * <ul>
 * <li>by age: TELEMETRY and EVENT older than the maximum age are dropped; LIFECYCLE never expires;</li>
 * <li>by capacity: a new message may push out stored ones of its own or a lower priority, the oldest
 * TELEMETRY first, then the oldest EVENT; LIFECYCLE is never pushed out. When that cannot make room the
 * new message is refused and nothing is dropped.</li>
 * </ul>
 * Removals (acknowledgements, drops) are not synced. They are committed with the next group of messages, or by
 * the syncer on its own once 200 ms have passed since the last commit, because each commit writes a chunk: a
 * crash before that can only send those messages again (at least once), never lose one.
 */
final class MessageStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class);

    /** Appended and not yet durable, at most: the back-pressure bound (also documented on CloudPublisher). */
    static final int MAX_PENDING_MESSAGES = 8192;
    static final long MAX_PENDING_BYTES = 8L << 20;

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
        /** The highest sequence number in the group, set when the syncer takes it. */
        private long lastSeq;
        private long bytes;
        private final List<StoredMessage> messages = new ArrayList<>();
        private final List<CompletableFuture<StoredMessage>> futures = new ArrayList<>();
        /** Set when committing or syncing the group failed. */
        private CloudException failure;
        /** Its fate is known (durable, or failed). */
        private boolean done;

        int count() {
            return messages.size();
        }
    }

    private static final String NEXT_SEQ = "nextSeq";
    private static final long REMOVALS_COMMIT_MILLIS = 200;
    private static final long REMOVALS_COMMIT_NANOS = REMOVALS_COMMIT_MILLIS * 1_000_000L;

    private final Path file;
    private final Clock clock;
    private final boolean sync;
    private final int maxPendingMessages;
    private final long maxPendingBytes;
    private Limits limits;
    private final MVStore store;
    private final MVMap<Long, byte[]> messages;
    private final MVMap<String, Long> meta;
    private final Map<MessagePriority, TreeMap<Long, Entry>> index = new EnumMap<>(MessagePriority.class);
    /** Bytes per priority (by ordinal), so the policy need not sum a queue per message. */
    private final long[] bytesOf = new long[MessagePriority.values().length];
    private final Map<MessagePriority, Long> dropped = counters();
    private final Map<MessagePriority, Long> expired = counters();
    private final Map<MessagePriority, Long> refused = counters();
    private long lastLossAt;
    private long bytes;
    private long nextSeq;
    private String recovery = "";
    /** No new messages; the syncer makes what was appended durable and stops. */
    private boolean closing;
    private boolean closed;
    /** The group new messages join. */
    private Group open = new Group();
    /** Appended and not yet durable (or failed): the open group and the one being synced. */
    private int pendingMessages;
    private long pendingBytes;
    /** Messages up to this sequence number are synced (or were on disk when opened) and may be sent. */
    private long durableThrough;
    private boolean uncommittedRemovals;
    /** Completed group syncs and the messages they covered, for the benchmark's messages per sync. */
    private long durablePoints;
    private long durableMessages;
    private long acknowledged;
    private long lastCommitAt = System.nanoTime();
    private volatile Runnable onDurable = () -> {
    };
    /** Run by the syncer after a group's commit and before its sync; tests hold it to look at that moment. */
    private volatile Runnable beforeSync = () -> {
    };
    private final Thread syncer;
    private final ExecutorService completer;
    private volatile Thread completerThread;

    /** A store that syncs every accepted message to disk. */
    MessageStore(Path file, Limits limits, Clock clock) throws IOException {
        this(file, limits, clock, true);
    }

    /**
     * @param sync whether messages are forced to disk; only tests of the policy turn it off
     * @throws IOException when the file cannot be created or opened
     */
    MessageStore(Path file, Limits limits, Clock clock, boolean sync) throws IOException {
        this(file, limits, clock, sync, MAX_PENDING_MESSAGES, MAX_PENDING_BYTES);
    }

    /** Tests of back-pressure give a smaller bound. */
    MessageStore(Path file, Limits limits, Clock clock, boolean sync, int maxPendingMessages, long maxPendingBytes)
            throws IOException {
        if (maxPendingMessages < 1 || maxPendingBytes < 1) {
            throw new IllegalArgumentException("the pending bound must be positive: " + maxPendingMessages + " messages, "
                    + maxPendingBytes + " bytes");
        }
        this.file = file.toAbsolutePath();
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = clock;
        this.sync = sync;
        this.maxPendingMessages = maxPendingMessages;
        this.maxPendingBytes = maxPendingBytes;
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
        String name = this.file.getFileName().toString();
        this.completer = Executors.newSingleThreadExecutor(r -> completerThread = daemon(r, "fusebox-mqtt-store-done " + name));
        this.syncer = daemon(this::syncLoop, "fusebox-mqtt-store-sync " + name);
        syncer.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
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
        Arrays.fill(bytesOf, 0);
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
                addToIndex(m.priority(), new Entry(seq, e.getValue().length, m.enqueuedAt()));
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

    private void addToIndex(MessagePriority p, Entry e) {
        index.get(p).put(e.seq(), e);
        bytesOf[p.ordinal()] += e.size();
        bytes += e.size();
    }

    Path file() {
        return file;
    }

    /** New limits apply from the next {@link #append} on. */
    synchronized void setLimits(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Called on the syncer's thread after each sync that made messages durable (the link wakes its sender). */
    void onDurable(Runnable listener) {
        this.onDurable = Objects.requireNonNull(listener, "listener");
    }

    /** For tests: what the syncer runs between a group's commit and its sync. */
    void beforeSync(Runnable hook) {
        this.beforeSync = Objects.requireNonNull(hook, "hook");
    }

    /**
     * Stores a message durably, making room by the policy: appends it like {@link #append}, then waits for the
     * sync that covers it, not interruptibly, because the message is already appended and the caller must not be
     * told anything before its fate is known (an interrupt is kept for the caller). It waits on the syncer, not on
     * the completion thread, so a callback of an earlier message may call it.
     *
     * @return the stored message with its sequence number
     * @throws StoreFullException   when there is no room for it
     * @throws StoreClosedException when the store is closed
     * @throws CloudException       when the file cannot be written
     */
    StoredMessage put(CloudMessage message) throws CloudException {
        Objects.requireNonNull(message, "message");
        boolean interrupted = false;
        try {
            synchronized (this) {
                awaitRoomForPending(message.payload().length);
                Group group = appendNow(message, null);
                StoredMessage stored = group.messages.get(group.count() - 1);
                while (!group.done) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (group.failure != null) {
                    throw group.failure;
                }
                return stored;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Applies the policy and adds the message to the maps; no disk I/O. Blocks only while the pending bound is
     * reached (back-pressure).
     *
     * @return completes with the stored message once a sync covering it has completed, or exceptionally with a
     *         {@link CloudException} when committing or syncing its group failed
     * @throws StoreFullException   when there is no room for it; nothing was dropped
     * @throws StoreClosedException when the store is closed
     * @throws CloudException       when the thread was interrupted while waiting for room, or the store could not
     *                              take the message; nothing was stored
     */
    CompletableFuture<StoredMessage> append(CloudMessage message) throws CloudException {
        Objects.requireNonNull(message, "message");
        CompletableFuture<StoredMessage> durable = new CompletableFuture<>();
        synchronized (this) {
            awaitRoomForPending(message.payload().length);
            appendNow(message, durable);
        }
        return durable;
    }

    private void awaitRoomForPending(int payloadBytes) throws CloudException {
        // a single message bigger than the byte bound still goes through once nothing else is pending
        while (!closing && (pendingMessages >= maxPendingMessages
                || (pendingMessages > 0 && pendingBytes + payloadBytes > maxPendingBytes))) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CloudException("interrupted while waiting for the message store " + file
                        + " to sync earlier messages; this one was not stored");
            }
        }
        requireOpen();
    }

    /**
     * Applies the policy and adds the message to the maps, the index and the open group; nothing committed yet.
     *
     * @param durable completed once the group is durable; null for a caller that waits for the group itself
     * @return the group it joined
     */
    private Group appendNow(CloudMessage message, CompletableFuture<StoredMessage> durable) throws CloudException {
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
            freeableBytes += bytesOf[victim.ordinal()];
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
            completeLater(group);
            throw failure(e);
        }
        nextSeq++;
        addToIndex(p, new Entry(stored.seq(), encoded.length, now));
        Group group = open;
        if (group.count() == 0) {
            // the syncer may be idle: it waits for a first message
            notifyAll();
        }
        group.messages.add(stored);
        group.futures.add(durable);
        group.bytes += encoded.length;
        pendingMessages++;
        pendingBytes += encoded.length;
        return group;
    }

    /**
     * The syncer: commits each group under the lock, forces the file outside it, then marks the group durable and
     * hands its futures to the completer. When idle, commits removals that are due. Ends after {@link #close}
     * began and the last group is durable.
     */
    private void syncLoop() {
        while (true) {
            Group group;
            synchronized (this) {
                while (open.count() == 0 && !closing) {
                    commitRemovalsIfDue();
                    try {
                        wait(REMOVALS_COMMIT_MILLIS);
                    } catch (InterruptedException e) {
                        // only close() stops this thread, by 'closing'
                    }
                }
                if (open.count() == 0) {
                    return;
                }
                group = takeOpenGroup();
                if (!commit(group)) {
                    completeLater(group);
                    continue;
                }
            }
            RuntimeException syncFailure = null;
            try {
                beforeSync.run();
                if (sync) {
                    store.sync();
                }
            } catch (RuntimeException e) {
                syncFailure = e;
            }
            synchronized (this) {
                if (syncFailure == null) {
                    durablePoints++;
                    durableMessages += group.count();
                }
                finish(group, syncFailure);
            }
            if (syncFailure == null) {
                try {
                    onDurable.run();
                } catch (RuntimeException e) {
                    LOG.warn("message store {}: durable listener failed", file, e);
                }
            }
            completeLater(group);
        }
    }

    /** Closes the open group to newcomers; they start the next one. */
    private Group takeOpenGroup() {
        Group group = open;
        group.lastSeq = nextSeq - 1;
        open = new Group();
        return group;
    }

    /** Commits under the lock; on failure rolls the group back and marks it failed. */
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
        } catch (RuntimeException again) {
            // the file is beyond use (MVStore closed itself); every later append and commit fails too
            cause.addSuppressed(again);
        } finally {
            // numbers handed out to the failed group are not reused, and what was committed by the way
            // (a removal's commit) but never synced is not sent before a later sync covers it
            nextSeq = Math.max(nextSeq, seqBefore);
            durableThrough = durableBefore;
            finish(group, cause);
        }
    }

    /** The group's fate is known: it no longer counts as pending, and if synced its messages may be sent. */
    private void finish(Group group, RuntimeException failure) {
        group.done = true;
        if (failure == null) {
            durableThrough = Math.max(durableThrough, group.lastSeq);
        } else {
            LOG.error("message store {}: {} message(s) not made durable: {}", file, group.count(), failure.toString());
            group.failure = failure(failure);
        }
        pendingMessages -= group.count();
        pendingBytes -= group.bytes;
        notifyAll();
    }

    /** Completes the group's futures in acceptance order, off the syncer's thread. */
    private void completeLater(Group group) {
        Runnable done = () -> {
            for (int i = 0; i < group.futures.size(); i++) {
                CompletableFuture<StoredMessage> f = group.futures.get(i);
                if (f == null) {
                    continue;
                } else if (group.failure == null) {
                    f.complete(group.messages.get(i));
                } else {
                    f.completeExceptionally(group.failure);
                }
            }
        };
        try {
            completer.execute(done);
        } catch (RejectedExecutionException e) {
            done.run();
        }
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
        uncommittedRemovals = false;
        lastCommitAt = System.nanoTime();
    }

    /** Removals not committed for a while are committed now, even when no new message came to carry them. */
    private void commitRemovalsIfDue() {
        if (uncommittedRemovals && System.nanoTime() - lastCommitAt >= REMOVALS_COMMIT_NANOS) {
            try {
                commitNow();
            } catch (RuntimeException e) {
                // what is on disk still holds the messages: they are sent again at worst
                LOG.warn("message store {}: committing removals failed: {}", file, e.toString());
                uncommittedRemovals = false;
                lastCommitAt = System.nanoTime();
            }
        }
    }

    /** Drops TELEMETRY and EVENT older than the maximum age; the syncer commits that. */
    synchronized void expire() {
        if (closed) {
            return;
        }
        expireAged(clock.millis());
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
            bytesOf[p.ordinal()] -= e.size();
            uncommittedRemovals = true;
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
     * Removes a message the broker has taken; committed later, never synced.
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
                acknowledged++;
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

    /** Messages made durable by the syncs counted in {@link #durablePoints()}. */
    synchronized long durableMessages() {
        return durableMessages;
    }

    /** Messages removed by {@link #ack} since the store was opened. */
    synchronized long acknowledged() {
        return acknowledged;
    }

    /** Appended and not yet durable. */
    synchronized int pending() {
        return pendingMessages;
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
        if (closing) {
            throw new StoreClosedException("the message store " + file + " is closed");
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

    /**
     * Refuses new messages, lets the syncer make everything appended durable (so every future is completed), then
     * closes the file. Waits for that, unless called on one of the store's own threads.
     */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        Thread me = Thread.currentThread();
        boolean interrupted = false;
        if (me != syncer) {
            while (syncer.isAlive()) {
                try {
                    syncer.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        synchronized (this) {
            if (!closed) {
                closed = true;
                try {
                    store.close();
                } catch (RuntimeException e) {
                    LOG.warn("message store {}: closing the file failed: {}", file, e.toString());
                }
            }
        }
        completer.shutdown();
        try {
            if (me != completerThread && !completer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("message store {}: callbacks of published messages still running after close", file);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            me.interrupt();
        }
    }
}
