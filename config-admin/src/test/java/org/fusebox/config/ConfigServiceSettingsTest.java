package org.fusebox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigServiceSettingsTest {

    static ConfigServiceConfig config(String dir, int keep, String... words) {
        return new ConfigServiceConfig() {
            public Class<? extends Annotation> annotationType() { return ConfigServiceConfig.class; }
            public String snapshotDirectory() { return dir; }
            public int keepSnapshots() { return keep; }
            public String[] maskedNames() { return words; }
        };
    }

    @Test
    void snapshotsGoUnderKarafDataByDefault() {
        ConfigServiceSettings s = ConfigServiceSettings.from(config("", 20, "password"), "/opt/karaf/data");
        assertThat(s.snapshotDirectory()).isEqualTo(Path.of("/opt/karaf/data/fusebox/config-snapshots"));
        assertThat(ConfigServiceSettings.from(config("snaps", 20), "/opt/karaf/data").snapshotDirectory())
                .isEqualTo(Path.of("/opt/karaf/data/snaps"));
        assertThat(ConfigServiceSettings.from(config("/var/lib/fusebox", 20), "/opt/karaf/data").snapshotDirectory())
                .isEqualTo(Path.of("/var/lib/fusebox"));
    }

    @Test
    void everyBadValueIsNamed() {
        assertThatThrownBy(() -> ConfigServiceSettings.from(config("", 0, "token", " "), "/d"))
                .hasMessageContaining("keepSnapshots must be within 1..1000, got 0")
                .hasMessageContaining("maskedNames must not hold an empty word");
    }
}
