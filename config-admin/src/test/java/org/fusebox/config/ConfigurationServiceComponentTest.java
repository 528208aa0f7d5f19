package org.fusebox.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fusebox.api.event.FuseboxEvents;
import org.fusebox.api.health.HealthStatus;
import org.fusebox.config.api.ChangeOutcome.Status;
import org.fusebox.config.api.ConfigurationChange;
import org.fusebox.config.api.SnapshotInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** The DS component around the service: its own settings, events and health. */
class ConfigurationServiceComponentTest {

    private static OsgiRuntime osgi;

    @TempDir
    Path karafData;

    private String previousKarafData;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final EventAdmin recorder = new EventAdmin() {
        public void postEvent(Event event) {
            events.add(event);
        }

        public void sendEvent(Event event) {
            events.add(event);
        }
    };

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
        previousKarafData = System.setProperty("karaf.data", karafData.toString());
        osgi.clear();
        osgi.put(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", 63.0, "mode", "fast"));
    }

    @AfterEach
    void restoreKarafData() {
        if (previousKarafData == null) {
            System.clearProperty("karaf.data");
        } else {
            System.setProperty("karaf.data", previousKarafData);
        }
    }

    private ConfigurationServiceComponent component(String dir, int keep) {
        ConfigurationServiceComponent c = new ConfigurationServiceComponent(osgi.context(), osgi.configAdmin(), osgi.metaTypes(),
                ConfigServiceSettingsTest.config(dir, keep, "password", "secret", "token", "key"));
        c.setEventAdmin(recorder);
        return c;
    }

    @Test
    void snapshotsGoUnderKarafDataByDefault() throws Exception {
        ConfigurationServiceComponent c = component("", 20);
        SnapshotInfo s = c.snapshot("first");
        assertThat(karafData.resolve("fusebox/config-snapshots/" + s.id() + ".json")).isRegularFile();
        assertThat(c.health().status()).isEqualTo(HealthStatus.UP);
        assertThat(c.name()).isEqualTo("config.store");
    }

    @Test
    void aRefusedSetIsPostedAsRejected() {
        ConfigurationServiceComponent c = component("", 20);
        assertThat(c.apply(List.of(ConfigurationChange.set(OsgiRuntime.LIMITS, Map.of("fuseLimitAmps", -1.0)))).status())
                .isEqualTo(Status.REFUSED);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getTopic()).isEqualTo(FuseboxEvents.CONFIG_REJECTED);
            assertThat(e.getProperty(FuseboxEvents.PID)).isEqualTo(OsgiRuntime.LIMITS);
            assertThat((String) e.getProperty(FuseboxEvents.REASON)).contains("fuseLimitAmps=-1.0 is invalid");
        });
    }

    @Test
    void aRefusedConfigurationOfItsOwnKeepsThePreviousSettings() throws Exception {
        Path custom = karafData.resolve("custom");
        ConfigurationServiceComponent c = component(custom.toString(), 2);

        c.configure(ConfigServiceSettingsTest.config("", 0));

        assertThat(c.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(c.health().details()).singleElement().asString().contains("keepSnapshots must be within 1..1000");
        for (int i = 0; i < 3; i++) {
            c.snapshot("s" + i);
        }
        try (var files = Files.list(custom)) {
            assertThat(files.count()).as("still in the custom directory, still 2 kept").isEqualTo(2);
        }
        c.configure(ConfigServiceSettingsTest.config("", 5));
        assertThat(c.health().status()).isEqualTo(HealthStatus.UP);
        c.snapshot("default place");
        assertThat(karafData.resolve("fusebox/config-snapshots")).isDirectory();
    }
}
