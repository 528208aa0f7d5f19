package org.fusebox.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * Issue 6, as an operator sees it: a gateway killed (SIGKILL, no shutdown) in the middle of an over-the-air
 * upgrade comes back on the last good set. Not a Pax Exam test: the real distribution runs as
 * {@code bin/karaf server} on one installation under {@code target/kill-during-upgrade/gateway}, which is
 * killed and started again. The operator's side (Moquette broker, artifact server, release key) is
 * {@link OtaFixtures}; a second server here can stall in the middle of a body.
 *
 * <p>The kill points are exact: a JDWP breakpoint holds the upgrading thread (only that one) where the test
 * wants it, the test waits for the progress an operator would have seen, then kills the JVM.
 * <ol>
 *   <li>a: journal written, previous jar kept, {@code Bundle.update} not yet called (the framework has
 *       nothing new);</li>
 *   <li>b: right after the {@code update} step was reported (the framework has the new revision on disk),
 *       before refresh, start and health; afterwards the same request succeeds;</li>
 *   <li>c: in the middle of the download: nothing changed, and the re-sent request resumes with Range.</li>
 * </ol>
 * The methods share the installation and run in name order (each leaves the gateway running).
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class KillDuringUpgradeIT {

    private static final String CLIENT_ID = "kill-gw";
    private static final String NS = "fusebox/" + CLIENT_ID + "/";
    private static final String DRIVER = OtaFixtures.BUNDLE;
    private static final String SHIPPED = "0.1.0.SNAPSHOT";
    private static final String OWN_KEY_ID = "it-kill";
    private static final Duration FIRST_START = Duration.ofSeconds(150);
    private static final Duration RESTART = Duration.ofSeconds(90);
    private static final Duration REPLY = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static OtaFixtures ota;
    private static KarafGateway gateway;
    private static int httpPort;
    private static MqttClient operator;
    private static final List<String[]> received = new CopyOnWriteArrayList<>();
    private static StallingServer stalling;
    private static KeyPair ownKey;
    private static OperatorSigning signing;
    private static long classStarted;

    @BeforeClass
    public static void startGateway() throws Exception {
        classStarted = System.nanoTime();
        ota = OtaFixtures.start();
        ownKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        stalling = new StallingServer();
        Path dir = Path.of("target", "kill-during-upgrade").toAbsolutePath();
        gateway = KarafGateway.unpack(dir);
        // the test JVM may die without @AfterClass (failsafe timeout): never leave a gateway behind
        KarafGateway g = gateway;
        Runtime.getRuntime().addShutdownHook(new Thread(g::close, "it-kill-gateway"));

        int[] ports = FuseboxKarafTestSupport.freePorts(5);
        httpPort = ports[0];
        gateway.configure("org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(httpPort));
        gateway.configure("fusebox.simulator.cfg", "gridMeterModbusPort", Integer.toString(ports[1]));
        gateway.configure("fusebox.simulator.cfg", "pvModbusPort", Integer.toString(ports[2]));
        gateway.configure("fusebox.simulator.cfg", "batteryModbusPort", Integer.toString(ports[3]));
        gateway.configure("fusebox.driver.modbus-grid.cfg", "port", Integer.toString(ports[1]));
        gateway.configure("fusebox.driver.modbus-pv.cfg", "port", Integer.toString(ports[2]));
        gateway.configure("fusebox.driver.modbus-battery.cfg", "port", Integer.toString(ports[3]));
        gateway.configure("fusebox.driver.ocpp.cfg", "port", Integer.toString(ports[4]));
        gateway.configure("fusebox.simulator.cfg", "ocppCentralSystemUrl", "ws://127.0.0.1:" + ports[4] + "/ocpp");
        gateway.appendToList("org.apache.karaf.features.cfg", "featuresBoot", "fusebox-cloud-mqtt", "fusebox-management");
        gateway.configure("fusebox.cloud.mqtt.cfg", "brokerUrl", "tcp://127.0.0.1:" + ota.brokerPort);
        gateway.configure("fusebox.cloud.mqtt.cfg", "clientId", CLIENT_ID);
        gateway.configure("fusebox.cloud.mqtt.cfg", "telemetryPeriodSeconds", "1");
        gateway.configure("fusebox.cloud.mqtt.cfg", "reconnectMinSeconds", "1");
        gateway.configure("fusebox.cloud.mqtt.cfg", "reconnectMaxSeconds", "2");
        gateway.configure("fusebox.management.cfg", "healthTimeoutSeconds", "30");
        gateway.configure("fusebox.management.cfg", "retryDelaySeconds", "1");
        gateway.configure("fusebox.management.cfg", "readTimeoutSeconds", "30");
        gateway.configure("fusebox.management.cfg", "gatewayId", CLIENT_ID);
        Path operators = gateway.etc("fusebox/operator-keys");
        Files.createDirectories(operators);
        Files.copy(ota.operatorKeyPem, operators.resolve(OperatorSigning.KEY_ID + ".pem"));
        signing = OperatorSigning.load(ota.dir);
        Path keys = gateway.etc("fusebox/trusted-keys");
        Files.createDirectories(keys);
        Files.copy(ota.publicKeyPem, keys.resolve(OtaFixtures.KEY_ID + ".pem"));
        Files.writeString(keys.resolve(OWN_KEY_ID + ".pem"), pem(ownKey));

        operator = new MqttClient("tcp://127.0.0.1:" + ota.brokerPort, "kill-operator", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        operator.connect(o);
        operator.subscribe(NS + "#", 1, (topic, m) -> received.add(new String[] {topic, new String(m.getPayload(), StandardCharsets.UTF_8)}));

        startAndAwaitSite(FIRST_START);
        assertDriver(SHIPPED);
    }

    @AfterClass
    public static void stopEverything() throws Exception {
        try {
            if (gateway != null) {
                gateway.close();
            }
        } finally {
            if (operator != null && operator.isConnected()) {
                operator.disconnect();
            }
            if (stalling != null) {
                stalling.stop();
            }
            System.out.println("KillDuringUpgradeIT: whole class took "
                    + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - classStarted) + " s");
        }
    }

    /** Killed after the journal and the kept jar, before Bundle.update: the framework has nothing new. */
    @Test
    public void aKilledBeforeTheFrameworkTookTheNewBytesComesBackOnThePreviousVersion() throws Exception {
        String fromVersion = driverVersion();
        List<String> cacheBefore = gateway.cachedRevisions(DRIVER);
        String id = killAt("org.apache.felix.framework.BundleImpl", "update", "keep-previous", Files.readString(ota.dir.resolve("good.json")));
        List<String> cacheAtKill = gateway.cachedRevisions(DRIVER);
        System.out.println("KillDuringUpgradeIT a: Felix cache of " + DRIVER + " before " + cacheBefore + ", at the kill " + cacheAtKill);
        assertEquals("the framework must not have a new revision yet", cacheBefore, cacheAtKill);

        restartAndAssertRecovered(id, fromVersion, "0.1.1");
    }

    /**
     * Killed right after the gateway reported {@code update}: the new revision is in the framework's cache,
     * not yet refreshed, started or health-checked. It comes back on the previous version; the same
     * request sent again then succeeds.
     */
    @Test
    public void bKilledRightAfterTheUpdateStepComesBackOnThePreviousVersionAndTheNextUpgradeSucceeds() throws Exception {
        String fromVersion = driverVersion();
        String good = Files.readString(ota.dir.resolve("good.json"));
        String id = killAt("org.fusebox.management.BundleDeployer", "refreshIfPending", "update", good);
        List<String> cacheAtKill = gateway.cachedRevisions(DRIVER);
        System.out.println("KillDuringUpgradeIT b: Felix cache of " + DRIVER + " at the kill " + cacheAtKill);
        assertTrue("the framework should have persisted the new revision before reporting update: " + cacheAtKill,
                cacheAtKill.stream().anyMatch(r -> r.endsWith("=0.1.1")));

        restartAndAssertRecovered(id, fromVersion, "0.1.1");
        System.out.println("KillDuringUpgradeIT b: Felix cache of " + DRIVER + " after the recovery " + gateway.cachedRevisions(DRIVER));

        // usable after the recovery: the same signed upgrade, sent again, goes through
        String again = publish("DEPLOY-V1", "EXEC", "upgrade", good);
        JsonNode reply = awaitReply("DEPLOY-V1", again, REPLY);
        assertEquals(reply.toString(), 200, reply.path("status").asInt());
        assertEquals(reply.toString(), "UPGRADED", reply.path("body").path("outcome").asText());
        assertDriver("0.1.1");
        awaitRunningSite();
        assertFalse("journal left after a confirmed upgrade", Files.exists(gateway.journal()));
    }

    /**
     * Killed while the artifact is half downloaded (the server stalls mid-body): nothing changed, and the
     * same request sent after the restart continues the partial file with a Range request and succeeds.
     */
    @Test
    public void cKilledMidDownloadChangesNothingAndTheResentRequestResumes() throws Exception {
        String before = driverVersion();
        String next = nextPatch(before);
        byte[] jar = withVersion(Files.readAllBytes(ota.dir.resolve("good.jar")), next);
        int stallAfter = jar.length / 2;
        String path = "/" + DRIVER + "-" + next + ".jar";
        stalling.serve(path, jar, stallAfter);
        String request = signedRequest(next, "http://127.0.0.1:" + stalling.port() + path, jar);
        Path part = gateway.staging().resolve("downloads").resolve(sha256Hex(jar) + ".part");
        List<String> cacheBefore = gateway.cachedRevisions(DRIVER);

        String id = publish("DEPLOY-V1", "EXEC", "upgrade", request);
        gateway.await("half of the artifact in " + part.getFileName() + " and download progress reported", REPLY,
                () -> sizeOf(part) == stallAfter && steps(id).stream().anyMatch(s -> s.path("step").asText().equals("download")
                        && s.path("percent").asInt() > 5));
        gateway.kill();
        stalling.release();

        assertFalse("a journal before anything changed", Files.exists(gateway.journal()));
        assertEquals("the partial download survives the kill", stallAfter, sizeOf(part));
        assertEquals("the framework's cache of " + DRIVER + " changed", cacheBefore, gateway.cachedRevisions(DRIVER));
        assertTrue("no reply for a killed request: " + reply("DEPLOY-V1", id), reply("DEPLOY-V1", id) == null);

        startAndAwaitSite(RESTART);
        assertDriver(before);
        assertFalse(Files.exists(gateway.journal()));
        JsonNode management = managementHealth();
        assertEquals("nothing to recover from: " + management, "UP", management.path("status").asText());

        String again = publish("DEPLOY-V1", "EXEC", "upgrade", request);
        JsonNode reply = awaitReply("DEPLOY-V1", again, REPLY);
        assertEquals(reply.toString(), 200, reply.path("status").asInt());
        assertEquals(reply.toString(), "UPGRADED", reply.path("body").path("outcome").asText());
        assertEquals("the re-sent request asked for the rest only: " + stalling.rangesAsked(path),
                List.of("bytes=" + stallAfter + "-"), stalling.rangesAsked(path));
        assertTrue("no resume progress in " + stepTexts(again), steps(again).stream()
                .anyMatch(s -> s.path("message").asText().startsWith("resuming at byte " + stallAfter)));
        assertDriver(next);
        awaitRunningSite();
    }

    /**
     * No unsigned code path: a bundle dropped into deploy/ is never installed (the distribution ships no deploy watcher),
     * while fileinstall still applies a change of an etc/*.cfg file.
     */
    @Test
    public void dAJarDroppedIntoDeployIsNotInstalledAndAnEtcChangeStillApplies() throws Exception {
        Path deploy = gateway.home.resolve("deploy");
        Files.createDirectories(deploy);
        Files.write(deploy.resolve("fusebox-dropped-1.0.0.jar"), droppedBundle());
        gateway.configure("fusebox.optimiser.fuse.cfg", "minIncreaseAmps", "3");
        gateway.await("fileinstall applying minIncreaseAmps = 3 from etc/fusebox.optimiser.fuse.cfg", REPLY, () -> {
            JsonNode c = awaitReply("CONF-V1", publishQuietly("CONF-V1", "GET", "configurations/fusebox.optimiser.fuse", "{}"), REPLY);
            return c.path("body").path("properties").toString().contains("\"minIncreaseAmps\":3")
                    || c.path("body").path("properties").toString().contains("\"minIncreaseAmps\":\"3\"");
        });
        // fileinstall polls every second: the change above took longer than a poll of a watched deploy/ would
        Thread.sleep(3_000);
        // the REST API lists every fusebox* bundle; the framework's cache would hold any bundle ever installed
        assertTrue("the REST bundle list has no driver", restBundle(DRIVER).has("version"));
        assertFalse("a jar dropped into deploy/ was installed: " + restBundle("fusebox-dropped"), restBundle("fusebox-dropped").has("version"));
        assertEquals("a jar dropped into deploy/ reached the framework", List.of(), gateway.cachedRevisions("fusebox-dropped"));
        assertFalse("no fileinstall watcher for deploy/ is shipped", Files.exists(gateway.etc("org.apache.felix.fileinstall-deploy.cfg")));
        assertTrue(Files.readString(deploy.resolve("README")).contains("NOT watched"));
    }

    /**
     * An over-the-air upgrade stays: through feature operations of other features, a clean restart and a kill -9, the
     * upgraded driver is still the one running (Karaf's bundle override pins it). Its rollback works and stays too.
     */
    @Test
    public void eAnUpgradeStaysThroughFeatureOperationsARestartAndAKillAndItsRollbackToo() throws Exception {
        String before = driverVersion();
        String next = nextPatch(before);
        byte[] jar = withVersion(Files.readAllBytes(ota.dir.resolve("good.jar")), next);
        String path = "/" + DRIVER + "-" + next + "-whole.jar";
        stalling.serveWhole(path, jar);
        JsonNode up = awaitReply("DEPLOY-V1", publish("DEPLOY-V1", "EXEC", "upgrade",
                signedRequest(next, "http://127.0.0.1:" + stalling.port() + path, jar)), REPLY);
        assertEquals(up.toString(), "UPGRADED", up.path("body").path("outcome").asText());
        assertTrue("no pin step in " + up, up.toString().contains("kept through feature operations and restarts"));
        assertDriver(next);
        assertTrue(Files.readString(gateway.etc("overrides.properties")).contains("mvn:org.fusebox/" + DRIVER + "/" + next));

        featureRoundTrip("fusebox-forecast-simple");
        assertDriver(next);
        gateway.stop();
        startAndAwaitSite(RESTART);
        assertDriver(next);
        featureRoundTrip("fusebox-optimiser-audit");
        assertDriver(next);
        gateway.kill();
        startAndAwaitSite(RESTART);
        assertDriver(next);
        awaitRunningSite();
        JsonNode management = managementHealth();
        assertFalse("a revert reported: " + management, management.toString().contains("was replaced by"));

        JsonNode back = awaitReply("DEPLOY-V1", publish("DEPLOY-V1", "EXEC", "rollback", "{\"symbolicName\":\"" + DRIVER + "\"}"), REPLY);
        assertEquals(back.toString(), 200, back.path("status").asInt());
        assertDriver(before);
        featureRoundTrip("fusebox-forecast-simple");
        gateway.kill();
        startAndAwaitSite(RESTART);
        assertDriver(before);
        System.out.println("KillDuringUpgradeIT e: " + DRIVER + " " + next + " stayed through 2 feature installs and uninstalls, a "
                + "restart and a kill -9; rolled back to " + before + ", which stayed too; overrides: "
                + Files.readString(gateway.etc("overrides.properties")).lines().filter(l -> l.contains(DRIVER)).collect(Collectors.toList()));
    }

    /** Installs a feature of the distribution and uninstalls it again, both through DEPLOY-V1 (Karaf's FeaturesService). */
    private static void featureRoundTrip(String feature) throws Exception {
        String version = null;
        for (JsonNode f : awaitReply("DEPLOY-V1", publish("DEPLOY-V1", "GET", "features", "{}"), REPLY).path("body").path("features")) {
            if (f.path("name").asText().equals(feature)) {
                version = f.path("version").asText();
            }
        }
        assertNotNull("no feature " + feature, version);
        String body = "{\"feature\":\"" + feature + "\",\"version\":\"" + version + "\"}";
        JsonNode in = awaitReply("DEPLOY-V1", publish("DEPLOY-V1", "EXEC", "install", body), REPLY);
        assertEquals(in.toString(), "INSTALLED", in.path("body").path("outcome").asText());
        JsonNode out = awaitReply("DEPLOY-V1", publish("DEPLOY-V1", "EXEC", "uninstall", "{\"feature\":\"" + feature + "\"}"), REPLY);
        assertEquals(out.toString(), "UNINSTALLED", out.path("body").path("outcome").asText());
    }

    private static String publishQuietly(String app, String method, String resource, String body) {
        try {
            return publish(app, method, resource, body);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A valid bundle nobody signed. */
    private static byte[] droppedBundle() throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(new Attributes.Name("Bundle-ManifestVersion"), "2");
        mf.getMainAttributes().put(new Attributes.Name("Bundle-SymbolicName"), "fusebox-dropped");
        mf.getMainAttributes().put(new Attributes.Name("Bundle-Version"), "1.0.0");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, mf)) {
            out.putNextEntry(new JarEntry("dropped.txt"));
            out.write("not signed".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return bytes.toByteArray();
    }

    // ------------------------------------------------------------------ the kill and what follows

    /**
     * Holds the upgrading thread when it enters {@code className.methodName}, waits until the operator has
     * received the progress {@code seenStep}, checks the journal is on disk, and kills the JVM.
     * @return the killed request's id
     */
    private String killAt(String className, String methodName, String seenStep, String requestBody) throws Exception {
        KarafGateway.Hold hold = gateway.holdAt(className, methodName);
        try {
            String id = publish("DEPLOY-V1", "EXEC", "upgrade", requestBody);
            String where = hold.awaitHit(REPLY);
            gateway.await("progress '" + seenStep + "' of request " + id, REPLY,
                    () -> steps(id).stream().anyMatch(s -> s.path("step").asText().equals(seenStep)));
            assertTrue("no journal while " + where, Files.exists(gateway.journal()));
            String journal = Files.readString(gateway.journal());
            gateway.kill();
            System.out.println("KillDuringUpgradeIT: killed pid with " + where + " after " + stepNames(id) + "; journal:\n"
                    + journal.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining(", ")));
            return id;
        } finally {
            hold.close();
        }
    }

    private void restartAndAssertRecovered(String killedRequest, String fromVersion, String toVersion) throws Exception {
        assertTrue("the journal must survive the kill", Files.exists(gateway.journal()));
        startAndAwaitSite(RESTART);

        // the recovery runs in the background after activation; health then tells what it did
        String expected = "interrupted bundle " + DRIVER + " " + fromVersion + " -> " + toVersion;
        gateway.await("the management health reporting the recovery", REPLY,
                () -> managementHealth().path("details").toString().contains(expected));
        JsonNode management = managementHealth();
        String detail = management.path("details").toString();
        assertEquals(management.toString(), "DEGRADED", management.path("status").asText());
        assertTrue(detail, detail.contains("request " + killedRequest));
        assertTrue(detail, detail.contains("restored " + fromVersion));

        assertDriver(fromVersion);
        assertFalse("the journal must be gone after the recovery", Files.exists(gateway.journal()));
        awaitRunningSite();

        // the same, as the operator reads it over the cloud link: health, and the RECOVERED event among the errors
        gateway.await("fusebox/management/RECOVERED for request " + killedRequest + " in STATUS-V1 errors", REPLY,
                () -> recoveredEvent(status().path("errors"), killedRequest) != null);
        JsonNode status = status();
        assertTrue("STATUS-V1 health without the recovery: " + status,
                status.path("health").toString().contains(expected));
        JsonNode event = recoveredEvent(status.path("errors"), killedRequest);
        assertTrue(event.toString(), event.path("message").asText().contains(expected));
        assertEquals(event.toString(), DRIVER, event.path("properties").path("name").asText());
        System.out.println("KillDuringUpgradeIT: after the restart, STATUS-V1 errors has " + event + "; the event reached MQTT "
                + received.stream().filter(r -> r[0].equals(NS + "events/fusebox/management/RECOVERED") && r[1].contains(killedRequest)).count()
                + " time(s)");
        JsonNode listed = awaitReply("DEPLOY-V1", publish("DEPLOY-V1", "GET", "bundles", "{}"), REPLY).path("body").path("bundles");
        JsonNode driver = null;
        for (JsonNode b : listed) {
            if (b.path("symbolicName").asText().equals(DRIVER)) {
                driver = b;
            }
        }
        assertNotNull("DEPLOY-V1 GET bundles lists no " + DRIVER + ": " + listed, driver);
        assertEquals(driver.toString(), fromVersion, driver.path("version").asText());
        assertEquals(driver.toString(), "ACTIVE", driver.path("state").asText());
    }

    private static JsonNode status() {
        try {
            return awaitReply("STATUS-V1", publish("STATUS-V1", "GET", "status", "{}"), REPLY).path("body");
        } catch (Exception e) {
            throw new AssertionError("STATUS-V1 GET status: " + e, e);
        }
    }

    private static JsonNode recoveredEvent(JsonNode errors, String requestId) {
        for (JsonNode e : errors) {
            if (e.path("source").asText().equals("fusebox/management/RECOVERED")
                    && e.path("properties").path("requestId").asText().equals(requestId)) {
                return e;
            }
        }
        return null;
    }

    private static void startAndAwaitSite(Duration timeout) throws Exception {
        int birthsBefore = topicCount(NS + "MQTT/BIRTH");
        long t0 = System.nanoTime();
        gateway.start();
        gateway.await("GET /fusebox/api/v1/site answering with a cycle, RUNNING", timeout, KillDuringUpgradeIT::siteRunning);
        gateway.await("the gateway's MQTT birth", timeout, () -> topicCount(NS + "MQTT/BIRTH") > birthsBefore);
        System.out.println("KillDuringUpgradeIT: start in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
                + " ms to a running site and a birth (JVM pid " + gateway.pid() + ")");
    }

    /** Cycles going, RUNNING, the meter read over Modbus, and every kind of device of the demo site present. */
    private static boolean siteRunning() {
        Http.Response r = Http.get(httpPort, "/fusebox/api/v1/site");
        if (r.status() != 200) {
            return false;
        }
        try {
            JsonNode site = JSON.readTree(r.body());
            return site.path("cycle").asLong() > 0 && site.path("state").path("mode").asText().equals("RUNNING")
                    && site.path("grid").path("status").path("state").asText().equals("ONLINE")
                    && !site.path("grid").path("reading").isMissingNode() && !site.path("grid").path("reading").isNull()
                    && site.path("pv").size() > 0 && site.path("batteries").size() > 0 && site.path("chargers").size() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitRunningSite() {
        long cycle = cycle();
        gateway.await("the site RUNNING with new cycles", RESTART, () -> siteRunning() && cycle() > cycle);
    }

    private static long cycle() {
        Http.Response r = Http.get(httpPort, "/fusebox/api/v1/site");
        try {
            return r.status() == 200 ? JSON.readTree(r.body()).path("cycle").asLong() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static String driverVersion() throws IOException {
        return restBundle(DRIVER).path("version").asText();
    }

    /** The driver at {@code version} and ACTIVE, as GET /fusebox/api/v1/bundles shows it (within a deadline). */
    private static void assertDriver(String version) {
        gateway.await(DRIVER + " " + version + " ACTIVE in GET /fusebox/api/v1/bundles", RESTART, () -> {
            try {
                JsonNode b = restBundle(DRIVER);
                return b.path("version").asText().equals(version) && b.path("state").asText().equals("ACTIVE");
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static JsonNode restBundle(String bsn) throws IOException {
        Http.Response r = Http.get(httpPort, "/fusebox/api/v1/bundles");
        if (r.status() != 200) {
            return JSON.createObjectNode();
        }
        for (JsonNode b : JSON.readTree(r.body()).path("bundles")) {
            if (b.path("symbolicName").asText().equals(bsn)) {
                return b;
            }
        }
        return JSON.createObjectNode();
    }

    /** The {@code management} indicator in GET /fusebox/api/v1/health (an empty node while it is not there). */
    private static JsonNode managementHealth() {
        Http.Response r = Http.get(httpPort, "/fusebox/api/v1/health");
        try {
            if (r.status() == 200 || r.status() == 503) {
                for (JsonNode c : JSON.readTree(r.body()).path("components")) {
                    if (c.path("name").asText().equals("management")) {
                        return c;
                    }
                }
            }
        } catch (IOException e) {
            // not JSON yet: not there
        }
        return JSON.createObjectNode();
    }

    // ------------------------------------------------------------------ the operator over MQTT

    /** Publishes a request; an EXEC is signed by the operator for this gateway, as it must be. */
    private static String publish(String app, String method, String resource, String body) throws Exception {
        String id = UUID.randomUUID().toString();
        String signed = method.equals("EXEC") ? signing.body(app, method, resource, CLIENT_ID, id, body, false) : body;
        String envelope = JSON.writeValueAsString(Map.of("requestId", id, "requesterClientId", "kill-operator",
                "body", JSON.readTree(signed)));
        operator.publish(NS + app + "/" + method + "/" + resource, envelope.getBytes(StandardCharsets.UTF_8), 1, false);
        return id;
    }

    private static JsonNode reply(String app, String id) {
        for (String[] r : received) {
            if (r[0].equals(NS + app + "/REPLY/" + id)) {
                try {
                    return JSON.readTree(r[1]);
                } catch (IOException e) {
                    throw new AssertionError("unreadable reply " + r[1], e);
                }
            }
        }
        return null;
    }

    private static JsonNode awaitReply(String app, String id, Duration timeout) {
        gateway.await("the reply to " + app + " request " + id, timeout, () -> reply(app, id) != null);
        return reply(app, id);
    }

    private static List<JsonNode> steps(String id) {
        List<JsonNode> steps = new ArrayList<>();
        for (String[] r : received) {
            if (r[0].equals(NS + "DEPLOY-V1/NOTIFY/" + id)) {
                try {
                    steps.add(JSON.readTree(r[1]));
                } catch (IOException e) {
                    throw new AssertionError("unreadable progress " + r[1], e);
                }
            }
        }
        return steps;
    }

    private static List<String> stepNames(String id) {
        return steps(id).stream().map(s -> s.path("step").asText()).collect(Collectors.toList());
    }

    private static List<String> stepTexts(String id) {
        return steps(id).stream().map(s -> s.path("step").asText() + ": " + s.path("message").asText()).collect(Collectors.toList());
    }

    private static int topicCount(String topic) {
        return (int) received.stream().filter(r -> r[0].equals(topic)).count();
    }

    // ------------------------------------------------------------------ artifacts signed with the test's own key

    private static String signedRequest(String version, String url, byte[] jar) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(jar);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(ownKey.getPrivate());
        s.update(digest);
        return JSON.writeValueAsString(Map.of("symbolicName", DRIVER, "version", version, "url", url,
                "sha256", HexFormat.of().formatHex(digest), "signature", Base64.getEncoder().encodeToString(s.sign()),
                "keyId", OWN_KEY_ID, "algorithm", "ed25519"));
    }

    private static String pem(KeyPair keys) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** The same jar with another Bundle-Version (a new, good release of the driver). */
    private static byte[] withVersion(byte[] jar, String version) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
            try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }

    /** 0.1.1 -> 0.1.2: a version above whatever runs now. */
    private static String nextPatch(String version) {
        String[] p = version.split("\\.");
        return p[0] + "." + p[1] + "." + (Integer.parseInt(p[2]) + 1);
    }

    private static String sha256Hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * An artifact server whose first response sends the headers of the whole body, then only its first
     * {@code stallAfter} bytes, and holds the connection until released; later requests are served, with
     * Range (206) when asked. Records every Range header per path.
     */
    private static final class StallingServer {
        private final HttpServer http;
        private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "it-stalling-http");
            t.setDaemon(true);
            return t;
        });
        private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
        private final Map<String, Integer> stallAt = new ConcurrentHashMap<>();
        private final Map<String, List<String>> ranges = new ConcurrentHashMap<>();
        private final CountDownLatch released = new CountDownLatch(1);

        StallingServer() throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/", this::handle);
            http.setExecutor(threads);
            http.start();
        }

        int port() {
            return http.getAddress().getPort();
        }

        /** Serves {@code body} whole, every time. */
        void serveWhole(String path, byte[] body) {
            bodies.put(path, body);
            ranges.put(path, new CopyOnWriteArrayList<>());
        }

        void serve(String path, byte[] body, int stallAfter) {
            bodies.put(path, body);
            stallAt.put(path, stallAfter);
            ranges.put(path, new CopyOnWriteArrayList<>());
        }

        List<String> rangesAsked(String path) {
            return ranges.getOrDefault(path, List.of()).stream().filter(r -> !r.isEmpty()).collect(Collectors.toList());
        }

        void release() {
            released.countDown();
        }

        void stop() {
            released.countDown();
            http.stop(0);
            threads.shutdownNow();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                byte[] body = bodies.get(path);
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                String range = exchange.getRequestHeaders().getFirst("Range");
                ranges.get(path).add(range == null ? "" : range);
                Integer stall = stallAt.remove(path);
                if (stall != null) {
                    exchange.sendResponseHeaders(200, body.length);
                    OutputStream out = exchange.getResponseBody();
                    out.write(body, 0, stall);
                    out.flush();
                    try {
                        // the gateway is killed meanwhile; its socket closes with it
                        released.await(5, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return;
                }
                int from = 0;
                if (range != null && range.matches("bytes=\\d+-")) {
                    from = Integer.parseInt(range.substring(6, range.length() - 1));
                }
                if (from > 0) {
                    if (from >= body.length) {
                        exchange.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                        exchange.sendResponseHeaders(416, -1);
                        return;
                    }
                    exchange.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                    exchange.sendResponseHeaders(206, body.length - from);
                } else {
                    exchange.sendResponseHeaders(200, body.length);
                }
                exchange.getResponseBody().write(body, from, body.length - from);
            } catch (IOException e) {
                // the gateway went away in the middle: expected for the stalled response
            }
        }
    }
}
