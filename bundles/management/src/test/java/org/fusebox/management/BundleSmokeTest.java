package org.fusebox.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.fusebox.api.cloud.CloudRequest;
import org.fusebox.api.cloud.CloudRequestHandler;
import org.fusebox.api.cloud.CloudResponse;
import org.fusebox.api.health.HealthIndicator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * This bundle as bnd built it (target/classes with its generated manifest and DS descriptors), started in Felix
 * with SCR and no Karaf: its imports resolve, DEPLOY-V1, STATUS-V1 and the management health come up.
 */
class BundleSmokeTest {

    @TempDir
    Path tmp;

    private String oldEtc;
    private String oldData;

    @BeforeEach
    void karafDirs() {
        oldEtc = System.setProperty("karaf.etc", tmp.resolve("etc").toString());
        oldData = System.setProperty("karaf.data", tmp.resolve("data").toString());
    }

    @AfterEach
    void restore() {
        restore("karaf.etc", oldEtc);
        restore("karaf.data", oldData);
    }

    private static void restore(String key, String old) {
        if (old == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, old);
        }
    }

    @Test
    void theBuiltBundleStartsAndAnswers() throws Exception {
        Path classes = Path.of("target/classes").toAbsolutePath();
        assertThat(classes.resolve("META-INF/MANIFEST.MF")).as("bnd-process runs before tests").exists();
        try (FelixFixture felix = FelixFixture.start(tmp.resolve("felix"), true)) {
            BundleContext ctx = felix.context();
            Bundle mgmt = ctx.installBundle("reference:" + classes.toUri());
            mgmt.start();
            assertThat(mgmt.getState()).isEqualTo(Bundle.ACTIVE);

            CloudRequestHandler deploy = await(ctx, "DEPLOY-V1");
            CloudRequestHandler status = await(ctx, "STATUS-V1");

            CloudResponse bundles = deploy.handle(new CloudRequest("1", "ops", "DEPLOY-V1", "GET", "bundles", null), (s, p, m) -> { });
            assertThat(bundles.status()).isEqualTo(200);
            assertThat(new String(bundles.body())).contains("fusebox-management");
            CloudResponse health = status.handle(new CloudRequest("2", "ops", "STATUS-V1", "GET", "health", null), (s, p, m) -> { });
            // no trusted keys in the fresh etc/: the service says so
            assertThat(new ObjectMapper().readTree(health.body()).path("health").toString())
                    .contains("\"name\":\"management\"").contains("DEGRADED").contains("no trusted keys");
            assertThat(Files.isDirectory(tmp.resolve("data/fusebox/management"))).isFalse();
            Collection<ServiceReference<HealthIndicator>> his = ctx.getServiceReferences(HealthIndicator.class, null);
            // management, and management.operators: without operator keys no remote change is possible, and it says so
            assertThat(his).hasSize(2);
            assertThat(new ObjectMapper().readTree(health.body()).path("health").toString())
                    .contains("\"name\":\"management.operators\"").contains("no operator keys");
        }
    }

    private static CloudRequestHandler await(BundleContext ctx, String app) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (ServiceReference<CloudRequestHandler> r : ctx.getServiceReferences(CloudRequestHandler.class, null)) {
                CloudRequestHandler h = ctx.getService(r);
                if (h != null && app.equals(h.app())) {
                    return h;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError(app + " handler did not appear within 30 s");
    }
}
