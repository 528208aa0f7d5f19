package org.fusebox.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudResponse;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.management.crypto.SignatureAlgorithm;
import org.fusebox.management.testbundle.ConsumerActivator;
import org.fusebox.management.testbundle.DownHealthActivator;
import org.fusebox.management.testbundle.FailingActivator;
import org.fusebox.management.testbundle.GoodActivator;
import org.fusebox.management.testbundle.PlainComponent;
import org.fusebox.management.testbundle.lib.Greeting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.Version;

/** DEPLOY-V1 against a real Felix framework with Felix SCR, using bundles built and signed in the test. */
class DeployFelixTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP_BSN = "test.app";

    @TempDir
    Path tmp;

    private FelixFixture felix;
    private Signer signer;
    private DeployHandler handler;
    private RecentErrors errors;
    private final List<String> progress = new ArrayList<>();
    private final Map<Long, AtomicInteger> lifecycleEvents = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private Operator operator;

    @BeforeEach
    void setUp() throws Exception {
        felix = FelixFixture.start(tmp.resolve("felix"), true);
        felix.context().addBundleListener((SynchronousBundleListener) e -> {
            if (e.getType() == BundleEvent.STARTED || e.getType() == BundleEvent.STOPPED || e.getType() == BundleEvent.UNRESOLVED) {
                lifecycleEvents.computeIfAbsent(e.getBundle().getBundleId(), k -> new AtomicInteger()).incrementAndGet();
            }
        });
        signer = Signer.create("release", SignatureAlgorithm.ED25519, tmp.resolve("keys"), tmp.resolve("trusted"));
        operator = Operator.create("ops", tmp.resolve("keys"), TestConfig.operatorKeys(tmp.resolve("staging")));
        handler = newHandler(config());
    }

    @AfterEach
    void tearDown() throws Exception {
        handler.deactivate();
        felix.close();
    }

    private TestConfig config() {
        return TestConfig.of(tmp.resolve("trusted"), tmp.resolve("staging"));
    }

    private DeployHandler newHandler(TestConfig c) throws Exception {
        errors = new RecentErrors(Clock.systemUTC());
        DeployHandler h = new DeployHandler(null, errors, Operator.verifier(c), Clock.systemUTC());
        h.activate(felix.context(), c);
        h.recovery().get(60, TimeUnit.SECONDS);
        return h;
    }

    private CloudResponse exec(DeployHandler h, String op, String body) throws Exception {
        return h.handle(operator.request("req-" + op + "-" + requests.incrementAndGet(), "DEPLOY-V1", "EXEC", op, body),
                (step, pct, msg) -> progress.add(step + " " + pct + " " + msg));
    }

    private CloudResponse exec(String op, String body) throws Exception {
        return exec(handler, op, body);
    }

    private static JsonNode body(CloudResponse r) throws Exception {
        return JSON.readTree(r.body());
    }

    private Path jar(TestBundles b) throws Exception {
        return b.write(tmp.resolve("artifacts"));
    }

    /** Installs and starts a bundle directly, not through the service (as a distribution would ship it). */
    private Bundle preinstall(Path jar) throws Exception {
        Bundle b = felix.context().installBundle(jar.toUri().toString());
        b.start();
        return b;
    }

    private Bundle bystander() throws Exception {
        return preinstall(jar(TestBundles.withActivator("test.bystander", "1.0.0", GoodActivator.class)));
    }

    private int events(Bundle b) {
        AtomicInteger n = lifecycleEvents.get(b.getBundleId());
        return n == null ? 0 : n.get();
    }

    @Test
    void goodUpgradeEndsActiveOnNewVersionWithoutTouchingOtherBundles() throws Exception {
        Bundle bystander = bystander();
        Bundle app = preinstall(jar(TestBundles.withActivator(APP_BSN, "1.0.0", GoodActivator.class)));
        int bystanderEvents = events(bystander);
        long bystanderModified = bystander.getLastModified();

        CloudResponse r = exec("upgrade", signer.bundleRequest(jar(TestBundles.withActivator(APP_BSN, "1.1.0", GoodActivator.class))));

        assertThat(r.status()).as(r.message()).isEqualTo(200);
        JsonNode b = body(r);
        assertThat(b.path("outcome").asText()).isEqualTo("UPGRADED");
        assertThat(b.path("fromVersion").asText()).isEqualTo("1.0.0");
        assertThat(b.path("toVersion").asText()).isEqualTo("1.1.0");
        assertThat(app.getVersion()).isEqualTo(new Version(1, 1, 0));
        assertThat(app.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(felix.context().getBundles()).filteredOn(x -> APP_BSN.equals(x.getSymbolicName())).hasSize(1);
        // the bystander was neither stopped, started, refreshed nor touched
        assertThat(events(bystander)).isEqualTo(bystanderEvents);
        assertThat(bystander.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(bystander.getLastModified()).isEqualTo(bystanderModified);
        assertThat(b.path("refreshed")).isEmpty();
        List<String> steps = new ArrayList<>();
        b.path("steps").forEach(s -> steps.add(s.path("step").asText()));
        assertThat(steps).containsSubsequence("validate", "download", "verify-hash", "verify-signature", "verify-bundle",
                "keep-previous", "update", "refresh", "start", "health", "done");
        assertThat(progress).anyMatch(p -> p.startsWith("done 100"));
        assertThat(handler.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(Files.exists(tmp.resolve("staging/journal.properties"))).isFalse();
    }

    @Test
    void upgradeWhoseActivatorThrowsIsRolledBackToTheOldVersion() throws Exception {
        Bundle bystander = bystander();
        Bundle app = preinstall(jar(TestBundles.withActivator(APP_BSN, "1.0.0", GoodActivator.class)));
        int bystanderEvents = events(bystander);

        CloudResponse r = exec("upgrade", signer.bundleRequest(jar(TestBundles.withActivator(APP_BSN, "2.0.0", FailingActivator.class))));

        assertThat(r.status()).isEqualTo(500);
        assertThat(body(r).path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(r.message()).contains("bad release: cannot start");
        assertThat(app.getVersion()).isEqualTo(new Version(1, 0, 0));
        assertThat(app.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(events(bystander)).isEqualTo(bystanderEvents);
        assertThat(progress).anyMatch(p -> p.startsWith("rollback") && p.contains("restored " + APP_BSN + " 1.0.0"));
        assertThat(handler.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(handler.health().details()).anyMatch(d -> d.contains("rolled back"));
        assertThat(errors.entries()).anyMatch(e -> e.message().contains("rolled back"));
        assertThat(Files.exists(tmp.resolve("staging/journal.properties"))).isFalse();
    }

    @Test
    void upgradeWhoseComponentStaysUnsatisfiedIsRolledBack() throws Exception {
        handler.deactivate();
        handler = newHandler(config().healthTimeout(3));
        Bundle app = preinstall(jar(TestBundles.bundle(APP_BSN, "1.0.0").component("test.comp", PlainComponent.class, List.of())));

        Path bad = jar(TestBundles.bundle(APP_BSN, "1.1.0")
                .component("test.comp", PlainComponent.class, List.of("org.example.NeverThere")));
        CloudResponse r = exec("upgrade", signer.bundleRequest(bad));

        assertThat(r.status()).isEqualTo(500);
        assertThat(r.message()).contains("health check failed").contains("test.comp waits for reference");
        assertThat(app.getVersion()).isEqualTo(new Version(1, 0, 0));
        assertThat(app.getState()).isEqualTo(Bundle.ACTIVE);
    }

    @Test
    void upgradeWhoseHealthIndicatorIsDownIsRolledBack() throws Exception {
        handler.deactivate();
        handler = newHandler(config().healthTimeout(3));
        Bundle app = preinstall(jar(TestBundles.withActivator(APP_BSN, "1.0.0", GoodActivator.class)));

        CloudResponse r = exec("upgrade", signer.bundleRequest(jar(TestBundles.withActivator(APP_BSN, "1.0.1", DownHealthActivator.class))));

        assertThat(r.status()).isEqualTo(500);
        assertThat(r.message()).contains("health 'test.down' is DOWN: cannot reach its device");
        assertThat(app.getVersion()).isEqualTo(new Version(1, 0, 0));
        assertThat(app.getState()).isEqualTo(Bundle.ACTIVE);
    }

    @Test
    void upgradingALibraryRefreshesOnlyItsDependents() throws Exception {
        Bundle bystander = bystander();
        String pkg = Greeting.class.getPackageName();
        Bundle lib = preinstall(jar(TestBundles.bundle("test.lib", "1.0.0").header("Export-Package", pkg + ";version=1.0.0")
                .classes(Greeting.class)));
        Bundle consumer = preinstall(jar(TestBundles.withActivator("test.consumer", "1.0.0", ConsumerActivator.class)
                .header("Import-Package", "org.osgi.framework," + pkg + ";version=\"[1,2)\"")));
        int bystanderEvents = events(bystander);
        int consumerEvents = events(consumer);

        Path lib11 = jar(TestBundles.bundle("test.lib", "1.1.0").header("Export-Package", pkg + ";version=1.1.0").classes(Greeting.class));
        CloudResponse r = exec("upgrade", signer.bundleRequest(lib11));

        assertThat(r.status()).as(r.message()).isEqualTo(200);
        assertThat(lib.getVersion()).isEqualTo(new Version(1, 1, 0));
        JsonNode refreshed = body(r).path("refreshed");
        assertThat(refreshed.toString()).contains("test.consumer").contains("test.lib").doesNotContain("test.bystander");
        assertThat(events(consumer)).isGreaterThan(consumerEvents);
        assertThat(consumer.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(events(bystander)).isEqualTo(bystanderEvents);
    }

    @Test
    void rollbackRequestReturnsToTheVersionBeforeTheLastUpgrade() throws Exception {
        Bundle app = preinstall(jar(TestBundles.withActivator(APP_BSN, "1.0.0", GoodActivator.class)));
        assertThat(exec("upgrade", signer.bundleRequest(jar(TestBundles.withActivator(APP_BSN, "1.1.0", GoodActivator.class))))
                .status()).isEqualTo(200);

        CloudResponse r = exec("rollback", "{\"symbolicName\":\"" + APP_BSN + "\"}");

        assertThat(r.status()).as(r.message()).isEqualTo(200);
        assertThat(app.getVersion()).isEqualTo(new Version(1, 0, 0));
        assertThat(app.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(body(r).path("toVersion").asText()).isEqualTo("1.0.0");
    }

    @Test
    void installsANewBundleAndUninstallsIt() throws Exception {
        CloudResponse r = exec("install", signer.bundleRequest(jar(TestBundles.withActivator("test.new", "0.1.0", GoodActivator.class))));
        assertThat(r.status()).as(r.message()).isEqualTo(200);
        Bundle b = felix.find("test.new");
        assertThat(b.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(b.getLocation()).isEqualTo("fusebox-management:test.new");

        CloudResponse again = exec("install", signer.bundleRequest(jar(TestBundles.withActivator("test.new", "0.2.0", GoodActivator.class))));
        assertThat(again.status()).isEqualTo(409);

        CloudResponse u = exec("uninstall", "{\"symbolicName\":\"test.new\"}");
        assertThat(u.status()).as(u.message()).isEqualTo(200);
        assertThat(felix.find("test.new")).isNull();
    }

    @Test
    void aFailedNewInstallLeavesNothingInstalled() throws Exception {
        CloudResponse r = exec("install", signer.bundleRequest(jar(TestBundles.withActivator("test.new", "0.1.0", FailingActivator.class))));
        assertThat(r.status()).isEqualTo(500);
        assertThat(body(r).path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(felix.find("test.new")).isNull();
    }

    @Test
    void refusedArtifactsChangeNothing() throws Exception {
        Bundle app = preinstall(jar(TestBundles.withActivator(APP_BSN, "1.0.0", GoodActivator.class)));
        long modified = app.getLastModified();
        int appEvents = events(app);
        Path good = jar(TestBundles.withActivator(APP_BSN, "1.1.0", GoodActivator.class));

        // tampered: one byte flipped after signing
        Path tampered = tmp.resolve("tampered.jar");
        Files.copy(good, tampered);
        String tamperedRequest = signer.bundleRequest(tampered);
        byte[] bytes = Files.readAllBytes(tampered);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(tampered, bytes);
        assertRefused(exec("upgrade", tamperedRequest), "SHA-256 mismatch");

        // tampered and re-hashed, but the signature is the old one
        ObjectNode rehashed = (ObjectNode) JSON.readTree(tamperedRequest);
        rehashed.put("sha256", org.fusebox.management.crypto.ArtifactSignature.hex(
                org.fusebox.management.crypto.ArtifactSignature.sha256(tampered)));
        assertRefused(exec("upgrade", rehashed.toString()), "signature does not verify");

        // signed by a key the gateway does not know, claiming a trusted key id
        Signer stranger = Signer.create("stranger", SignatureAlgorithm.ED25519, tmp.resolve("other-keys"), null);
        ObjectNode wrongKey = (ObjectNode) JSON.readTree(stranger.bundleRequest(good));
        wrongKey.put("keyId", "release");
        assertRefused(exec("upgrade", wrongKey.toString()), "signature does not verify with trusted key 'release'");

        // unknown key id
        assertRefused(exec("upgrade", stranger.bundleRequest(good)), "key id 'stranger' is not trusted");

        // unsigned
        ObjectNode unsigned = (ObjectNode) JSON.readTree(signer.bundleRequest(good));
        unsigned.remove("signature");
        assertRefused(exec("upgrade", unsigned.toString()), "unsigned artifacts are never installed");

        // signed, but not the bundle the request names
        ObjectNode otherVersion = (ObjectNode) JSON.readTree(signer.bundleRequest(good));
        otherVersion.put("version", "1.2.0");
        assertRefused(exec("upgrade", otherVersion.toString()), "the artifact is test.app 1.1.0, the request names test.app 1.2.0");

        // not JSON: the signed text that embeds it is not JSON either
        CloudResponse notJson = exec("upgrade", "{symbolicName");
        assertThat(notJson.status()).as(notJson.message()).isEqualTo(401);
        assertThat(notJson.message()).contains("MALFORMED", "not JSON");

        assertThat(app.getVersion()).isEqualTo(new Version(1, 0, 0));
        assertThat(app.getLastModified()).isEqualTo(modified);
        assertThat(events(app)).isEqualTo(appEvents);
        assertThat(Files.exists(tmp.resolve("staging/journal.properties"))).isFalse();
        assertThat(errors.entries()).hasSizeGreaterThanOrEqualTo(7);
    }

    private void assertRefused(CloudResponse r, String reason) throws Exception {
        assertThat(r.status()).as(r.message()).isEqualTo(400);
        assertThat(r.message()).contains(reason);
        assertThat(body(r).path("outcome").asText()).isEqualTo("REFUSED");
    }

    @Test
    void ecdsaSignedUpgradeIsAccepted() throws Exception {
        Signer ec = Signer.create("release-ec", SignatureAlgorithm.ECDSA_P256, tmp.resolve("keys"), tmp.resolve("trusted"));
        Bundle app = preinstall(jar(TestBundles.withActivator(APP_BSN, "1.0.0", GoodActivator.class)));

        CloudResponse r = exec("upgrade", ec.bundleRequest(jar(TestBundles.withActivator(APP_BSN, "1.1.0", GoodActivator.class))));

        assertThat(r.status()).as(r.message()).isEqualTo(200);
        assertThat(app.getVersion()).isEqualTo(new Version(1, 1, 0));
        assertThat(progress).anyMatch(p -> p.contains("signature by 'release-ec' (ecdsa-p256) verified"));
    }

    @Test
    void aDowngradeNeedsToBeAskedFor() throws Exception {
        Bundle app = preinstall(jar(TestBundles.withActivator(APP_BSN, "2.0.0", GoodActivator.class)));
        String req = signer.bundleRequest(jar(TestBundles.withActivator(APP_BSN, "1.0.0", GoodActivator.class)));

        assertThat(exec("upgrade", req).status()).isEqualTo(409);
        ObjectNode allowed = (ObjectNode) JSON.readTree(req);
        allowed.put("allowDowngrade", true);
        assertThat(exec("upgrade", allowed.toString()).status()).isEqualTo(200);
        assertThat(app.getVersion()).isEqualTo(new Version(1, 0, 0));
    }

    @Test
    void anUpgradeToTheVersionAlreadyRunningIsRefusedWithoutTouchingTheBundle() throws Exception {
        Bundle app = preinstall(jar(TestBundles.withActivator(APP_BSN, "2.0.0", GoodActivator.class)));
        long modified = app.getLastModified();
        String req = signer.bundleRequest(jar(TestBundles.withActivator(APP_BSN, "2.0.0", GoodActivator.class)));

        CloudResponse r = exec("upgrade", req);

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.message()).contains("already installed");
        assertThat(app.getLastModified()).isEqualTo(modified);
        assertThat(app.getState()).isEqualTo(Bundle.ACTIVE);
    }

    @Test
    void listsFuseboxBundlesAndRefusesFeaturesWithoutKaraf() throws Exception {
        preinstall(jar(TestBundles.withActivator("fusebox-demo-thing", "1.0.0", GoodActivator.class)));
        preinstall(jar(TestBundles.withActivator("not.ours", "1.0.0", GoodActivator.class)));

        CloudResponse r = handler.handle(new CloudRequest("1", "ops", "DEPLOY-V1", "GET", "bundles", null), (s, p, m) -> { });
        assertThat(r.status()).isEqualTo(200);
        assertThat(body(r).path("bundles").toString()).contains("fusebox-demo-thing").contains("ACTIVE").doesNotContain("not.ours");

        CloudResponse f = handler.handle(new CloudRequest("2", "ops", "DEPLOY-V1", "GET", "features", null), (s, p, m) -> { });
        assertThat(f.status()).isEqualTo(503);
        assertThat(handler.handle(new CloudRequest("3", "ops", "DEPLOY-V1", "PUT", "x", null), (s, p, m) -> { }).status())
                .isEqualTo(404);
    }

    @Test
    void anUpgradeInterruptedByACrashIsUndoneWhenTheGatewayComesBack() throws Exception {
        Bundle app = preinstall(jar(TestBundles.withActivator(APP_BSN, "1.0.0", GoodActivator.class)));
        long appId = app.getBundleId();
        Path staging = tmp.resolve("staging");
        // what apply() does up to the update, then the power goes: journal written, new bytes in the framework
        UpgradeJournal journal = new UpgradeJournal(staging.resolve("journal.properties"));
        BundleDeployer deployer = new BundleDeployer(felix.context(), staging, journal,
                new UpgradeHistory(staging.resolve("history.properties")), java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(30), Clock.systemUTC());
        Path previous = deployer.snapshot(app);
        journal.begin(new UpgradeJournal.Entry("bundle", APP_BSN, "1.0.0", "1.1.0", previous, true, "req-crash",
                java.time.Instant.now()));
        try (var in = Files.newInputStream(jar(TestBundles.withActivator(APP_BSN, "1.1.0", GoodActivator.class)))) {
            app.update(in);
        }
        handler.deactivate();
        felix.close();

        felix = FelixFixture.start(tmp.resolve("felix"), false);
        Bundle afterCrash = felix.context().getBundle(appId);
        assertThat(afterCrash.getVersion()).isEqualTo(new Version(1, 1, 0));

        handler = newHandler(config());

        Bundle recovered = felix.context().getBundle(appId);
        assertThat(recovered.getVersion()).isEqualTo(new Version(1, 0, 0));
        assertThat(recovered.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(Files.exists(staging.resolve("journal.properties"))).isFalse();
        assertThat(handler.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(handler.health().details()).anyMatch(d -> d.contains("interrupted bundle test.app 1.0.0 -> 1.1.0")
                && d.contains("restored 1.0.0"));
        assertThat(errors.entries()).anyMatch(e -> e.source().contains("recovery"));
    }
}
