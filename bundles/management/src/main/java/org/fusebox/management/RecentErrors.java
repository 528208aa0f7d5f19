package org.fusebox.management;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fusebox.api.event.FuseboxEvents;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;

/** The last N error events from EventAdmin and failed remote requests, newest last. */
@Component(service = { RecentErrors.class, EventHandler.class }, configurationPid = RecentErrors.PID,
        property = { "event.topics=" + RecentErrors.FAILSAFE_ENTERED, "event.topics=" + RecentErrors.LIMIT_BREACH,
            "event.topics=" + RecentErrors.CONFIG_REJECTED, "event.topics=fusebox/management/*" })
@Designate(ocd = RecentErrorsConfig.class)
public final class RecentErrors implements EventHandler {

    static final String PID = "fusebox.management.errors";
    // compile-time copies of FuseboxEvents' topics: annotation values must be constants of this class's own
    static final String FAILSAFE_ENTERED = "fusebox/control/FAILSAFE_ENTERED";
    static final String LIMIT_BREACH = "fusebox/control/LIMIT_BREACH";
    static final String CONFIG_REJECTED = "fusebox/config/REJECTED";

    record Entry(Instant time, String source, String message, Map<String, String> properties) {
    }

    private final Clock clock;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private int size = 50;

    public RecentErrors() {
        this(Clock.systemUTC());
    }

    RecentErrors(Clock clock) {
        this.clock = clock;
    }

    @Activate
    @Modified
    void configure(RecentErrorsConfig config) {
        synchronized (entries) {
            size = Math.max(1, Math.min(1000, config.size()));
            trim();
        }
    }

    @Override
    public void handleEvent(Event event) {
        Map<String, String> props = new TreeMap<>();
        for (String k : event.getPropertyNames()) {
            if (!k.equals("event.topics")) {
                props.put(k, String.valueOf(event.getProperty(k)));
            }
        }
        Object reason = event.getProperty(FuseboxEvents.REASON);
        add(new Entry(clock.instant(), event.getTopic(), reason == null ? event.getTopic() : reason.toString(), props));
    }

    void record(String source, String message) {
        add(new Entry(clock.instant(), source, message, Map.of()));
    }

    List<Entry> entries() {
        synchronized (entries) {
            return List.copyOf(new ArrayList<>(entries));
        }
    }

    private void add(Entry e) {
        synchronized (entries) {
            entries.addLast(e);
            trim();
        }
    }

    private void trim() {
        while (entries.size() > size) {
            entries.removeFirst();
        }
    }
}
