package org.fusebox.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudResponse;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.management.crypto.SignatureAlgorithm;
import org.fusebox.management.testbundle.FailingActivator;
import org.fusebox.management.testbundle.GoodActivator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.service.event.Event;

/**
 * A bundle upgraded through DEPLOY-V1 and then put back to another version behind the service's back (what a
 * Karaf feature operation does with "Bundles to update"): reported by event, health and STATUS-V1, at once and
 * after a restart; cleared when the upgrade is sent again; never reported for the service's own rollbacks.
 */
class RevertFelixTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP_BSN = "test.app";
    private static final String DETAIL = "test.app: 1.1.0 put there by request r-17 was replaced by 1.0.0 (a feature operation?); "
            + "send the upgrade again";

    @TempDir
    Path tmp;

    private FelixFixture felix;
    private Signer signer;
    private RecentErrors errors;
    private RecordingEventAdmin events;
    private DeployHandler handler;
    private Operator operator;
    private Path v100;
    private Path v110;

    @BeforeEach
    void setUp() throws Exception {
        felix = FelixFixture.start(tmp.resolve("felix"), true);
        signer = Signer.create("release", SignatureAlgorithm.ED25519, tmp.resolve("keys"), tmp.resolve("trusted"));
        operator = Operator.create("ops", tmp.resolve("keys"), TestConfig.operatorKeys(tmp.resolve("staging")));
        errors = new RecentErrors(Clock.systemUTC());
        events = new RecordingEventAdmin(errors);
        handler = newHandler();
        v100 = TestBundles.withActivator(APP_BSN, "1.0.0", GoodActivator.class).write(tmp.resolve("artifacts"));
        v110 = TestBundles.withActivator(APP_BSN, "1.1.0", GoodActivator.class).write(tmp.resolve("artifacts"));
    }

    @AfterEach
    void tearDown() throws Exception {
        handler.deactivate();
        felix.close();
    }

    private DeployHandler newHandler() throws Exception {
        TestConfig c = TestConfig.of(tmp.resolve("trusted"), tmp.resolve("staging")).healthTimeout(5);
        DeployHandler h = new DeployHandler(null, errors, Operator.verifier(c), Clock.systemUTC());
        // DS binds the optional greedy reference before activation when EventAdmin is there
        h.setEventAdmin(events);
        h.activate(felix.context(), c);
        h.recovery().get(60, TimeUnit.SECONDS);
        return h;
    }

    private CloudResponse exec(String requestId, String op, String body) throws Exception {
        return handler.handle(operator.request(requestId, "DEPLOY-V1", "EXEC", op, body),
                (s, p, m) -> { });
    }

    /** The shipped 1.0.0, installed directly (as the distribution's feature would), upgraded to 1.1.0 by request r-17. */
    private Bundle shippedAndUpgraded() throws Exception {
        Bundle app = felix.context().installBundle(v100.toUri().toString());
        app.start();
        CloudResponse r = exec("r-17", "upgrade", signer.bundleRequest(v110));
        assertThat(r.status()).as(r.message()).isEqualTo(200);
        assertThat(app.getVersion()).isEqualTo(new Version(1, 1, 0));
        return app;
    }

    /** What Karaf's feature deployer does with a bundle whose feature says 1.0.0: update it in place with those bytes. */
    private static void putBackBehindTheServicesBack(Bundle app, Path jar) throws Exception {
        try (InputStream in = Files.newInputStream(jar)) {
            app.update(in);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private JsonNode statusErrors() throws Exception {
        StatusHandler status = new StatusHandler(felix.context(), errors);
        CloudResponse r = status.handle(new CloudRequest("s", "ops", "STATUS-V1", "GET", "errors", null), (s, p, m) -> { });
        assertThat(r.status()).isEqualTo(200);
        return JSON.readTree(r.body()).path("errors");
    }

    private static void assertRevertedEvent(Event e, String found) {
        assertThat(e.getProperty("kind")).isEqualTo("bundle");
        assertThat(e.getProperty("name")).isEqualTo(APP_BSN);
        assertThat(e.getProperty("expectedVersion")).isEqualTo("1.1.0");
        assertThat(e.getProperty("foundVersion")).isEqualTo(found);
        assertThat(e.getProperty("requestId")).isEqualTo("r-17");
    }

    @Test
    void anUpgradedBundlePutBackBehindTheServicesBackIsReportedUntilTheUpgradeIsSentAgain() throws Exception {
        Bundle app = shippedAndUpgraded();
        assertThat(handler.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(events.on(ManagementEvents.REVERTED)).isEmpty();

        putBackBehindTheServicesBack(app, v100);

        // noticed through the bundle listener alone
        await("health DEGRADED", () -> handler.health().status() == HealthStatus.DEGRADED);
        assertThat(handler.health().details()).containsExactly(DETAIL);
        List<Event> reverted = events.on(ManagementEvents.REVERTED);
        assertThat(reverted).hasSize(1);
        assertRevertedEvent(reverted.get(0), "1.0.0");
        JsonNode errs = statusErrors();
        assertThat(errs.toString()).contains(ManagementEvents.REVERTED);
        assertThat(errs.get(errs.size() - 1).path("source").asText()).isEqualTo(ManagementEvents.REVERTED);
        assertThat(errs.get(errs.size() - 1).path("message").asText()).isEqualTo(DETAIL);
        // reported once, not at every later check
        handler.checkReverts().get(30, TimeUnit.SECONDS);
        assertThat(events.on(ManagementEvents.REVERTED)).hasSize(1);

        CloudResponse again = exec("r-18", "upgrade", signer.bundleRequest(v110));

        assertThat(again.status()).as(again.message()).isEqualTo(200);
        assertThat(app.getVersion()).isEqualTo(new Version(1, 1, 0));
        assertThat(handler.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(handler.health().details()).isEmpty();
        handler.checkReverts().get(30, TimeUnit.SECONDS);
        assertThat(handler.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(events.on(ManagementEvents.REVERTED)).hasSize(1);
    }

    @Test
    void anUpgradedBundleRemovedBehindTheServicesBackIsReported() throws Exception {
        Bundle app = shippedAndUpgraded();

        app.uninstall();

        await("health DEGRADED", () -> handler.health().status() == HealthStatus.DEGRADED);
        assertThat(handler.health().details()).containsExactly(
                "test.app: 1.1.0 put there by request r-17 was removed (a feature operation?); send the install again");
        assertRevertedEvent(events.on(ManagementEvents.REVERTED).get(0), "");
    }

    @Test
    void aRevertWhileTheServiceWasNotRunningIsReportedAtActivation() throws Exception {
        Bundle app = shippedAndUpgraded();
        long appId = app.getBundleId();
        handler.deactivate();
        felix.close();
        felix = FelixFixture.start(tmp.resolve("felix"), false);
        putBackBehindTheServicesBack(felix.context().getBundle(appId), v100);
        assertThat(events.on(ManagementEvents.REVERTED)).isEmpty();

        handler = newHandler();
        handler.checkReverts().get(30, TimeUnit.SECONDS);

        assertThat(handler.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(handler.health().details()).containsExactly(DETAIL);
        assertThat(events.on(ManagementEvents.REVERTED)).hasSize(1);
        assertRevertedEvent(events.on(ManagementEvents.REVERTED).get(0), "1.0.0");
        assertThat(statusErrors().toString()).contains(DETAIL);
    }

    @Test
    void theServicesOwnRollbacksAreNotReverts() throws Exception {
        Bundle app = shippedAndUpgraded();

        // a failed upgrade is rolled back to 1.1.0, the version this service stands for
        Path bad = TestBundles.withActivator(APP_BSN, "2.0.0", FailingActivator.class).write(tmp.resolve("artifacts"));
        CloudResponse failed = exec("r-18", "upgrade", signer.bundleRequest(bad));
        assertThat(failed.status()).isEqualTo(500);
        assertThat(app.getVersion()).isEqualTo(new Version(1, 1, 0));
        handler.checkReverts().get(30, TimeUnit.SECONDS);
        assertThat(events.on(ManagementEvents.REVERTED)).isEmpty();

        // the rollback request goes back to the shipped 1.0.0: not a revert, and 1.0.0 is no longer watched
        CloudResponse rollback = exec("r-19", "rollback", "{\"symbolicName\":\"" + APP_BSN + "\"}");
        assertThat(rollback.status()).as(rollback.message()).isEqualTo(200);
        assertThat(app.getVersion()).isEqualTo(new Version(1, 0, 0));
        handler.checkReverts().get(30, TimeUnit.SECONDS);
        assertThat(events.on(ManagementEvents.REVERTED)).isEmpty();
        assertThat(handler.health().details()).noneMatch(d -> d.contains("put there by request"));
        assertThat(new UpgradeHistory(tmp.resolve("staging/history.properties")).placed()).isEmpty();

        // what happens to it from now on is not this service's business
        putBackBehindTheServicesBack(app, v110);
        handler.checkReverts().get(30, TimeUnit.SECONDS);
        assertThat(events.on(ManagementEvents.REVERTED)).isEmpty();
        assertThat(statusErrors().toString()).doesNotContain(ManagementEvents.REVERTED);
    }
}
