package org.fusebox.cloud.mqtt;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttTopic;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.fusebox.api.cloud.CloudException;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.CloudMessageListener;
import org.fusebox.api.cloud.CloudPublisher;
import org.fusebox.api.cloud.CloudSubscriber;
import org.fusebox.api.cloud.MessagePriority;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.session.ChargingSession;
import org.fusebox.api.health.Health;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.metrics.Measurement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT link: a Paho client that reconnects with backoff, a sender that drains the {@link MessageStore}
 * in priority order, birth and death messages, subscriptions, telemetry. Plain Java: the DS component only
 * feeds it settings and services.
 *
 * <p>Settings can be replaced while it runs ({@link #apply}); subscriptions stay and are made again on
 * every connection (the session is clean: the store, not the broker, keeps what is pending).
 */
final class MqttLink implements CloudPublisher, CloudSubscriber, AutoCloseable {

    static final String BIRTH_TOPIC = "MQTT/BIRTH";
    static final String DEATH_TOPIC = "MQTT/DC";
    static final String TELEMETRY_TOPIC = "telemetry/site";
    private static final Duration RECENT = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);

    private record Subscription(String filter, CloudMessageListener listener, boolean direct) {
    }

    private final Clock clock;
    private final Supplier<Map<String, String>> bundleVersions;
    private volatile Supplier<Optional<CycleReport>> cycles = Optional::empty;
    private volatile Supplier<List<ChargingSession>> sessions = List::of;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(named("fusebox-mqtt-link"));
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(named("fusebox-mqtt-deliver"));
    private final Thread sender;
    private final Object signal = new Object();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    // replaced together under 'this'; read without the lock through the volatile fields
    private volatile LinkSettings settings;
    private volatile MessageStore store;
    private MqttAsyncClient client;
    private long generation;
    private Duration backoff = Duration.ofSeconds(1);
    private ScheduledFuture<?> telemetryTask;
    private long lastTelemetryCycle = Long.MIN_VALUE;

    private volatile boolean connected;
    /** Messages handed to Paho on the current connection; a new map per connection, so late callbacks of an old one do no harm. */
    private volatile Map<Long, Boolean> inFlight = new ConcurrentHashMap<>();
    private volatile String lastError;
    private volatile long lastErrorAt;
    private volatile boolean closed;
    /** Counted across connections and stores, for the measurements. */
    private final LongAdder sent = new LongAdder();
    private final LongAdder connects = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();

    MqttLink(Clock clock, Supplier<Map<String, String>> bundleVersions) {
        this.clock = clock;
        this.bundleVersions = bundleVersions;
        this.sender = named("fusebox-mqtt-send").newThread(this::sendLoop);
        sender.start();
    }

    /** The active charging sessions the telemetry carries; none without the session recorder. */
    void setSessions(Supplier<List<ChargingSession>> sessions) {
        this.sessions = sessions == null ? List::of : sessions;
    }

    /** Where the telemetry comes from; empty when there is no control loop. */
    void setCycles(Supplier<Optional<CycleReport>> cycles) {
        this.cycles = cycles == null ? Optional::empty : cycles;
    }

    /**
     * Puts new settings in force: opens the store they name (nothing changes if that fails), says goodbye
     * on the old connection and connects anew.
     *
     * @throws IOException when the store cannot be opened; the previous settings stay
     */
    synchronized void apply(LinkSettings next) throws IOException {
        if (closed) {
            throw new IllegalStateException("the link is closed");
        }
        MessageStore oldStore = store;
        MessageStore nextStore = oldStore;
        if (oldStore == null || !oldStore.file().equals(next.storePath.toAbsolutePath())) {
            nextStore = new MessageStore(next.storePath, next.storeLimits, clock);
            nextStore.onDurable(this::wake);
        } else {
            oldStore.setLimits(next.storeLimits);
        }
        MqttAsyncClient nextClient;
        try {
            nextClient = new MqttAsyncClient(next.brokerUrl, next.clientId, new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            if (nextStore != oldStore) {
                nextStore.close();
            }
            throw new IOException("cannot create an MQTT client for " + next.brokerUrl + ": " + e.getMessage(), e);
        }
        stopClient("reconfigured");
        if (nextStore != oldStore) {
            store = nextStore;
            if (oldStore != null) {
                oldStore.close();
            }
        }
        settings = next;
        client = nextClient;
        long gen = ++generation;
        nextClient.setCallback(new Callbacks(gen));
        backoff = next.reconnectMin;
        lastTelemetryCycle = Long.MIN_VALUE;
        if (telemetryTask != null) {
            telemetryTask.cancel(false);
            telemetryTask = null;
        }
        if (!next.telemetryPeriod.isZero()) {
            long ms = next.telemetryPeriod.toMillis();
            telemetryTask = scheduler.scheduleAtFixedRate(this::telemetryTick, ms, ms, TimeUnit.MILLISECONDS);
        }
        LOG.info("cloud link: {}", next);
        scheduler.execute(() -> connect(gen));
    }

    // ---- connection ------------------------------------------------------------------------------

    private void connect(long gen) {
        synchronized (this) {
            if (closed || gen != generation) {
                return;
            }
            LinkSettings s = settings;
            try {
                client.connect(options(s), null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        onConnected(gen);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        onConnectFailed(gen, e);
                    }
                });
            } catch (MqttException | RuntimeException e) {
                onConnectFailed(gen, e);
            }
        }
    }

    private MqttConnectOptions options(LinkSettings s) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval((int) s.keepAlive.toSeconds());
        o.setConnectionTimeout(30);
        // our window plus room for birth, death and subscriptions
        o.setMaxInflight(s.maxInflight + 16);
        if (!s.username.isEmpty()) {
            o.setUserName(s.username);
        }
        if (s.password.length > 0) {
            o.setPassword(s.password.clone());
        }
        if (s.socketFactory != null) {
            o.setSocketFactory(s.socketFactory);
        }
        o.setWill(s.namespace + "/" + DEATH_TOPIC, lifecycle(s, "connection lost"), 1, false);
        return o;
    }

    private byte[] lifecycle(LinkSettings s, String reason) {
        return Json.lifecycle(s.clientId, reason, clock.instant(), bundleVersions.get());
    }

    private synchronized void onConnected(long gen) {
        if (closed || gen != generation) {
            return;
        }
        LinkSettings s = settings;
        inFlight = new ConcurrentHashMap<>();
        try {
            List<String> filters = new ArrayList<>();
            for (Subscription sub : subscriptions) {
                String f = s.namespace + "/" + sub.filter();
                if (!filters.contains(f)) {
                    filters.add(f);
                }
            }
            if (!filters.isEmpty()) {
                int[] qos = new int[filters.size()];
                java.util.Arrays.fill(qos, 1);
                client.subscribe(filters.toArray(String[]::new), qos);
            }
            // birth describes this connection, so it is sent now or never, not stored for later
            client.publish(s.namespace + "/" + BIRTH_TOPIC, lifecycle(s, "connected"), 1, false);
        } catch (MqttException e) {
            error("after connecting to " + s.brokerUrl + ": " + e.getMessage());
        }
        connected = true;
        connects.increment();
        backoff = s.reconnectMin;
        LOG.info("cloud link connected to {} as {}", s.brokerUrl, s.clientId);
        wake();
    }

    private synchronized void onConnectFailed(long gen, Throwable e) {
        if (closed || gen != generation) {
            return;
        }
        LinkSettings s = settings;
        connectFailures.increment();
        error("connecting to " + s.brokerUrl + " failed: " + describe(e) + "; next try in " + backoff.toSeconds() + " s");
        scheduler.schedule(() -> connect(gen), backoff.toMillis(), TimeUnit.MILLISECONDS);
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(s.reconnectMax) > 0 ? s.reconnectMax : doubled;
    }

    private synchronized void onConnectionLost(long gen, Throwable cause) {
        if (closed || gen != generation) {
            return;
        }
        connected = false;
        inFlight = new ConcurrentHashMap<>();
        LinkSettings s = settings;
        error("connection to " + s.brokerUrl + " lost: " + describe(cause));
        backoff = s.reconnectMin;
        scheduler.schedule(() -> connect(gen), backoff.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Says goodbye on the current connection (death message, then DISCONNECT, so no will) and drops the client. */
    private void stopClient(String reason) {
        MqttAsyncClient c = client;
        if (c == null) {
            return;
        }
        generation++;
        connected = false;
        inFlight = new ConcurrentHashMap<>();
        client = null;
        try {
            if (c.isConnected()) {
                LinkSettings s = settings;
                c.publish(s.namespace + "/" + DEATH_TOPIC, lifecycle(s, reason), 1, false).waitForCompletion(2000);
                c.disconnect(1000).waitForCompletion(3000);
            }
        } catch (MqttException e) {
            LOG.warn("cloud link: clean disconnect failed, closing anyway: {}", e.getMessage());
        }
        try {
            if (c.isConnected()) {
                c.disconnectForcibly(0, 1000, false);
            }
            c.close(true);
        } catch (MqttException e) {
            LOG.debug("closing the MQTT client", e);
        }
    }

    // ---- sending ---------------------------------------------------------------------------------

    private void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void sendLoop() {
        while (!closed) {
            try {
                StoredMessage next = null;
                Map<Long, Boolean> flight;
                MessageStore s;
                synchronized (signal) {
                    flight = inFlight;
                    s = store;
                    int window = settings == null ? 0 : settings.maxInflight;
                    if (connected && s != null && flight.size() < window) {
                        next = s.next(flight.keySet()).orElse(null);
                    }
                    if (next == null) {
                        signal.wait(500);
                        if (s != null) {
                            s.expire();
                        }
                        continue;
                    }
                    flight.put(next.seq(), Boolean.TRUE);
                }
                send(next, s, flight);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a store closed under us by a reconfiguration: report, and wait rather than spin
                error("sending: " + describe(e));
                try {
                    synchronized (signal) {
                        signal.wait(100);
                    }
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void send(StoredMessage m, MessageStore s, Map<Long, Boolean> flight) throws InterruptedException {
        MqttAsyncClient c;
        String topic;
        synchronized (this) {
            c = client;
            topic = settings.namespace + "/" + m.message().topic();
        }
        if (c == null) {
            flight.remove(m.seq());
            return;
        }
        CloudMessage msg = m.message();
        try {
            // QoS 1 completes on PUBACK, QoS 0 once written to the socket
            c.publish(topic, msg.payload(), msg.qos(), msg.retain(), null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    s.ack(m.seq());
                    sent.increment();
                    flight.remove(m.seq());
                    wake();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    flight.remove(m.seq());
                    error("publishing " + topic + " failed: " + describe(e));
                    wake();
                }
            });
        } catch (MqttException e) {
            flight.remove(m.seq());
            if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                error("publishing " + topic + " failed: " + describe(e));
            }
            // not connected after all, or Paho's window is full: wait for a callback rather than spin
            synchronized (signal) {
                signal.wait(100);
            }
        }
    }

    @Override
    public String publish(CloudMessage message) throws CloudException {
        Objects.requireNonNull(message, "message");
        StoredMessage stored = withStore(s -> s.put(message));
        wake();
        return Long.toString(stored.seq());
    }

    @Override
    public CompletionStage<String> publishAsync(CloudMessage message) {
        Objects.requireNonNull(message, "message");
        try {
            return withStore(s -> s.append(message)).thenApply(stored -> Long.toString(stored.seq()));
        } catch (CloudException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @FunctionalInterface
    private interface StoreCall<T> {
        T on(MessageStore store) throws CloudException;
    }

    /** Runs the call on the store in force; once more on its replacement when a reconfiguration closed it meanwhile. */
    private <T> T withStore(StoreCall<T> call) throws CloudException {
        MessageStore s = store;
        if (closed) {
            throw new CloudException("the cloud link is closed; nothing is stored");
        }
        if (s == null) {
            throw new CloudException("the cloud link has no valid configuration yet; nothing is stored");
        }
        try {
            return call.on(s);
        } catch (StoreFullException e) {
            error(e.getMessage());
            throw e;
        } catch (StoreClosedException e) {
            MessageStore now = store;
            if (now == s || closed) {
                throw e;
            }
            return call.on(now);
        }
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    // ---- receiving -------------------------------------------------------------------------------

    @Override
    public AutoCloseable subscribe(String topicFilter, CloudMessageListener listener) {
        return subscribe(topicFilter, listener, false);
    }

    /**
     * @param direct call the listener on Paho's thread; only for listeners that return at once (the
     *               request dispatcher), others get a delivery thread so a slow one cannot stall the link
     */
    AutoCloseable subscribe(String topicFilter, CloudMessageListener listener, boolean direct) {
        if (topicFilter == null || topicFilter.isBlank() || topicFilter.startsWith("/")) {
            throw new IllegalArgumentException("topic filter must be a topic below the namespace, got '" + topicFilter + "'");
        }
        MqttTopic.validate(topicFilter, true);
        Subscription sub = new Subscription(topicFilter, listener, direct);
        subscriptions.add(sub);
        synchronized (this) {
            if (connected && client != null) {
                try {
                    client.subscribe(settings.namespace + "/" + topicFilter, 1);
                } catch (MqttException e) {
                    error("subscribing to " + topicFilter + " failed: " + e.getMessage());
                }
            }
        }
        return () -> unsubscribe(sub);
    }

    private void unsubscribe(Subscription sub) {
        if (!subscriptions.remove(sub)) {
            return;
        }
        boolean stillWanted = subscriptions.stream().anyMatch(s -> s.filter().equals(sub.filter()));
        synchronized (this) {
            if (!stillWanted && connected && client != null) {
                try {
                    client.unsubscribe(settings.namespace + "/" + sub.filter());
                } catch (MqttException e) {
                    LOG.debug("unsubscribing {}", sub.filter(), e);
                }
            }
        }
    }

    private void arrived(String topic, MqttMessage m) {
        LinkSettings s = settings;
        String prefix = s.namespace + "/";
        if (!topic.startsWith(prefix) || topic.length() == prefix.length()) {
            return;
        }
        CloudMessage message = new CloudMessage(topic.substring(prefix.length()), m.getPayload(), Math.min(1, m.getQos()),
                m.isRetained(), MessagePriority.EVENT);
        for (Subscription sub : subscriptions) {
            if (MqttTopic.isMatched(prefix + sub.filter(), topic)) {
                if (sub.direct()) {
                    deliver(sub, message);
                } else {
                    delivery.execute(() -> deliver(sub, message));
                }
            }
        }
    }

    private void deliver(Subscription sub, CloudMessage message) {
        try {
            sub.listener().onMessage(message);
        } catch (RuntimeException e) {
            LOG.error("cloud listener for {} failed on {}", sub.filter(), message.topic(), e);
        }
    }

    private final class Callbacks implements MqttCallback {
        private final long gen;

        Callbacks(long gen) {
            this.gen = gen;
        }

        @Override
        public void connectionLost(Throwable cause) {
            onConnectionLost(gen, cause);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            arrived(topic, message);
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // acknowledgements are handled by the listener of each publish
        }
    }

    // ---- telemetry and events --------------------------------------------------------------------

    /** Publishes the latest cycle if it is new since the last tick. */
    void telemetryTick() {
        try {
            Optional<CycleReport> report = cycles.get();
            if (report.isEmpty()) {
                return;
            }
            CycleReport r = report.get();
            synchronized (this) {
                if (r.cycle() == lastTelemetryCycle) {
                    return;
                }
                lastTelemetryCycle = r.cycle();
            }
            // the scheduler also connects: it must not wait for the disk
            publishAsync(new CloudMessage(TELEMETRY_TOPIC, Json.telemetry(r, sessions.get()), 0, false, MessagePriority.TELEMETRY))
                    .whenComplete((id, e) -> {
                        if (e != null) {
                            error("telemetry not stored: " + describe(unwrap(e)));
                        }
                    });
        } catch (RuntimeException e) {
            error("telemetry not stored: " + describe(e));
        }
    }

    /** Forwards an EventAdmin event unless its topic is excluded; never throws. */
    void forwardEvent(String topic, Map<String, Object> properties) {
        LinkSettings s = settings;
        if (s == null || excluded(s.eventTopicsExcluded, topic)) {
            return;
        }
        try {
            // EventAdmin may call this on the thread that sent the event: never wait for the disk here
            publishAsync(new CloudMessage("events/" + topic, Json.event(topic, clock.instant(), properties), 1, false,
                    MessagePriority.EVENT)).whenComplete((id, e) -> {
                        if (e != null) {
                            LOG.debug("event {} not stored: {}", topic, unwrap(e).getMessage());
                        }
                    });
        } catch (RuntimeException e) {
            LOG.debug("event {} not stored: {}", topic, e.getMessage());
        }
    }

    static boolean excluded(List<String> patterns, String topic) {
        for (String p : patterns) {
            if (p.endsWith("*") ? topic.startsWith(p.substring(0, p.length() - 1)) : topic.equals(p)) {
                return true;
            }
        }
        return false;
    }

    // ---- measurements ----

    /**
     * The link's measurements: the store's depth and losses (those restart with a new store file), what was sent,
     * and the connection. Read from memory; the store's counters under its lock, which a commit holds briefly and an fsync never does.
     */
    List<Measurement> measurements() {
        List<Measurement> out = new ArrayList<>();
        out.add(Measurement.gauge("connected", "1 while connected to the broker", connected ? 1 : 0));
        out.add(Measurement.counter("reconnects_total", "Connections to the broker made again after the first",
                Math.max(0, connects.sum() - 1)));
        out.add(Measurement.counter("connect_failures_total", "Attempts to connect to the broker that failed",
                connectFailures.sum()));
        out.add(Measurement.counter("messages_sent_total",
                "Stored messages the broker took (QoS 1 acknowledged, QoS 0 written to the socket)", sent.sum()));
        MessageStore st = store;
        if (st == null) {
            return out;
        }
        MessageStore.Stats stats = st.stats();
        for (MessagePriority p : MessagePriority.values()) {
            Map<String, String> priority = Map.of("priority", p.name());
            out.add(Measurement.gauge("store_messages", "Messages in the store waiting to be sent, by priority", priority,
                    stats.depth().getOrDefault(p, 0)));
            lost(out, p, "room", stats.dropped());
            lost(out, p, "age", stats.expired());
            lost(out, p, "refused", stats.refused());
        }
        out.add(Measurement.gauge("store_bytes", "Bytes of the messages in the store (encoded records)", stats.bytes()));
        stats.oldestAge().ifPresent(age -> out.add(Measurement.gauge("store_oldest_age_seconds",
                "Age of the oldest message in the store", age.toMillis() / 1000.0)));
        return out;
    }

    private static void lost(List<Measurement> out, MessagePriority p, String reason, Map<MessagePriority, Long> counts) {
        out.add(Measurement.counter("messages_dropped_total",
                "Messages lost by the store policy, by priority and reason: pushed out for room, too old, refused new",
                Map.of("priority", p.name(), "reason", reason), counts.getOrDefault(p, 0L)));
    }

    // ---- health ----------------------------------------------------------------------------------

    Optional<MessageStore.Stats> stats() {
        MessageStore s = store;
        return s == null ? Optional.empty() : Optional.of(s.stats());
    }

    Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    String namespace() {
        LinkSettings s = settings;
        return s == null ? "" : s.namespace;
    }

    /** UP when connected with nothing lost lately; otherwise DEGRADED with the queue, the losses and the last error. */
    /** The warning of the configuration in force when its link is plaintext, else null. */
    String plaintextWarning() {
        LinkSettings s = settings;
        return s == null ? null : s.plaintextWarning();
    }

    Health health() {
        LinkSettings s = settings;
        MessageStore st = store;
        if (s == null || st == null) {
            return Health.down("no valid configuration applied");
        }
        MessageStore.Stats stats = st.stats();
        List<String> problems = new ArrayList<>();
        if (!connected) {
            problems.add("not connected to " + s.brokerUrl);
        }
        long now = clock.millis();
        if (stats.lastLossAtMillis() > 0 && now - stats.lastLossAtMillis() < RECENT.toMillis()) {
            problems.add("messages lost in the last " + RECENT.toMinutes() + " minutes (store full or too old)");
        }
        if (!stats.recovery().isEmpty()) {
            problems.add(stats.recovery());
        }
        if (problems.isEmpty()) {
            return Health.up();
        }
        List<String> details = new ArrayList<>(problems);
        details.add("queued: LIFECYCLE " + stats.depth().get(MessagePriority.LIFECYCLE) + ", EVENT "
                + stats.depth().get(MessagePriority.EVENT) + ", TELEMETRY " + stats.depth().get(MessagePriority.TELEMETRY)
                + " (" + stats.bytes() + " bytes)");
        stats.oldestAge().ifPresent(a -> details.add("oldest queued message: " + a.toSeconds() + " s old"));
        details.add("dropped for room " + stats.dropped() + ", expired " + stats.expired() + ", refused " + stats.refused());
        String e = lastError;
        if (e != null) {
            details.add("last error: " + e);
        }
        return new Health(HealthStatus.DEGRADED, details);
    }

    private void error(String message) {
        lastError = message;
        lastErrorAt = clock.millis();
        LOG.warn("cloud link: {}", message);
    }

    long lastErrorAt() {
        return lastErrorAt;
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String describe(Throwable e) {
        if (e == null) {
            return "unknown cause";
        }
        String m = e.getMessage();
        Throwable cause = e.getCause();
        return (m == null ? e.getClass().getSimpleName() : m) + (cause != null && cause != e ? " (" + describe(cause) + ")" : "");
    }

    // ---- lifecycle -------------------------------------------------------------------------------

    /** Publishes death, disconnects, stops every thread and closes the store. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            stopClient("shutdown");
            closed = true;
            if (telemetryTask != null) {
                telemetryTask.cancel(false);
            }
        }
        scheduler.shutdownNow();
        delivery.shutdownNow();
        sender.interrupt();
        try {
            sender.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        MessageStore s = store;
        if (s != null) {
            s.close();
        }
    }

    /** For tests: sets of sequence numbers on their way now. */
    Set<Long> inFlight() {
        return Set.copyOf(inFlight.keySet());
    }

    private static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
