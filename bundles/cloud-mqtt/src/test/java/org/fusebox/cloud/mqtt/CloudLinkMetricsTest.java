package org.fusebox.cloud.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fusebox.api.cloud.CloudException;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.MessagePriority;
import org.fusebox.api.metrics.Measurement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link's measurements against a real broker (Moquette) on loopback, behind a proxy that can be cut. */
class CloudLinkMetricsTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private CloudMqttComponent c;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T t) {
        toClose.add(t);
        return t;
    }

    private CloudMqttComponent component() {
        CloudMqttComponent component = new CloudMqttComponent(Clock.systemUTC(), Map::of, dir);
        toClose.add(component::deactivate);
        return component;
    }

    private TestConfig config(int port, String clientId) {
        return TestConfig.of("tcp://127.0.0.1:" + port, clientId, dir.resolve(clientId + ".mv.db").toString());
    }

    private static CloudMessage msg(String topic, MessagePriority p) {
        return new CloudMessage(topic, ("{\"t\":\"" + topic + "\"}").getBytes(StandardCharsets.UTF_8),
                p == MessagePriority.TELEMETRY ? 0 : 1, false, p);
    }

    private double measured(String name, Map<String, String> labels) {
        return c.measurements().stream().filter(m -> m.name().equals(name) && m.labels().equals(labels))
                .mapToDouble(Measurement::value).findFirst().orElse(Double.NaN);
    }

    private double measured(String name) {
        return measured(name, Map.of());
    }

    private static Map<String, String> dropped(MessagePriority p, String reason) {
        return Map.of("priority", p.name(), "reason", reason);
    }

    @Test
    void theStoreDepthAndItsLossesWhileOfflineThenWhatIsSentOnceConnected() throws Exception {
        int proxyPort = TcpProxy.freePort();
        c = component();
        assertThat(c.component()).isEqualTo("cloud.mqtt");
        c.configure(config(proxyPort, "m1").withCapacity(4));
        TestBroker.await("a failed connection attempt", 30, () -> measured("connect_failures_total") >= 1);
        assertThat(measured("connected")).isZero();

        c.publish(msg("q/t1", MessagePriority.TELEMETRY));
        c.publish(msg("q/e1", MessagePriority.EVENT));
        c.publish(msg("q/l1", MessagePriority.LIFECYCLE));
        c.publish(msg("q/t2", MessagePriority.TELEMETRY));
        c.publish(msg("q/l2", MessagePriority.LIFECYCLE)); // drops t1
        c.publish(msg("q/e2", MessagePriority.EVENT)); // drops t2
        c.publish(msg("q/l3", MessagePriority.LIFECYCLE)); // drops e1
        c.publish(msg("q/l4", MessagePriority.LIFECYCLE)); // drops e2
        assertThatThrownBy(() -> c.publish(msg("q/l5", MessagePriority.LIFECYCLE))).isInstanceOf(CloudException.class);

        assertThat(measured("store_messages", Map.of("priority", "LIFECYCLE"))).isEqualTo(4);
        assertThat(measured("store_messages", Map.of("priority", "EVENT"))).isZero();
        assertThat(measured("store_messages", Map.of("priority", "TELEMETRY"))).isZero();
        assertThat(measured("store_bytes")).isPositive();
        assertThat(measured("store_oldest_age_seconds")).isGreaterThanOrEqualTo(0);
        assertThat(measured("messages_dropped_total", dropped(MessagePriority.TELEMETRY, "room"))).isEqualTo(2);
        assertThat(measured("messages_dropped_total", dropped(MessagePriority.EVENT, "room"))).isEqualTo(2);
        assertThat(measured("messages_dropped_total", dropped(MessagePriority.LIFECYCLE, "room"))).isZero();
        assertThat(measured("messages_dropped_total", dropped(MessagePriority.LIFECYCLE, "refused"))).isEqualTo(1);
        assertThat(measured("messages_dropped_total", dropped(MessagePriority.EVENT, "age"))).isZero();
        assertThat(measured("messages_sent_total")).isZero();

        TestBroker broker = closing(new TestBroker(TcpProxy.freePort()).start().observe("fusebox/m1/#"));
        closing(new TcpProxy(proxyPort, broker.port)).start();
        TestBroker.await("the four stored messages sent", 30, () -> measured("messages_sent_total") == 4);
        TestBroker.await("the store emptied", 30, () -> measured("store_messages", Map.of("priority", "LIFECYCLE")) == 0);
        assertThat(broker.on("fusebox/m1/q/")).hasSize(4);
        assertThat(measured("connected")).isEqualTo(1);
        assertThat(measured("reconnects_total")).isZero();
        assertThat(c.measurements()).filteredOn(m -> m.name().equals("store_oldest_age_seconds")).isEmpty();
    }

    @Test
    void aCutConnectionCountsAReconnectOnceItIsBack() throws Exception {
        TestBroker broker = closing(new TestBroker(TcpProxy.freePort()).start().observe("fusebox/m2/#"));
        TcpProxy proxy = closing(new TcpProxy(TcpProxy.freePort(), broker.port));
        proxy.start();
        c = component();
        c.configure(config(proxy.port(), "m2"));
        TestBroker.await("connected", 30, () -> measured("connected") == 1);
        assertThat(measured("reconnects_total")).isZero();

        proxy.cutAll();
        TestBroker.await("a second birth", 30, () -> broker.on("fusebox/m2/MQTT/BIRTH").size() == 2);
        TestBroker.await("the reconnect counted", 30, () -> measured("reconnects_total") == 1);
        assertThat(measured("connected")).isEqualTo(1);
    }

    @Test
    void withoutAConfigurationOnlyTheConnectionIsMeasured() {
        c = component();
        assertThat(c.measurements()).extracting(Measurement::name)
                .containsExactly("connected", "reconnects_total", "connect_failures_total", "messages_sent_total");
    }
}
