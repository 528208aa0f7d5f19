package org.fusebox.management;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The ids of accepted operator requests that have not expired yet, so that none is accepted twice. Bounded: an id is
 * forgotten once its request has expired (it would be refused as expired anyway), and when {@code capacity} unexpired
 * ids are remembered no new one is accepted until some expire. Kept on disk, so a restart does not reopen the window.
 */
final class SeenRequests {

    private final Path file;
    private final int capacity;
    private Map<String, Instant> seen;

    SeenRequests(Path file, int capacity) {
        this.file = file;
        this.capacity = capacity;
    }

    enum Outcome { ACCEPTED, SEEN, FULL }

    /** Remembers {@code requestId} until {@code forgetAfter} unless it is already remembered; durable before it returns. */
    synchronized Outcome add(String requestId, Instant forgetAfter, Instant now) throws IOException {
        load();
        seen.values().removeIf(until -> !until.isAfter(now));
        if (seen.containsKey(requestId)) {
            return Outcome.SEEN;
        }
        if (seen.size() >= capacity) {
            return Outcome.FULL;
        }
        Map<String, Instant> next = new HashMap<>(seen);
        next.put(requestId, forgetAfter);
        Properties p = new Properties();
        next.forEach((id, until) -> p.setProperty(id, Long.toString(until.toEpochMilli())));
        AtomicProperties.write(file, p, "ids of accepted operator requests, with when they may be forgotten (epoch ms)");
        seen = next;
        return Outcome.ACCEPTED;
    }

    synchronized int size() throws IOException {
        load();
        return seen.size();
    }

    private void load() throws IOException {
        if (seen != null) {
            return;
        }
        Map<String, Instant> m = new HashMap<>();
        Properties p = AtomicProperties.read(file).orElseGet(Properties::new);
        for (String id : p.stringPropertyNames()) {
            try {
                m.put(id, Instant.ofEpochMilli(Long.parseLong(p.getProperty(id).trim())));
            } catch (NumberFormatException e) {
                // a damaged line: keep the id for the longest validity rather than forget it
                m.put(id, Instant.MAX);
            }
        }
        seen = m;
    }
}
