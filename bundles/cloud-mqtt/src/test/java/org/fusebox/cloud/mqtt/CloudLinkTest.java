package org.fusebox.cloud.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.cloud.CloudException;
import org.fusebox.api.cloud.CloudMessage;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudRequestHandler;
import org.fusebox.api.cloud.CloudResponse;
import org.fusebox.api.cloud.MessagePriority;
import org.fusebox.api.cloud.RequestProgress;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.ControlState;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.control.Setpoints;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.api.site.SiteLimits;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.api.units.Current;
import org.fusebox.api.units.Percent;
import org.fusebox.api.units.Voltage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;

/** The link against a real broker (Moquette) on loopback, watched by an independent Paho client. */
class CloudLinkTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    private CloudMqttComponent component() {
        CloudMqttComponent c = new CloudMqttComponent(Clock.systemUTC(), () -> Map.of("fusebox-cloud-mqtt", "0.1.0.TEST"), dir);
        toClose.add(c::deactivate);
        return c;
    }

    private TestConfig config(int port, String clientId) {
        return TestConfig.of("tcp://127.0.0.1:" + port, clientId, dir.resolve(clientId + ".mv.db").toString());
    }

    private static JsonNode json(TestBroker.Received r) throws Exception {
        return Json.MAPPER.readTree(r.payload());
    }

    private static CloudMessage msg(String topic, MessagePriority p) {
        return new CloudMessage(topic, ("{\"t\":\"" + topic + "\"}").getBytes(StandardCharsets.UTF_8),
                p == MessagePriority.TELEMETRY ? 0 : 1, false, p);
    }

    static CycleReport report(long cycle) {
        SiteLimits limits = new SiteLimits(Current.ofAmps(63), Current.ofAmps(3), 3, Voltage.NOMINAL_230, Percent.of(10),
                Percent.of(90), Duration.ofSeconds(1));
        SiteSnapshot snapshot = SiteSnapshot.builder(limits).cycle(cycle).timestamp(Instant.parse("2026-01-01T12:00:00Z")).build();
        return new CycleReport(snapshot, "period", List.of("fuse"), Setpoints.empty(), Setpoints.empty(), List.of(), Map.of(),
                new ControlState(ControlMode.RUNNING, List.of(), Instant.parse("2026-01-01T11:00:00Z")), Duration.ofMillis(3));
    }

    @Test
    void birthTelemetryAndEventsArriveAtAnotherClient() throws Exception {
        TestBroker broker = closing(new TestBroker(TcpProxy.freePort()).start().observe("fusebox/#"));
        CloudMqttComponent c = component();
        c.setControlLoop(new ControlLoop() {
            @Override
            public void requestCycle(String reason) {
            }

            @Override
            public ControlState state() {
                return new ControlState(ControlMode.RUNNING, List.of(), Instant.now());
            }

            @Override
            public Optional<CycleReport> lastCycle() {
                return Optional.of(report(42));
            }
        });
        c.configure(config(broker.port, "gw1").withTelemetry(1));
        TestBroker.Received birth = broker.awaitOne("fusebox/gw1/MQTT/BIRTH", r -> true);
        assertThat(json(birth).get("clientId").asText()).isEqualTo("gw1");
        assertThat(json(birth).get("reason").asText()).isEqualTo("connected");
        assertThat(json(birth).get("bundles").get("fusebox-cloud-mqtt").asText()).isEqualTo("0.1.0.TEST");
        assertThat(Instant.parse(json(birth).get("timestamp").asText())).isNotNull();

        TestBroker.Received telemetry = broker.awaitOne("fusebox/gw1/telemetry/site", r -> true);
        JsonNode t = json(telemetry);
        assertThat(t.get("cycle").asLong()).isEqualTo(42);
        assertThat(t.get("state").get("mode").asText()).isEqualTo("RUNNING");
        assertThat(t.get("site").get("limits").get("fuseLimit").get("amps").asDouble()).isEqualTo(63.0);
        assertThat(t.get("site").get("timestamp").asText()).isEqualTo("2026-01-01T12:00:00Z");
        assertThat(telemetry.qos()).isZero();

        c.handleEvent(new Event(FuseboxEvents.LIMIT_BREACH, Map.of(FuseboxEvents.DEVICE, "grid", FuseboxEvents.REASON, "L1 over 63 A")));
        c.handleEvent(new Event(FuseboxEvents.CYCLE_COMPLETED, Map.of(FuseboxEvents.CYCLE, 43L)));
        TestBroker.Received event = broker.awaitOne("fusebox/gw1/events/fusebox/control/LIMIT_BREACH", r -> true);
        assertThat(json(event).get("properties").get("reason").asText()).isEqualTo("L1 over 63 A");
        assertThat(event.qos()).isEqualTo(1);
        // excluded by default: the telemetry already carries every cycle
        assertThat(broker.on("fusebox/gw1/events/fusebox/control/CYCLE_COMPLETED")).isEmpty();
        // working, but a plaintext link is never healthy: that warning is the only thing health says
        assertThat(c.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(c.health().details()).singleElement().asString().startsWith("brokerUrl tcp://127.0.0.1:").contains("is plaintext", "use ssl://");
        // the same cycle is not sent twice
        TestBroker.await("the store to drain", 30, () -> c.link().stats().orElseThrow().total() == 0);
        assertThat(broker.on("fusebox/gw1/telemetry/site")).hasSize(1);
    }

    @Test
    void whatIsPublishedWhileTheBrokerIsUnreachableArrivesLaterInPriorityOrder() throws Exception {
        int proxyPort = TcpProxy.freePort();
        CloudMqttComponent c = component();
        c.configure(config(proxyPort, "gw2"));
        List<String> expected = new ArrayList<>();
        List<CloudMessage> sent = List.of(msg("q/t1", MessagePriority.TELEMETRY), msg("q/e1", MessagePriority.EVENT),
                msg("q/l1", MessagePriority.LIFECYCLE), msg("q/t2", MessagePriority.TELEMETRY),
                msg("q/e2", MessagePriority.EVENT), msg("q/l2", MessagePriority.LIFECYCLE), msg("q/t3", MessagePriority.TELEMETRY));
        for (CloudMessage m : sent) {
            assertThat(c.publish(m)).isNotBlank();
        }
        expected.addAll(List.of("q/l1", "q/l2", "q/e1", "q/e2", "q/t1", "q/t2", "q/t3"));
        assertThat(c.isConnected()).isFalse();
        assertThat(c.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(c.health().details()).anyMatch(d -> d.contains("not connected"))
                .anyMatch(d -> d.contains("LIFECYCLE 2, EVENT 2, TELEMETRY 3"));

        TestBroker broker = closing(new TestBroker(TcpProxy.freePort()).start().observe("fusebox/gw2/#"));
        TcpProxy proxy = closing(new TcpProxy(proxyPort, broker.port));
        proxy.start();
        TestBroker.await("all queued messages", 30, () -> broker.on("fusebox/gw2/q/").size() == expected.size());
        assertThat(broker.on("fusebox/gw2/q/").stream().map(r -> r.topic().substring("fusebox/gw2/".length())))
                .containsExactlyElementsOf(expected);
        TestBroker.await("the store to empty", 30, () -> c.link().stats().orElseThrow().total() == 0);
        TestBroker.await("health to come back (but for the plaintext warning)", 30, () -> c.health().details().size() == 1
                && c.health().details().get(0).contains("is plaintext"));
    }

    @Test
    void aFullStoreDropsTelemetryFirstThenEventsAndNeverLifecycle() throws Exception {
        int proxyPort = TcpProxy.freePort();
        CloudMqttComponent c = component();
        c.configure(config(proxyPort, "gw3").withCapacity(4));
        c.publish(msg("q/t1", MessagePriority.TELEMETRY));
        c.publish(msg("q/e1", MessagePriority.EVENT));
        c.publish(msg("q/l1", MessagePriority.LIFECYCLE));
        c.publish(msg("q/t2", MessagePriority.TELEMETRY));
        c.publish(msg("q/l2", MessagePriority.LIFECYCLE)); // drops t1
        c.publish(msg("q/e2", MessagePriority.EVENT)); // drops t2
        c.publish(msg("q/l3", MessagePriority.LIFECYCLE)); // drops e1
        c.publish(msg("q/l4", MessagePriority.LIFECYCLE)); // drops e2
        assertThatThrownBy(() -> c.publish(msg("q/l5", MessagePriority.LIFECYCLE))).isInstanceOf(CloudException.class)
                .hasMessageContaining("full");
        assertThat(c.health().details()).anyMatch(d -> d.contains("lost"))
                .anyMatch(d -> d.contains("dropped for room {LIFECYCLE=0, EVENT=2, TELEMETRY=2}"))
                .anyMatch(d -> d.contains("LIFECYCLE=1"));

        TestBroker broker = closing(new TestBroker(TcpProxy.freePort()).start().observe("fusebox/gw3/#"));
        closing(new TcpProxy(proxyPort, broker.port)).start();
        TestBroker.await("the lifecycle messages", 30, () -> broker.on("fusebox/gw3/q/").size() == 4);
        assertThat(broker.on("fusebox/gw3/q/").stream().map(TestBroker.Received::topic))
                .containsExactly("fusebox/gw3/q/l1", "fusebox/gw3/q/l2", "fusebox/gw3/q/l3", "fusebox/gw3/q/l4");
    }

    /** Reports progress twice and echoes the request; or blocks until released, to show it blocks nobody else. */
    static final class TestHandler implements CloudRequestHandler {
        private final String app;
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch started = new CountDownLatch(1);
        final boolean slow;
        final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();

        TestHandler(String app, boolean slow) {
            this.app = app;
            this.slow = slow;
        }

        @Override
        public String app() {
            return app;
        }

        @Override
        public CloudResponse handle(CloudRequest request, RequestProgress progress) throws Exception {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                started.countDown();
                if (slow) {
                    release.await(60, TimeUnit.SECONDS);
                }
                return answer(request, progress);
            } finally {
                running.decrementAndGet();
            }
        }

        private CloudResponse answer(CloudRequest request, RequestProgress progress) {
            if (request.resource().equals("fail")) {
                throw new IllegalStateException("cannot do that now");
            }
            progress.report("download", 50, "half way");
            progress.report("install", 100, "done");
            return CloudResponse.ok("{\"method\":\"" + request.method() + "\",\"resource\":\"" + request.resource()
                    + "\",\"requester\":\"" + request.requester() + "\",\"got\":" + new String(request.body(), StandardCharsets.UTF_8) + "}");
        }
    }

    @Test
    void requestsGetProgressAndReplyMalformedOnesA400OrNothingAndASlowAppBlocksNoOther() throws Exception {
        TestBroker broker = closing(new TestBroker(TcpProxy.freePort()).start().observe("fusebox/gw4/#"));
        CloudMqttComponent c = component();
        TestHandler quick = new TestHandler("TEST-V1", false);
        TestHandler slow = new TestHandler("SLOW-V1", true);
        c.addRequestHandler(quick);
        c.addRequestHandler(slow);
        c.configure(config(broker.port, "gw4"));
        broker.awaitOne("fusebox/gw4/MQTT/BIRTH", r -> true);

        broker.send("fusebox/gw4/SLOW-V1/EXEC/upgrade", "{\"requestId\":\"s1\",\"requesterClientId\":\"ops\",\"body\":{}}");
        assertThat(slow.started.await(30, TimeUnit.SECONDS)).isTrue();

        broker.send("fusebox/gw4/TEST-V1/EXEC/bundles/x", "{\"requestId\":\"r1\",\"requesterClientId\":\"ops\",\"body\":{\"a\":1}}");
        TestBroker.Received reply = broker.awaitOne("fusebox/gw4/TEST-V1/REPLY/r1", r -> true);
        JsonNode j = json(reply);
        assertThat(j.get("requestId").asText()).isEqualTo("r1");
        assertThat(j.get("status").asInt()).isEqualTo(200);
        assertThat(j.get("body").get("method").asText()).isEqualTo("EXEC");
        assertThat(j.get("body").get("resource").asText()).isEqualTo("bundles/x");
        assertThat(j.get("body").get("requester").asText()).isEqualTo("ops");
        assertThat(j.get("body").get("got").get("a").asInt()).isEqualTo(1);
        TestBroker.await("both progress messages", 30, () -> broker.on("fusebox/gw4/TEST-V1/NOTIFY/r1").size() >= 2);
        List<TestBroker.Received> progress = broker.on("fusebox/gw4/TEST-V1/NOTIFY/r1");
        assertThat(progress).hasSize(2);
        assertThat(json(progress.get(0)).get("step").asText()).isEqualTo("download");
        assertThat(json(progress.get(0)).get("percent").asInt()).isEqualTo(50);
        assertThat(json(progress.get(1)).get("step").asText()).isEqualTo("install");
        // progress keeps its own order; the reply (LIFECYCLE) may overtake it when both wait in the store
        assertThat(broker.received.indexOf(progress.get(0))).isLessThan(broker.received.indexOf(progress.get(1)));
        assertThat(broker.on("fusebox/gw4/SLOW-V1/REPLY")).isEmpty();

        // a handler's exception is a 500 with its message
        broker.send("fusebox/gw4/TEST-V1/PUT/fail", "{\"requestId\":\"r2\",\"requesterClientId\":\"ops\"}");
        JsonNode failed = json(broker.awaitOne("fusebox/gw4/TEST-V1/REPLY/r2", r -> true));
        assertThat(failed.get("status").asInt()).isEqualTo(500);
        assertThat(failed.get("message").asText()).isEqualTo("cannot do that now");

        // malformed: a readable requestId gets a 400, garbage is counted and logged
        broker.send("fusebox/gw4/TEST-V1/GET/status", "{\"requestId\":\"r3\"}");
        JsonNode refused = json(broker.awaitOne("fusebox/gw4/TEST-V1/REPLY/r3", r -> true));
        assertThat(refused.get("status").asInt()).isEqualTo(400);
        assertThat(refused.get("message").asText()).contains("requesterClientId");
        broker.send("fusebox/gw4/TEST-V1/GET/status", "not json at all");
        TestBroker.await("the malformed count", 30, () -> c.requests().malformed() == 2);
        // no method we know: not a request (our own REPLY/NOTIFY topics would look like this)
        broker.send("fusebox/gw4/TEST-V1/FETCH/x", "{\"requestId\":\"r4\",\"requesterClientId\":\"ops\"}");

        // a second request to the busy app waits its turn
        broker.send("fusebox/gw4/SLOW-V1/GET/second", "{\"requestId\":\"s1b\",\"requesterClientId\":\"ops\"}");
        slow.release.countDown();
        TestBroker.Received s1 = broker.awaitOne("fusebox/gw4/SLOW-V1/REPLY/s1", r -> true);
        TestBroker.Received s1b = broker.awaitOne("fusebox/gw4/SLOW-V1/REPLY/s1b", r -> true);
        assertThat(json(s1).get("status").asInt()).isEqualTo(200);
        assertThat(broker.received.indexOf(s1)).isLessThan(broker.received.indexOf(s1b));
        assertThat(slow.mostAtOnce.get()).isEqualTo(1);
        assertThat(broker.on("fusebox/gw4/TEST-V1/REPLY/r4")).isEmpty();
        assertThat(c.requests().malformed()).isEqualTo(2);

        // an app that goes away stops answering
        c.removeRequestHandler(quick);
        broker.send("fusebox/gw4/TEST-V1/GET/status", "{\"requestId\":\"r5\",\"requesterClientId\":\"ops\"}");
        broker.send("fusebox/gw4/SLOW-V1/GET/status", "{\"requestId\":\"s2\",\"requesterClientId\":\"ops\"}");
        broker.awaitOne("fusebox/gw4/SLOW-V1/REPLY/s2", r -> true);
        assertThat(broker.on("fusebox/gw4/TEST-V1/REPLY/r5")).isEmpty();
    }

    @Test
    void aKilledConnectionLeavesTheDeathMessageAndACleanCloseSendsItToo() throws Exception {
        TestBroker broker = closing(new TestBroker(TcpProxy.freePort()).start().observe("fusebox/gw5/#"));
        TcpProxy proxy = closing(new TcpProxy(TcpProxy.freePort(), broker.port));
        proxy.start();
        CloudMqttComponent c = new CloudMqttComponent(Clock.systemUTC(), Map::of, dir);
        c.configure(config(proxy.port(), "gw5"));
        broker.awaitOne("fusebox/gw5/MQTT/BIRTH", r -> true);

        proxy.cutAll();
        TestBroker.Received will = broker.awaitOne("fusebox/gw5/MQTT/DC", r -> true);
        assertThat(json(will).get("reason").asText()).isEqualTo("connection lost");
        assertThat(json(will).get("clientId").asText()).isEqualTo("gw5");

        // it comes back by itself, says so, and a clean shutdown says goodbye
        TestBroker.await("a second birth", 30, () -> broker.on("fusebox/gw5/MQTT/BIRTH").size() == 2);
        TestBroker.await("connected", 30, c::isConnected);
        c.deactivate();
        TestBroker.await("the shutdown death message", 30, () -> broker.on("fusebox/gw5/MQTT/DC").size() == 2);
        assertThat(json(broker.on("fusebox/gw5/MQTT/DC").get(1)).get("reason").asText()).isEqualTo("shutdown");
        assertThatThrownBy(() -> c.publish(msg("q/x", MessagePriority.EVENT))).isInstanceOf(CloudException.class);
    }

    @Test
    void whatWasQueuedBeforeARestartIsSentAfterIt() throws Exception {
        int proxyPort = TcpProxy.freePort();
        CloudMqttComponent first = new CloudMqttComponent(Clock.systemUTC(), Map::of, dir);
        first.configure(config(proxyPort, "gw7"));
        first.publish(msg("q/before-restart-t", MessagePriority.TELEMETRY));
        first.publish(msg("q/before-restart-e", MessagePriority.EVENT));
        first.deactivate();

        TestBroker broker = closing(new TestBroker(TcpProxy.freePort()).start().observe("fusebox/gw7/#"));
        closing(new TcpProxy(proxyPort, broker.port)).start();
        CloudMqttComponent second = component();
        second.configure(config(proxyPort, "gw7"));
        TestBroker.await("the queued messages", 30, () -> broker.on("fusebox/gw7/q/").size() == 2);
        assertThat(broker.on("fusebox/gw7/q/").stream().map(TestBroker.Received::topic))
                .containsExactly("fusebox/gw7/q/before-restart-e", "fusebox/gw7/q/before-restart-t");
    }

    @Test
    void anInvalidConfigurationIsRefusedWithEveryReasonAndThePreviousStays() throws Exception {
        TestBroker broker = closing(new TestBroker(TcpProxy.freePort()).start().observe("$EDC/#"));
        CloudMqttComponent c = component();
        c.configure(config(broker.port, "gw6").withNamespace("$EDC/{account}/{clientId}", "acme"));
        TestBroker.await("connected", 30, c::isConnected);
        c.publish(msg("q/kura", MessagePriority.EVENT));

        c.configure(config(broker.port, "gw6").withBad());
        assertThat(c.health().status()).isEqualTo(HealthStatus.DEGRADED);
        String details = String.join("\n", c.health().details());
        assertThat(details).contains("brokerUrl 'http://nowhere' must start with tcp:// or ssl://")
                .contains("clientId 'bad/id'").contains("unknown placeholder").contains("keepAliveSeconds")
                .contains("reconnectMaxSeconds").contains("telemetryPeriodSeconds").contains("storeMaxMessages")
                .contains("storeMaxBytes").contains("storeMaxAgeHours").contains("maxInflight")
                .doesNotContain("secret");
        assertThat(c.isConnected()).isTrue();
        assertThat(c.link().namespace()).isEqualTo("$EDC/acme/gw6");
        c.publish(msg("q/still", MessagePriority.EVENT));
        TestBroker.await("both messages on the Kura-style namespace", 30,
                () -> broker.on("$EDC/acme/gw6/q/").size() == 2);
    }
}
