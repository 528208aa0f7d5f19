package org.fusebox.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.Filter;
import javax.servlet.Servlet;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.session.SessionHistory;
import org.fusebox.rest.view.ApiJson;
import org.fusebox.rest.view.SiteView;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /fusebox/api/v1/stream}: the site view of every control cycle as server-sent events
 * ({@code text/event-stream}), for the web UI. An asynchronous servlet: no container thread is held per client,
 * and one scheduler thread of this component looks for a new cycle every {@value #POLL_MILLIS} ms and writes it
 * to every client without blocking (see {@link SiteStream}).
 */
@Component(service = Servlet.class, configurationPid = FuseboxApiServlet.PID)
@HttpWhiteboardServletName("fusebox-site-stream")
@HttpWhiteboardServletPattern(SiteStreamServlet.PATTERN)
@HttpWhiteboardServletAsyncSupported
public final class SiteStreamServlet extends HttpServlet {

    static final String PATTERN = "/fusebox/api/v1/stream";
    static final long POLL_MILLIS = 50;
    static final long HEARTBEAT_MILLIS = 5_000;
    /** A stream ends after this long; the browser's EventSource reconnects by itself (and passes the guard again). */
    static final long STREAM_MILLIS = TimeUnit.MINUTES.toMillis(10);

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SiteStreamServlet.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ControlLoop controlLoop;

    /** The session recorder, when fusebox-sessions is installed: each connector's metered energy and cost, as in /site. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SessionHistory sessionHistory;

    /** Registered only behind fusebox-web-security's guard, as the API servlet is. */
    @Reference(target = "(fusebox.web.guard=true)")
    private Filter guard;

    private transient SiteStream stream;
    private transient ScheduledExecutorService scheduler;

    @Activate
    void activate(RestConfig config) {
        ObjectMapper compact = ApiJson.newMapper().disable(SerializationFeature.INDENT_OUTPUT);
        stream = new SiteStream(this::lastCycle, this::view, compact, config.maxStreamClients(), HEARTBEAT_MILLIS);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fusebox-site-stream");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::tick, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("Site stream registered at {} (at most {} clients)", PATTERN, config.maxStreamClients());
    }

    @Modified
    void modified(RestConfig config) {
        stream.maxSubscribers(config.maxStreamClients());
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
        stream.closeAll();
    }

    private Optional<CycleReport> lastCycle() {
        ControlLoop loop = controlLoop;
        return loop == null ? Optional.empty() : loop.lastCycle();
    }

    private SiteView view(CycleReport report) {
        SessionHistory history = sessionHistory;
        return history == null ? SiteView.of(report) : SiteView.of(report, ref -> history.active(ref).orElse(null));
    }

    private void tick() {
        try {
            stream.tick(System.currentTimeMillis());
        } catch (RuntimeException e) {
            // the scheduler would stop for good on a throw
            LOG.error("Site stream tick failed", e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (stream.subscriberCount() >= stream.maxSubscribers()) {
            busy(response);
            return;
        }
        response.setStatus(200);
        response.setContentType("text/event-stream; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        // tells a buffering reverse proxy (nginx) to pass each event on at once
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.startAsync();
        async.setTimeout(STREAM_MILLIS);
        AsyncSubscriber subscriber = new AsyncSubscriber(async, response.getOutputStream());
        async.addListener(subscriber);
        subscriber.out.setWriteListener(subscriber);
        if (!stream.subscribe(subscriber)) {
            // the last place went to another client in between: end this one at once, it retries after 2 s
            subscriber.close();
        }
    }

    private static void busy(HttpServletResponse response) throws IOException {
        byte[] body = ("{\"error\" : \"too many clients on the site stream; try again later\"}")
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(503);
        response.setHeader("Retry-After", "10");
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(FuseboxApiServlet.CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * A client on a non-blocking output stream: a frame is written only while the stream is ready, otherwise
     * dropped (the client gets the next cycle instead; an SSE page only wants the latest anyway).
     */
    private final class AsyncSubscriber implements SiteStream.Subscriber, WriteListener, AsyncListener {

        private final AsyncContext async;
        private final ServletOutputStream out;
        private boolean closed;

        AsyncSubscriber(AsyncContext async, ServletOutputStream out) {
            this.async = async;
            this.out = out;
        }

        @Override
        public synchronized boolean offer(byte[] frame) {
            if (closed) {
                return false;
            }
            try {
                if (!out.isReady()) {
                    return true;
                }
                out.write(frame);
                if (out.isReady()) {
                    out.flush();
                }
                return true;
            } catch (IOException | IllegalStateException e) {
                closed = true;
                return false;
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                try {
                    async.complete();
                } catch (IllegalStateException alreadyEnded) {
                    // the container ended it first (timeout, client gone)
                }
            }
        }

        private void gone() {
            synchronized (this) {
                closed = true;
            }
            stream.unsubscribe(this);
        }

        @Override
        public void onWritePossible() {
            // nothing queued here: the next cycle is written when it comes
        }

        @Override
        public void onError(Throwable t) {
            gone();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            gone();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            gone();
            try {
                event.getAsyncContext().complete();
            } catch (IllegalStateException alreadyEnded) {
                // nothing to end
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            gone();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted
        }
    }
}
