package org.fusebox.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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

/**
 * Feature operations through {@link FeatureOps}. Karaf's FeaturesService is not available outside Karaf, so a
 * stand-in installs each feature's single bundle into the real Felix framework; the deployer's logic (journal,
 * health check, rollback to the previous feature version) is the real one.
 */
class FeatureDeployFelixTest {

    @TempDir
    Path tmp;

    private FelixFixture felix;
    private DeployHandler handler;
    private Operator operator;
    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    private FakeFeatures features;
    private RecentErrors errors;

    /** Feature name -> version -> jar; one bundle per feature, at location feature:NAME. */
    private final class FakeFeatures implements FeatureOps {
        final Map<String, Map<String, Path>> known = new HashMap<>();
        final Map<String, String> installed = new HashMap<>();
        final List<URI> repositories = new ArrayList<>();

        @Override
        public List<FeatureInfo> fuseboxFeatures() {
            List<FeatureInfo> out = new ArrayList<>();
            known.forEach((n, vs) -> vs.keySet().forEach(v -> out.add(new FeatureInfo(n, v, v.equals(installed.get(n)),
                    v.equals(installed.get(n)) ? "Started" : "Uninstalled"))));
            return out;
        }

        @Override
        public Optional<String> installedVersion(String name) {
            return Optional.ofNullable(installed.get(name));
        }

        @Override
        public boolean exists(String name, String version) {
            return known.getOrDefault(name, Map.of()).containsKey(version);
        }

        @Override
        public void addRepository(URI repository) {
            repositories.add(repository);
        }

        @Override
        public void install(String name, String version) throws Exception {
            Bundle b = felix.context().getBundle("feature:" + name);
            try (InputStream in = Files.newInputStream(known.get(name).get(version))) {
                if (b == null) {
                    b = felix.context().installBundle("feature:" + name, in);
                } else {
                    b.update(in);
                }
            }
            installed.put(name, version);
            try {
                b.start();
            } catch (Exception e) {
                // Karaf logs a failed start and carries on; the health check notices
            }
        }

        @Override
        public void uninstall(String name, String version) throws Exception {
            felix.context().getBundle("feature:" + name).uninstall();
            installed.remove(name);
        }

        @Override
        public void refreshOverrides() {
            // no overrides outside Karaf: bundles installed from feature: locations are never pinned
        }

