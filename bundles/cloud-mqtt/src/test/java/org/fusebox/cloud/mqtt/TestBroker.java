package org.fusebox.cloud.mqtt;

import io.moquette.broker.Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** An embedded Moquette broker on loopback, and a second, independent Paho client that records what it sees. */
final class TestBroker implements AutoCloseable {

    record Received(String topic, String payload, int qos) {
    }

    private final Server server = new Server();
    final int port;
    private MqttClient observer;
    final List<Received> received = new CopyOnWriteArrayList<>();

    TestBroker(int port) {
        this.port = port;
    }

    TestBroker start(Properties extra) throws IOException {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.putAll(extra);
        server.startServer(p);
        return this;
    }

    TestBroker start() throws IOException {
        return start(new Properties());
    }

    /** Subscribes an observer to everything below the filter. */
    TestBroker observe(String filter) throws MqttException {
        observer = new MqttClient("tcp://127.0.0.1:" + port, "observer-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        observer.connect(o);
        observer.subscribe(filter, 1, (topic, m) -> received.add(
                new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.getQos())));
        return this;
    }

    void send(String topic, String payload) throws MqttException {
        observer.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    List<Received> on(String topicPrefix) {
        return received.stream().filter(r -> r.topic().startsWith(topicPrefix)).toList();
    }

    /** Waits for the condition, failing after the deadline; no fixed sleeps. */
    static void await(String what, long seconds, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    Received awaitOne(String topicPrefix, Predicate<Received> match) throws InterruptedException {
        await("a message on " + topicPrefix, 30, () -> on(topicPrefix).stream().anyMatch(match));
        return on(topicPrefix).stream().filter(match).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        try {
            if (observer != null && observer.isConnected()) {
                observer.disconnect();
            }
            if (observer != null) {
                observer.close();
            }
        } catch (MqttException e) {
            // closing anyway
        }
        server.stopServer();
    }
}
