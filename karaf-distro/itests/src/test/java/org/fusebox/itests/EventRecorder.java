package org.fusebox.itests;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** Records every fusebox/* event EventAdmin delivers while it is open, with the time it arrived. */
final class EventRecorder implements EventHandler, AutoCloseable {

    record Seen(long nanos, Event event) {
        String topic() {
            return event.getTopic();
        }

        Object property(String key) {
            return event.getProperty(key);
        }
    }

    private final List<Seen> seen = new ArrayList<>();
    private final ServiceRegistration<EventHandler> registration;

    private EventRecorder(BundleContext context) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, "fusebox/*");
        registration = context.registerService(EventHandler.class, this, props);
    }

    static EventRecorder open(BundleContext context) {
        return new EventRecorder(context);
    }

    @Override
    public synchronized void handleEvent(Event event) {
        seen.add(new Seen(System.nanoTime(), event));
    }

    synchronized List<Seen> all() {
        return List.copyOf(seen);
    }

    synchronized List<Seen> topic(String topic) {
        return seen.stream().filter(s -> s.topic().equals(topic)).collect(Collectors.toList());
    }

    synchronized int indexOf(String topic, int from) {
        for (int i = from; i < seen.size(); i++) {
            if (seen.get(i).topic().equals(topic)) {
                return i;
            }
        }
        return -1;
    }

    synchronized String summary() {
        return seen.stream().map(s -> s.topic() + " " + s.property("device") + " " + s.property("reason"))
                .collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        registration.unregister();
    }
}