        @Override
        public List<String> bundleLocations(String name, String version) {
            return List.of("feature:" + name);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        felix = FelixFixture.start(tmp.resolve("felix"), true);
        Files.createDirectories(tmp.resolve("trusted"));
        features = new FakeFeatures();
        features.known.put("fusebox-thing", Map.of(
                "1.0.0", TestBundles.withActivator("fusebox-thing", "1.0.0", GoodActivator.class).write(tmp),
                "1.1.0", TestBundles.withActivator("fusebox-thing", "1.1.0", GoodActivator.class).write(tmp),
                "2.0.0", TestBundles.withActivator("fusebox-thing", "2.0.0", FailingActivator.class).write(tmp)));
        errors = new RecentErrors(Clock.systemUTC());
        TestConfig config = TestConfig.of(tmp.resolve("trusted"), tmp.resolve("staging")).healthTimeout(5);
        operator = Operator.create("ops", tmp.resolve("keys"), TestConfig.operatorKeys(tmp.resolve("staging")));
        handler = new DeployHandler(features, errors, Operator.verifier(config), Clock.systemUTC());
        handler.activate(felix.context(), config);
        handler.recovery().get(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        handler.deactivate();
        felix.close();
    }

    private CloudResponse call(String method, String resource, String body) throws Exception {
        CloudRequest request = method.equals("EXEC")
                ? operator.request("r" + requests.incrementAndGet(), "DEPLOY-V1", method, resource, body)
                : new CloudRequest("r", "ops", "DEPLOY-V1", method, resource, body.getBytes(StandardCharsets.UTF_8));
        return handler.handle(request,
                (s, p, m) -> { });
    }

    @Test
    void installUpgradeFailedUpgradeAndRollback() throws Exception {
        assertThat(call("EXEC", "install", "{\"feature\":\"fusebox-thing\",\"version\":\"1.0.0\"}").status()).isEqualTo(200);
        Bundle b = felix.context().getBundle("feature:fusebox-thing");
        assertThat(b.getState()).isEqualTo(Bundle.ACTIVE);

        assertThat(call("EXEC", "upgrade", "{\"feature\":\"fusebox-thing\",\"version\":\"1.1.0\"}").status()).isEqualTo(200);
        assertThat(b.getVersion()).isEqualTo(new Version(1, 1, 0));

        CloudResponse bad = call("EXEC", "upgrade", "{\"feature\":\"fusebox-thing\",\"version\":\"2.0.0\"}");
        assertThat(bad.status()).isEqualTo(500);
        assertThat(new ObjectMapper().readTree(bad.body()).path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(bad.message()).contains("bad release: cannot start");
        assertThat(features.installed).containsEntry("fusebox-thing", "1.1.0");
        assertThat(b.getVersion()).isEqualTo(new Version(1, 1, 0));
        assertThat(b.getState()).isEqualTo(Bundle.ACTIVE);

        assertThat(call("EXEC", "rollback", "{\"feature\":\"fusebox-thing\"}").status()).isEqualTo(200);
        assertThat(features.installed).containsEntry("fusebox-thing", "1.0.0");
        assertThat(b.getVersion()).isEqualTo(new Version(1, 0, 0));

        CloudResponse list = call("GET", "features", "");
        assertThat(list.status()).isEqualTo(200);
        assertThat(new String(list.body(), StandardCharsets.UTF_8)).contains("\"name\":\"fusebox-thing\"").contains("\"installed\":true");
    }

    @Test
    void aBundleUpgradedInPlaceIsReportedWhenItsFeatureIsAppliedBehindTheServicesBackAndForgottenWhenTheFeatureIsUpgraded()
            throws Exception {
        assertThat(call("EXEC", "install", "{\"feature\":\"fusebox-thing\",\"version\":\"1.0.0\"}").status()).isEqualTo(200);
        Bundle b = felix.context().getBundle("feature:fusebox-thing");
        Signer signer = Signer.create("release", SignatureAlgorithm.ED25519, tmp.resolve("keys"), tmp.resolve("trusted"));
        Path hotfix = TestBundles.withActivator("fusebox-thing", "1.0.5", GoodActivator.class).write(tmp.resolve("hotfix"));
        CloudResponse upgraded = call("EXEC", "upgrade", signer.bundleRequest(hotfix));
        assertThat(upgraded.status()).as(upgraded.message()).isEqualTo(200);
        assertThat(b.getVersion()).isEqualTo(new Version(1, 0, 5));

        // Karaf applying the feature again (e.g. while installing another one): the feature's own bytes come back
        features.install("fusebox-thing", "1.0.0");
        handler.checkReverts().get(30, TimeUnit.SECONDS);
        assertThat(handler.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(handler.health().details()).containsExactly("fusebox-thing: 1.0.5 put there by request r2 was replaced by 1.0.0 "
                + "(a feature operation?); send the upgrade again");
        // no EventAdmin here: the error goes to STATUS-V1 directly
        assertThat(errors.entries()).anyMatch(e -> e.message().contains("fusebox-thing: 1.0.5 put there by request r2"));

        // upgrading the feature itself: the feature owns the bundle again, whatever version it brings
        assertThat(call("EXEC", "upgrade", "{\"feature\":\"fusebox-thing\",\"version\":\"1.1.0\"}").status()).isEqualTo(200);
        handler.checkReverts().get(30, TimeUnit.SECONDS);
        assertThat(b.getVersion()).isEqualTo(new Version(1, 1, 0));
        assertThat(handler.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(new UpgradeHistory(tmp.resolve("staging/history.properties")).placed()).isEmpty();
    }

    @Test
    void unknownFeatureVersionsAndMalformedRequestsAreRefused() throws Exception {
        assertThat(call("EXEC", "install", "{\"feature\":\"fusebox-thing\",\"version\":\"9.9.9\"}").status()).isEqualTo(404);
        assertThat(call("EXEC", "upgrade", "{\"feature\":\"fusebox-thing\",\"version\":\"1.1.0\"}").status()).isEqualTo(404);
        CloudResponse both = call("EXEC", "install", "{\"feature\":\"x\",\"symbolicName\":\"y\"}");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.message()).contains("either symbolicName (a bundle) or feature");
        CloudResponse unsignedRepo = call("EXEC", "install",
                "{\"feature\":\"fusebox-thing\",\"version\":\"1.0.0\",\"repository\":{\"url\":\"https://x/f.xml\"}}");
        assertThat(unsignedRepo.status()).isEqualTo(400);
        assertThat(unsignedRepo.message()).contains("unsigned artifacts are never installed").contains("sha256");
        assertThat(features.repositories).isEmpty();
        assertThat(features.installed).isEmpty();
    }
}
