package org.fusebox.cloud.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.fusebox.api.cloud.CloudException;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.CloudPublisher;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudRequestHandler;
import org.fusebox.api.cloud.CloudResponse;
import org.fusebox.api.cloud.MessagePriority;
import org.fusebox.api.cloud.RequestProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests ({@code <namespace>/<app>/<method>/<resource>}) to the {@link CloudRequestHandler} of
 * each app, one at a time per app on a worker thread of its own; publishes progress on
 * {@code <app>/NOTIFY/<requestId>} and the reply on {@code <app>/REPLY/<requestId>}.
 */
final class RequestDispatcher implements AutoCloseable {

    static final List<String> METHODS = List.of("GET", "PUT", "POST", "DEL", "EXEC");
    private static final Pattern APP = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern REQUEST_ID = Pattern.compile("[^/+#\\s]{1,128}");
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    /** Subscribing, as {@link MqttLink} does it, with a choice to be called on the MQTT thread. */
    interface Subscriptions {
        AutoCloseable subscribe(String filter, org.fusebox.api.cloud.CloudMessageListener listener);
    }

    private final class App {
        final CloudRequestHandler handler;
        final ExecutorService worker;
        final List<AutoCloseable> subscriptions = new ArrayList<>();

        App(CloudRequestHandler handler) {
            this.handler = handler;
            String name = "fusebox-mqtt-request-" + handler.app();
            this.worker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** A request waiting for its app's worker; kept so that it can be answered when the app goes away. */
    private final class Pending implements Runnable {
        final App app;
        final CloudRequest request;

        Pending(App app, CloudRequest request) {
            this.app = app;
            this.request = request;
        }

        @Override
        public void run() {
            handle(app.handler, request);
        }
    }

    private final Subscriptions subscriptions;
    private final CloudPublisher publisher;
    private final Clock clock;
    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();

    RequestDispatcher(Subscriptions subscriptions, CloudPublisher publisher, Clock clock) {
        this.subscriptions = subscriptions;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * Starts taking requests for the handler's app.
     *
     * @return false when the app name is invalid or another handler already serves it
     */
    synchronized boolean add(CloudRequestHandler handler) {
        String name = handler.app();
        if (name == null || !APP.matcher(name).matches()) {
            LOG.error("request handler {} ignored: app '{}' must be letters, digits and dashes", handler, name);
            return false;
        }
        if (apps.containsKey(name)) {
            LOG.error("request handler {} ignored: app {} is already served by {}", handler, name, apps.get(name).handler);
            return false;
        }
        App app = new App(handler);
        apps.put(name, app);
        for (String method : METHODS) {
            app.subscriptions.add(subscriptions.subscribe(name + "/" + method + "/#", m -> arrived(app, m)));
        }
        return true;
    }

    /** Stops the app: requests still queued are answered 503, the one running is interrupted. */
    synchronized void remove(CloudRequestHandler handler) {
        String name = handler.app();
        App app = name == null ? null : apps.get(name);
        if (app == null || app.handler != handler) {
            return;
        }
        apps.remove(name);
        stop(app);
    }

    private void stop(App app) {
        for (AutoCloseable c : app.subscriptions) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("unsubscribing", e);
            }
        }
        for (Runnable r : app.worker.shutdownNow()) {
            if (r instanceof Pending p) {
                reply(p.request, CloudResponse.error(503, "application " + p.request.app() + " stopped before handling it"));
            }
        }
    }

    long malformed() {
        return malformed.get();
    }

    long handled() {
        return handled.get();
    }

    /** On the MQTT thread: parse, then queue for the app's worker. Never blocks. */
    private void arrived(App app, CloudMessage m) {
        String[] levels = m.topic().split("/", 4);
        // <app>/<method>[/<resource>]
        if (levels.length < 2 || !METHODS.contains(levels[1])) {
            return;
        }
        String method = levels[1];
        String resource = levels.length > 2 ? m.topic().substring(levels[0].length() + levels[1].length() + 2) : "";
        JsonNode envelope;
        try {
            envelope = Json.MAPPER.readTree(m.payload());
        } catch (IOException e) {
            envelope = null;
        }
        String requestId = envelope != null && envelope.isObject() && envelope.path("requestId").isTextual()
                ? envelope.get("requestId").asText() : null;
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            malformed.incrementAndGet();
            LOG.warn("request on {} ignored: no usable requestId (the envelope must be JSON with a requestId of 1 to 128 "
                    + "characters without '/', '+', '#' or spaces)", m.topic());
            return;
        }
        JsonNode requester = envelope.get("requesterClientId");
        if (requester == null || !requester.isTextual() || requester.asText().isBlank()) {
            malformed.incrementAndGet();
            reply(app.handler.app(), requestId, CloudResponse.error(400, "requesterClientId missing from the envelope"));
            return;
        }
        JsonNode body = envelope.get("body");
        byte[] bodyBytes;
        try {
            bodyBytes = body == null || body.isNull() ? new byte[0] : Json.MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            bodyBytes = new byte[0];
        }
        CloudRequest request = new CloudRequest(requestId, requester.asText(), app.handler.app(), method, resource, bodyBytes);
        try {
            app.worker.execute(new Pending(app, request));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            reply(request, CloudResponse.error(503, "application " + request.app() + " is stopping"));
        }
    }

    private void handle(CloudRequestHandler handler, CloudRequest request) {
        RequestProgress progress = (step, percent, message) -> notify(request, step, percent, message);
        CloudResponse response;
        try {
            response = handler.handle(request, progress);
            if (response == null) {
                response = CloudResponse.error(500, "the handler gave no response");
            }
        } catch (Exception e) {
            String msg = e.getMessage();
            response = CloudResponse.error(500, msg == null ? e.getClass().getSimpleName() : msg);
            LOG.warn("request {} to {} failed", request.requestId(), request.app(), e);
        }
        handled.incrementAndGet();
        reply(request, response);
    }

    private void notify(CloudRequest request, String step, int percent, String message) {
        int p = Math.max(-1, Math.min(100, percent));
        byte[] json = Json.progress(request.requestId(), step == null ? "" : step, p, message == null ? "" : message,
                clock.instant());
        try {
            // progress is informative, the reply is the outcome: progress may go when the store fills
            publisher.publish(new CloudMessage(request.app() + "/NOTIFY/" + request.requestId(), json, 1, false,
                    MessagePriority.EVENT));
        } catch (CloudException e) {
            LOG.warn("progress of request {} not stored: {}", request.requestId(), e.getMessage());
        }
    }

    private void reply(CloudRequest request, CloudResponse response) {
        reply(request.app(), request.requestId(), response);
    }

    private void reply(String app, String requestId, CloudResponse response) {
        try {
            publisher.publish(new CloudMessage(app + "/REPLY/" + requestId, Json.reply(requestId, response), 1, false,
                    MessagePriority.LIFECYCLE));
        } catch (CloudException e) {
            LOG.error("reply to request {} of {} not stored: {}", requestId, app, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        apps.values().forEach(this::stop);
        apps.clear();
    }
}
