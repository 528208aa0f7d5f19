package org.fusebox.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.fusebox.api.health.HealthStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The etc/ files as file install meets them, against the Metatype of a real Felix runtime. */
class ConfigFilesMonitorTest {

    private static OsgiRuntime osgi;

    @TempDir
    Path etc;

    private ConfigFilesMonitor monitor;

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
        System.setProperty("karaf.etc", etc.toString());
        System.setProperty(SecretExposure.SECRETS_DIR_PROPERTY, etc.resolve("secrets").toString());
        osgi.clear();
        osgi.put(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 63.0, "mode", "fast"));
        monitor = new ConfigFilesMonitor(osgi.context(), osgi.configAdmin(), osgi.metaTypes());
    }

    @AfterEach
    void stop() {
        monitor.deactivate();
        System.clearProperty("karaf.etc");
        System.clearProperty(SecretExposure.SECRETS_DIR_PROPERTY);
    }

    @Test
    void cleanFilesAreUp() throws Exception {
        Files.writeString(etc.resolve("fusebox.test.limits.cfg"), "fuseLimitAmps = 63\n");
        monitor.scan();
        assertThat(monitor.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(monitor.health().details()).isEmpty();
        assertThat(monitor.name()).isEqualTo("config.files");
    }

    @Test
    void brokenSyntaxIsReportedWithFileLineAndWhatThePidKeepsUntilFixed() throws Exception {
        Path file = etc.resolve("fusebox.test.limits.cfg");
        Files.writeString(file, "mode = \"fast\"\nfuseLimitAmps = D\"sixty\"\n");
        monitor.scan();

        assertThat(monitor.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(monitor.health().details()).singleElement().asString()
                .startsWith("fusebox.test.limits.cfg line 2: cannot be read (not a number: \"sixty\")")
                .contains("fusebox.test.limits keeps the configuration it had: fuseLimitAmps=63.0, mode=fast");

        Files.writeString(file, "mode = fast\nfuseLimitAmps = 63\n");
        monitor.scan();
        assertThat(monitor.health().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void aPidNothingDefinesIsReportedWithTheOneMeant() throws Exception {
        Files.writeString(etc.resolve("fusebox.test.limit.cfg"), "fuseLimitAmps = 25\n");
        Files.writeString(etc.resolve("fusebox.cor.cfg"), "fuseLimitAmps = 25\n");
        monitor.scan();

        assertThat(monitor.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(monitor.health().details()).containsExactly(
                "fusebox.cor.cfg: no installed bundle defines PID fusebox.cor, so nothing reads this file (did you mean fusebox.core?)",
                "fusebox.test.limit.cfg: no installed bundle defines PID fusebox.test.limit, so nothing reads this file (did you mean fusebox.test.limits?)");
    }

    @Test
    void aFileOfAFeatureNotInstalledIsOnlyNoted() throws Exception {
        Files.writeString(etc.resolve("fusebox.market.csv.cfg"), "file = prices.csv\n");
        monitor.scan();

        assertThat(monitor.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(monitor.health().details()).containsExactly(
                "fusebox.market.csv.cfg: for feature fusebox-market-csv, which is not installed (feature:install fusebox-market-csv)");
    }

    @Test
    void aPasswordInClearIsReportedAndAReferenceToAnOwnerOnlyFileIsNot() throws Exception {
        Path file = etc.resolve("fusebox.test.limits.cfg");
        Files.writeString(file, "fuseLimitAmps = 63\nadminPin = 1234\n");
        monitor.scan();
        assertThat(monitor.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(monitor.health().details()).singleElement().asString()
                .startsWith("fusebox.test.limits.cfg: adminPin is written in clear")
                .contains("adminPin = $[secret:fusebox.test.limits.adminPin]")
                .doesNotContain("1234");

        Files.writeString(file, "fuseLimitAmps = 63\nadminPin = $[secret:test.pin]\n");
        monitor.scan();
        assertThat(monitor.health().details()).singleElement().asString()
                .isEqualTo("fusebox.test.limits.cfg: adminPin references secret 'test.pin' but " + etc.resolve("secrets/test.pin") + " does not exist");

        Path secrets = Files.createDirectories(etc.resolve("secrets"));
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwx------"));
        Path pin = Files.writeString(secrets.resolve("test.pin"), "1234\n");
        Files.setPosixFilePermissions(pin, PosixFilePermissions.fromString("rw-r--r--"));
        monitor.scan();
        assertThat(monitor.health().details()).singleElement().asString()
                .isEqualTo(pin + " is readable by others than its owner: chmod 600 " + pin);

        Files.setPosixFilePermissions(pin, PosixFilePermissions.fromString("rw-------"));
        monitor.scan();
        assertThat(monitor.health().status()).isEqualTo(HealthStatus.UP);
    }
}
