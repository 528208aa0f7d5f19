package org.fusebox.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.fusebox.api.health.HealthStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.ConfigurationEvent;

/** Metatype checks of what Config Admin holds, and the last valid configuration kept across restarts. */
class MetatypeValidatorTest {

    private static OsgiRuntime osgi;

    @TempDir
    Path karafData;

    @BeforeAll
    static void startFramework() throws Exception {
        osgi = new OsgiRuntime();
    }

    @AfterAll
    static void stopFramework() throws Exception {
        osgi.close();
    }

    @BeforeEach
    void site() throws Exception {
        System.setProperty("karaf.data", karafData.toString());
        osgi.clear();
    }

    @AfterEach
    void restore() {
        System.clearProperty("karaf.data");
    }

    private MetatypeValidator validator() {
        return new MetatypeValidator(osgi.context(), osgi.configAdmin(), osgi.metaTypes());
    }

    private static ConfigurationEvent updated(String pid) {
        return new ConfigurationEvent(osgi.context().getServiceReference(org.osgi.service.cm.ConfigurationAdmin.class),
                ConfigurationEvent.CM_UPDATED, null, pid);
    }

    @Test
    void aTypoIsReportedWithItsFileAndTheLastValidConfigurationSurvivesARestart() throws Exception {
        osgi.put(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 25.0, "mode", "fast", "felix.fileinstall.filename", "file:/opt/fusebox/etc/fusebox.test.limits.cfg"));
        MetatypeValidator before = validator();
        assertThat(before.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(karafData.resolve("fusebox/config-last-valid/fusebox.test.limits.json")).isRegularFile();

        osgi.put(OsgiRuntime.LIMITS, Map.of("fuseLimitAmp", 25.0, "mode", "fast", "felix.fileinstall.filename", "file:/opt/fusebox/etc/fusebox.test.limits.cfg"));
        before.configurationEvent(updated(OsgiRuntime.LIMITS));
        assertThat(before.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(before.health().details()).anySatisfy(d -> assertThat(d).startsWith("fusebox.test.limits.cfg: fusebox.test.limits: unknown key 'fuseLimitAmp'"));
        before.deactivate();

        MetatypeValidator afterRestart = validator();
        assertThat(afterRestart.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(afterRestart.health().details()).anySatisfy(d -> assertThat(d)
                .startsWith("fusebox.test.limits: last valid configuration (valid at ")
                .endsWith("): fuseLimitAmps=25.0, mode=fast"));
        afterRestart.deactivate();
    }

    @Test
    void withoutAnyValidConfigurationHealthSaysSo() throws Exception {
        osgi.put(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", -5.0, "adminPin", "1234"));
        MetatypeValidator v = validator();
        assertThat(v.health().details()).contains("fusebox.test.limits: no valid configuration has been seen");
        assertThat(v.health().details()).noneSatisfy(d -> assertThat(d).contains("1234"));
        v.deactivate();
    }

    @Test
    void secretsInTheLastValidConfigurationAreMaskedInHealth() throws Exception {
        osgi.put(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 30.0, "adminPin", "1234"));
        MetatypeValidator v = validator();
        osgi.put(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", -5.0, "adminPin", "1234"));
        v.configurationEvent(updated(OsgiRuntime.LIMITS));
        assertThat(v.health().details()).anySatisfy(d -> assertThat(d).contains("adminPin=********, fuseLimitAmps=30.0"));
        assertThat(v.health().details()).noneSatisfy(d -> assertThat(d).contains("1234"));
        v.deactivate();
    }

    @Test
    void aDeletedCoreConfigurationIsReportedWithItsLastValidOne() throws Exception {
        osgi.put("fusebox.core", Map.of("fuseLimitAmps", 25.0));
        MetatypeValidator v = validator();
        org.osgi.service.cm.Configuration core = osgi.configAdmin().getConfiguration("fusebox.core", "?");
        // no Metatype defines fusebox.core in the test runtime: keep a last valid one as a real check would
        assertThat(v.health().status()).isEqualTo(HealthStatus.UP);
        new LastValidStore(MetatypeValidator.lastValidDirectory(karafData.toString())).keep("fusebox.core", null, Map.of("fuseLimitAmps", 25.0));
        core.delete();
        v.configurationEvent(new ConfigurationEvent(osgi.context().getServiceReference(org.osgi.service.cm.ConfigurationAdmin.class),
                ConfigurationEvent.CM_DELETED, null, "fusebox.core"));

        assertThat(v.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(v.health().details()).singleElement().asString()
                .startsWith("fusebox.core: there is no configuration (was etc/fusebox.core.cfg deleted?)")
                .endsWith("fuseLimitAmps=25.0");
        v.deactivate();

        MetatypeValidator afterRestart = validator();
        assertThat(afterRestart.health().details()).singleElement().asString().startsWith("fusebox.core: there is no configuration");
        osgi.put("fusebox.core", Map.of("fuseLimitAmps", 25.0));
        afterRestart.configurationEvent(updated("fusebox.core"));
        assertThat(afterRestart.health().status()).isEqualTo(HealthStatus.UP);
        afterRestart.deactivate();
    }
}
