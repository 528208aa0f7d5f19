package org.fusebox.management;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Keeps every event, and hands those under {@code fusebox/management/} to a {@link RecentErrors}, as EventAdmin
 * does for its default {@code event.topics} subscription.
 */
final class RecordingEventAdmin implements EventAdmin {

    private final RecentErrors errors;
    final List<Event> events = new CopyOnWriteArrayList<>();

    RecordingEventAdmin(RecentErrors errors) {
        this.errors = errors;
    }

    @Override
    public void postEvent(Event event) {
        events.add(event);
        if (event.getTopic().startsWith("fusebox/management/")) {
            errors.handleEvent(event);
        }
    }

    @Override
    public void sendEvent(Event event) {
        postEvent(event);
    }

    List<Event> on(String topic) {
        return events.stream().filter(e -> e.getTopic().equals(topic)).toList();
    }
}
