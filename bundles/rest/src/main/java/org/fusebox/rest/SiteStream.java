package org.fusebox.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import org.fusebox.api.control.CycleReport;
import org.fusebox.rest.view.SiteView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the site view of each new control cycle to every subscriber as a server-sent event. One thread calls
 * {@link #tick(long)}; it only reads the loop's last report (never waits for the cycle) and hands each
 * subscriber a ready frame that the subscriber must take without blocking, so a slow client loses frames,
 * never delays the others or the control loop. The JSON is written once per cycle, whatever the number of
 * subscribers.
 */
final class SiteStream {

    /** One client. {@link #offer} must not block; it answers false once the client is gone. */
    interface Subscriber {
        /** @return false when the client is gone and must be dropped */
        boolean offer(byte[] frame);

        /** Ends the client's stream (the gateway stops, or the client was dropped). */
        void close();
    }

    /** The first frame: how long a browser waits before it reconnects after the stream ended. */
    static final byte[] RETRY = "retry: 2000\n\n".getBytes(StandardCharsets.US_ASCII);
    /** A comment line: keeps idle-closing proxies and Jetty's idle timeout away between cycles. */
    static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private static final Logger LOG = LoggerFactory.getLogger(SiteStream.class);

    private final Supplier<Optional<CycleReport>> lastCycle;
    private final Function<CycleReport, SiteView> view;
    private final ObjectMapper compact;
    private final long heartbeatMillis;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile int maxSubscribers;
    private CycleReport lastSent;
    private byte[] lastFrame;
    private long lastWriteMillis;

    /** {@code view} makes the JSON of a cycle as {@code GET /site} does (with the metered sessions when there are). */
    SiteStream(Supplier<Optional<CycleReport>> lastCycle, Function<CycleReport, SiteView> view, ObjectMapper compact,
            int maxSubscribers, long heartbeatMillis) {
        this.lastCycle = lastCycle;
        this.view = view;
        this.compact = compact;
        this.maxSubscribers = maxSubscribers;
        this.heartbeatMillis = heartbeatMillis;
    }

    void maxSubscribers(int max) {
        maxSubscribers = max;
    }

    int maxSubscribers() {
        return maxSubscribers;
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /**
     * Adds a client, which at once gets the retry hint and the latest cycle (if any), so a page does not wait for
     * the next one. False (and nothing sent) when {@link #maxSubscribers} are connected already.
     */
    synchronized boolean subscribe(Subscriber subscriber) {
        if (subscribers.size() >= maxSubscribers) {
            return false;
        }
        subscribers.add(subscriber);
        byte[] latest = lastFrame != null ? lastFrame : frameOf(lastCycle.get().orElse(null));
        byte[] first = latest == null ? RETRY : concat(RETRY, latest);
        if (!subscriber.offer(first)) {
            subscribers.remove(subscriber);
        }
        return true;
    }

    void unsubscribe(Subscriber subscriber) {
        subscribers.remove(subscriber);
    }

    /** Sends the new cycle, if there is one since the last call, or a heartbeat when nothing was sent for a while. */
    synchronized void tick(long nowMillis) {
        CycleReport report = lastCycle.get().orElse(null);
        if (report != null && report != lastSent) {
            byte[] frame = frameOf(report);
            lastSent = report;
            if (frame != null) {
                lastFrame = frame;
                broadcast(frame);
                lastWriteMillis = nowMillis;
                return;
            }
        }
        if (nowMillis - lastWriteMillis >= heartbeatMillis) {
            broadcast(HEARTBEAT);
            lastWriteMillis = nowMillis;
        }
    }

    /** Ends every stream (the component stops); browsers reconnect to whatever serves next. */
    synchronized void closeAll() {
        for (Subscriber s : subscribers) {
            s.close();
        }
        subscribers.clear();
    }

    private void broadcast(byte[] frame) {
        for (Subscriber s : subscribers) {
            if (!s.offer(frame)) {
                subscribers.remove(s);
                s.close();
            }
        }
    }

    /** {@code event: site}, the cycle number as the event id, and the site view as one line of JSON. */
    private byte[] frameOf(CycleReport report) {
        if (report == null) {
            return null;
        }
        try {
            SiteView site = view.apply(report);
            String json = compact.writeValueAsString(site);
            return ("event: site\nid: " + site.cycle() + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.error("Cycle {} could not be written for the site stream", report.snapshot().cycle(), e);
            return null;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
