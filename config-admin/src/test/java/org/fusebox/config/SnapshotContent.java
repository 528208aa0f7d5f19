package org.fusebox.config;

import java.util.Map;
import java.util.TreeMap;

/** Reads a snapshot back as a state to compare with {@link OsgiRuntime#state()}. */
final class SnapshotContent {

    private SnapshotContent() {
    }

    static Map<String, Map<String, Object>> of(SnapshotStore store, String id) throws Exception {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (SiteDocument.Entry e : store.read(id).entries()) {
            out.put(e.pid(), e.properties());
        }
        return out;
    }
}
