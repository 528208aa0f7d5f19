package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.karaf.features.FeaturesService;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.fusebox.api.control.ControlLoop;
import org.fusebox.api.control.ControlMode;
import org.fusebox.api.control.CycleReport;
import org.fusebox.api.event.FuseboxEvents;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Over the air, end to end, in the running demo site: an operator on a real MQTT broker asks the gateway
 * (fusebox-cloud-mqtt + fusebox-management) to upgrade ONE driver bundle from a signed artifact on an HTTP
 * server; the gateway downloads, verifies, installs, health-checks and reports each step. A tampered artifact
 * is refused with nothing changed; a release whose component cannot activate is rolled back to the running
 * version; and while the link to the broker is cut, events and telemetry are stored and all arrive, in order,
 * once it is back.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class OverTheAirIT extends FuseboxKarafTestSupport {

    private static final String DIR = "fusebox.itest.ota.dir";
    private static final String BROKER = "fusebox.itest.ota.broker";
    private static final String PROXY = "fusebox.itest.ota.proxy";
    private static final String NS = "fusebox/it-gw/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LinkCutter cutter;
    private static MqttClient operator;
    private static final List<String[]> received = new CopyOnWriteArrayList<>();

    @Configuration
    public Option[] options() {
        OtaFixtures ota = OtaFixtures.start();
        int proxyPort = freePort();
        String cloud = "etc/fusebox.cloud.mqtt.cfg";
        // the gateway reaches the broker through a link the test can cut (a TCP relay in the container)
        return withOptions(demoSite(),
                editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "featuresBoot", String.join(",", PLATFORM_BOOT_FEATURES)
                        + "," + String.join(",", DEMO_CAPABILITIES) + ",fusebox-cloud-mqtt,fusebox-management"),
                replaceConfigurationFile("etc/fusebox/trusted-keys/" + OtaFixtures.KEY_ID + ".pem", ota.publicKeyPem.toFile()),
                replaceConfigurationFile("etc/fusebox/operator-keys/" + OperatorSigning.KEY_ID + ".pem", ota.operatorKeyPem.toFile()),
                editConfigurationFilePut("etc/fusebox.management.cfg", "gatewayId", "it-gw"),
                editConfigurationFilePut(cloud, "brokerUrl", "tcp://127.0.0.1:" + proxyPort),
                editConfigurationFilePut(cloud, "clientId", "it-gw"),
                editConfigurationFilePut(cloud, "telemetryPeriodSeconds", "1"),
                editConfigurationFilePut(cloud, "reconnectMinSeconds", "1"),
                editConfigurationFilePut(cloud, "reconnectMaxSeconds", "1"),
                editConfigurationFilePut("etc/fusebox.management.cfg", "healthTimeoutSeconds", "20"),
                editConfigurationFilePut("etc/system.properties", DIR, ota.dir.toString()),
                editConfigurationFilePut("etc/system.properties", BROKER, Integer.toString(ota.brokerPort)),
                editConfigurationFilePut("etc/system.properties", PROXY, Integer.toString(proxyPort)));
    }

    private void connect() throws Exception {
        if (cutter == null) {
            cutter = new LinkCutter(Integer.parseInt(bundleContext.getProperty(PROXY)),
                    Integer.parseInt(bundleContext.getProperty(BROKER)));
        }
        if (operator == null) {
            operator = new MqttClient("tcp://127.0.0.1:" + bundleContext.getProperty(BROKER), "it-operator", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            operator.connect(o);
            operator.subscribe(NS + "#", 1, (topic, m) -> received.add(
                    new String[] {topic, new String(m.getPayload(), StandardCharsets.UTF_8)}));
        }
        waitFor("the gateway's birth message", () -> received.stream().anyMatch(r -> r[0].equals(NS + "MQTT/BIRTH")));
    }

    /** Publishes a DEPLOY-V1 request (an EXEC signed by the operator) and returns its reply, with the progress steps before it. */
    private Reply deploy(String method, String resource, String body) throws Exception {
        String id = UUID.randomUUID().toString();
        String signed = method.equals("EXEC") ? OperatorSigning.load(Path.of(bundleContext.getProperty(DIR)))
                .body("DEPLOY-V1", method, resource, "it-gw", id, body, false) : body;
        return send(id, method, resource, signed);
    }

    /** Publishes a DEPLOY-V1 request with {@code body} exactly as given (signed or not) and returns its reply. */
    private Reply send(String id, String method, String resource, String body) throws Exception {
        String envelope = JSON.writeValueAsString(Map.of("requestId", id, "requesterClientId", "it-operator",
                "body", JSON.readTree(body)));
        operator.publish(NS + "DEPLOY-V1/" + method + "/" + resource, envelope.getBytes(StandardCharsets.UTF_8), 1, false);
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            for (String[] r : received) {
                if (r[0].equals(NS + "DEPLOY-V1/REPLY/" + id)) {
                    List<String> steps = received.stream().filter(x -> x[0].equals(NS + "DEPLOY-V1/NOTIFY/" + id))
                            .map(x -> readStep(x[1])).collect(Collectors.toList());
                    return new Reply(JSON.readTree(r[1]), steps);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no reply to " + method + " " + resource + " within 120 s");
    }

    private static String readStep(String json) {
        try {
            return JSON.readTree(json).path("step").asText();
        } catch (IOException e) {
            return "unreadable: " + json;
        }
    }

    private record Reply(JsonNode json, List<String> steps) {
        int status() {
            return json.path("status").asInt();
        }

        String outcome() {
            return json.path("body").path("outcome").asText();
        }
    }

    private String request(String name) throws IOException {
        return Files.readString(Path.of(bundleContext.getProperty(DIR), name + ".json"));
    }

    private Version driverVersion() {
        return bundle(OtaFixtures.BUNDLE).map(Bundle::getVersion).orElseThrow();
    }

    private CycleReport runningSite(ControlLoop loop) {
        waitFor("the site RUNNING on the meter read over Modbus", () -> loop.lastCycle()
                .filter(r -> r.state().mode() == ControlMode.RUNNING && r.snapshot().grid() != null
                        && r.snapshot().grid().status().isOnline() && r.snapshot().grid().reading() != null)
                .isPresent());
        return loop.lastCycle().orElseThrow();
    }

    @Test
    public void bASignedUpgradeOfOneDriverBundleIsVerifiedInstalledAndHealthChecked() throws Exception {
        connect();
        ControlLoop loop = awaitService(ControlLoop.class);
        runningSite(loop);
        Bundle driver = assertBundleActive(OtaFixtures.BUNDLE);
        long driverId = driver.getBundleId();
        List<Long> others = otherFuseboxBundles(driverId);

        try (BundleEventRecorder bundles = BundleEventRecorder.open(bundleContext); EventRecorder events = EventRecorder.open(bundleContext)) {
            Reply reply = deploy("EXEC", "upgrade", request("good"));

            assertEquals(reply.json.toString(), 200, reply.status());
            assertEquals(reply.json.toString(), "UPGRADED", reply.outcome());
            for (String step : List.of("download", "verify-hash", "verify-signature", "verify-bundle", "health", "done")) {
                assertTrue("no " + step + " progress in " + reply.steps, reply.steps.contains(step));
            }
            assertEquals(new Version(0, 1, 1), driverVersion());
            assertEquals("updated in place, same bundle id", driverId, bundle(OtaFixtures.BUNDLE).orElseThrow().getBundleId());
            bundles.assertUntouched(others, "a signed upgrade of " + OtaFixtures.BUNDLE);
            runningSite(loop);
            System.out.println("OverTheAirIT: upgrade steps " + reply.steps + "; failsafe entered "
                    + events.topic(FuseboxEvents.FAILSAFE_ENTERED).size() + " time(s), "
                    + events.topic(FuseboxEvents.CYCLE_COMPLETED).size() + " cycles completed meanwhile");
        }
    }

    @Test
    public void aATamperedArtifactIsRefusedAndNothingChanges() throws Exception {
        connect();
        Version before = driverVersion();
        try (BundleEventRecorder bundles = BundleEventRecorder.open(bundleContext)) {
            Reply reply = deploy("EXEC", "upgrade", request("tampered"));

            assertEquals(reply.json.toString(), 400, reply.status());
            assertEquals("REFUSED", reply.outcome());
            assertTrue(reply.json.toString(), reply.json.toString().toLowerCase().contains("sha-256")
                    || reply.json.toString().toLowerCase().contains("hash"));
            bundles.assertUntouched(otherFuseboxBundles(-1), "a refused, tampered upgrade");
        }
        assertEquals(before, driverVersion());
        assertBundleActive(OtaFixtures.BUNDLE);
    }

    @Test
    public void cAReleaseWhoseComponentCannotActivateIsRolledBack() throws Exception {
        connect();
        ControlLoop loop = awaitService(ControlLoop.class);
        Version before = driverVersion();
        Reply reply = deploy("EXEC", "upgrade", request("failing"));

        assertEquals(reply.json.toString(), 500, reply.status());
        assertEquals(reply.json.toString(), "ROLLED_BACK", reply.outcome());
        assertTrue("no rollback step in " + reply.steps, reply.steps.contains("rollback"));
        assertEquals(before, driverVersion());
        assertBundleActive(OtaFixtures.BUNDLE);
        runningSite(loop);
    }

    @Test
    public void dEventsAndTelemetryWhileTheLinkIsCutAllArriveAfterwardsInOrder() throws Exception {
        connect();
        EventAdmin eventAdmin = awaitService(EventAdmin.class);
        int telemetryBefore = (int) received.stream().filter(r -> r[0].equals(NS + "telemetry/site")).count();
        cutter.cut();
        waitFor("the gateway noticing the cut link", () -> received.stream().anyMatch(r -> r[0].equals(NS + "MQTT/DC"))
                || healthDetailsQuietly("cloud.mqtt").stream().anyMatch(d -> d.toLowerCase().contains("not connected")
                        || d.toLowerCase().contains("disconnected")));
        int receivedAtCut = received.size();
        for (int i = 0; i < 40; i++) {
            eventAdmin.postEvent(new Event("fusebox/itest/OUTAGE", Map.of("n", i)));
        }
        Thread.sleep(4_000); // four telemetry periods with the link down
        assertTrue("messages got through a cut link", received.size() - receivedAtCut <= 1);
        cutter.restore();

        waitFor("all 40 events after the link is back", () -> outageEvents().size() == 40);
        List<Integer> order = outageEvents();
        for (int i = 0; i < 40; i++) {
            assertEquals("events out of order: " + order, Integer.valueOf(i), order.get(i));
        }
        waitFor("the telemetry stored during the cut", () -> received.stream().filter(r -> r[0].equals(NS + "telemetry/site")).count()
                >= telemetryBefore + 4);
    }

    /**
     * An upgraded driver stays through feature operations of other features (before, Karaf put the feature's version
     * back at the next one): the upgrade pins it through Karaf's bundle overrides. A rollback removes the pin, and the
     * feature's own version then stays through the next feature operation too.
     */
    @Test
    public void eAnUpgradeStaysThroughFeatureOperationsAndARollbackRemovesItsPin() throws Exception {
        connect();
        Reply upgraded = deploy("EXEC", "upgrade", request("good"));
        assertTrue(upgraded.json.toString(), upgraded.status() == 200 || upgraded.status() == 409);
        assertEquals(new Version(0, 1, 1), driverVersion());
        String overrides = Files.readString(Path.of(System.getProperty("karaf.etc"), "overrides.properties"));
        assertTrue(overrides, overrides.contains("mvn:org.fusebox/" + OtaFixtures.BUNDLE + "/0.1.1"));
        long driverId = bundle(OtaFixtures.BUNDLE).orElseThrow().getBundleId();

        try (BundleEventRecorder bundles = BundleEventRecorder.open(bundleContext)) {
            featuresService.installFeature("fusebox-forecast-simple", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            featuresService.installFeature("fusebox-optimiser-audit", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            featuresService.uninstallFeature("fusebox-forecast-simple", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            featuresService.uninstallFeature("fusebox-optimiser-audit", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            assertEquals("the upgraded driver after two installs and two uninstalls", new Version(0, 1, 1), driverVersion());
            bundles.assertUntouched(List.of(driverId), "feature operations of other features, on the upgraded driver");
        }
        assertTrue(healthDetailsQuietly("management").stream().noneMatch(d -> d.contains("was replaced by")));
        assertTrue(received.stream().noneMatch(r -> r[0].equals(NS + "events/fusebox/management/REVERTED")));

        Reply back = deploy("EXEC", "rollback", "{\"symbolicName\":\"" + OtaFixtures.BUNDLE + "\"}");
        assertEquals(back.json.toString(), 200, back.status());
        Version shipped = driverVersion();
        assertTrue("rolled back below 0.1.1: " + shipped, shipped.compareTo(new Version(0, 1, 1)) < 0);
        assertTrue(Files.readString(Path.of(System.getProperty("karaf.etc"), "overrides.properties")).lines()
                .noneMatch(l -> l.contains(OtaFixtures.BUNDLE)));
        featuresService.installFeature("fusebox-forecast-simple", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        featuresService.uninstallFeature("fusebox-forecast-simple", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        assertEquals(shipped, driverVersion());
        assertBundleActive(OtaFixtures.BUNDLE);
    }

    /**
     * A client that is not an operator, on the real broker: an unsigned uninstall of the core and an upgrade signed by
     * the release key instead of an operator key are refused with their codes; the operator's own uninstall of the core
     * without the safety override too; the core and the driver run on.
     */
    @Test
    public void fRemoteChangesWithoutTheOperatorsSignatureAreRefused() throws Exception {
        connect();
        Version driver = driverVersion();
        long coreId = assertBundleActive("fusebox-core").getBundleId();
        try (BundleEventRecorder bundles = BundleEventRecorder.open(bundleContext)) {
            Reply unsigned = send(UUID.randomUUID().toString(), "EXEC", "uninstall", "{\"symbolicName\":\"fusebox-core\"}");
            assertEquals(unsigned.json.toString(), 401, unsigned.status());
            assertEquals("UNSIGNED", unsigned.json.path("body").path("code").asText());
            Reply unsignedConf = sendTo("CONF-V1", "PUT", "configurations",
                    "{\"configurations\":[{\"pid\":\"fusebox.management\",\"properties\":{\"allowDowngrade\":true}}]}");
            assertEquals(unsignedConf.json.toString(), 401, unsignedConf.status());
            Reply noOverride = deploy("EXEC", "uninstall", "{\"symbolicName\":\"fusebox-core\"}");
            assertEquals(noOverride.json.toString(), 403, noOverride.status());
            assertEquals("SAFETY_OVERRIDE_REQUIRED", noOverride.json.path("body").path("code").asText());
            bundles.assertUntouched(otherFuseboxBundles(-1), "refused remote changes");
        }
        assertEquals(coreId, assertBundleActive("fusebox-core").getBundleId());
        assertEquals(driver, driverVersion());
        runningSite(awaitService(ControlLoop.class));
    }

    /** Publishes an unsigned request to another app and returns its reply. */
    private Reply sendTo(String app, String method, String resource, String body) throws Exception {
        String id = UUID.randomUUID().toString();
        String envelope = JSON.writeValueAsString(Map.of("requestId", id, "requesterClientId", "it-intruder", "body", JSON.readTree(body)));
        operator.publish(NS + app + "/" + method + "/" + resource, envelope.getBytes(StandardCharsets.UTF_8), 1, false);
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            for (String[] r : received) {
                if (r[0].equals(NS + app + "/REPLY/" + id)) {
                    return new Reply(JSON.readTree(r[1]), List.of());
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no reply from " + app + " within 60 s");
    }

    private List<Integer> outageEvents() {
        List<Integer> ns = new ArrayList<>();
        for (String[] r : received) {
            if (r[0].equals(NS + "events/fusebox/itest/OUTAGE")) {
                try {
                    ns.add(JSON.readTree(r[1]).path("properties").path("n").asInt());
                } catch (IOException e) {
                    throw new AssertionError("unreadable event " + r[1], e);
                }
            }
        }
        return ns;
    }

    private List<String> healthDetailsQuietly(String name) {
        try {
            return healthDetails(name);
        } catch (Exception | AssertionError e) {
            return List.of();
        }
    }

    private List<Long> otherFuseboxBundles(long except) {
        List<Long> others = new ArrayList<>();
        for (Bundle b : bundleContext.getBundles()) {
            String bsn = b.getSymbolicName();
            if (bsn != null && bsn.startsWith("fusebox-") && b.getBundleId() != except && !bsn.equals(OtaFixtures.BUNDLE)) {
                others.add(b.getBundleId());
            }
        }
        return others;
    }

    /** A TCP relay from the gateway to the broker that the test can cut (every connection dropped, new ones refused). */
    private static final class LinkCutter {
        private final int brokerPort;
        private final ServerSocket listener;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private volatile boolean cut;

        LinkCutter(int port, int brokerPort) throws IOException {
            this.brokerPort = brokerPort;
            this.listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(this::acceptLoop, "it-link");
            accept.setDaemon(true);
            accept.start();
        }

        private void acceptLoop() {
            while (!listener.isClosed()) {
                try {
                    Socket gateway = listener.accept();
                    if (cut) {
                        gateway.close();
                        continue;
                    }
                    Socket broker = new Socket(InetAddress.getLoopbackAddress(), brokerPort);
                    open.add(gateway);
                    open.add(broker);
                    pump(gateway, broker);
                    pump(broker, gateway);
                } catch (IOException e) {
                    // a refused or broken relay connection: the gateway reconnects
                }
            }
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // the other side closed
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "it-link-pump");
            t.setDaemon(true);
            t.start();
        }

        void cut() {
            cut = true;
            open.forEach(LinkCutter::closeQuietly);
            open.clear();
        }

        void restore() {
            cut = false;
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
