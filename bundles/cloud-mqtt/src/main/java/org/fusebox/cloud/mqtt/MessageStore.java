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
 * or a power cut. Messages leave in priority order (LIFECYCLE, EVENT, TELEMETRY), then in the order they
 * were accepted, and only through {@link #ack} or the drop policy:
 * <ul>
 * <li>by age: TELEMETRY and EVENT older than the maximum age are dropped; LIFECYCLE never expires;</li>
 * <li>by capacity: a new message may push out stored ones of its own or a lower priority, the oldest
 * TELEMETRY first, then the oldest EVENT; LIFECYCLE is never pushed out. When that cannot make room the
 * new message is refused and nothing is dropped.</li>
 * </ul>
 * An acknowledgement removes the message but does not sync: a crash right after it can only send that
 * message again (at least once), never lose one.
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

    private static final String NEXT_SEQ = "nextSeq";

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
    synchronized StoredMessage put(CloudMessage message) throws CloudException {
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
            store.commit();
            if (sync) {
                store.sync();
            }
        } catch (RuntimeException e) {
            // what is on disk is the last commit; bring the map back to it so memory and disk agree
            store.rollback();
            reindex();
            throw new CloudException("cannot write the message store " + file + ": " + e.getMessage(), e);
        }
        nextSeq++;
        index.get(p).put(stored.seq(), new Entry(stored.seq(), encoded.length, now));
        bytes += encoded.length;
        return stored;
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

    /** Drops TELEMETRY and EVENT older than the maximum age. */
    synchronized void expire() {
        if (!closed && expireAged(clock.millis()) > 0) {
            store.commit();
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
                for (Long seq : index.get(p).keySet()) {
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
                store.commit();
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

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            store.close();
        }
    }
}
