package org.fusebox.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Version;

/** The overrides file and repository layout Karaf's feature resolver reads, as KarafOverrides writes them. */
class KarafOverridesTest {

    @TempDir
    Path tmp;

    @Test
    void aPinPutsTheJarUnderItsCoordinatesAndOneOverrideLineKeepingTheOperatorsOwn() throws Exception {
        Path file = tmp.resolve("etc/overrides.properties");
        Files.createDirectories(file.getParent());
        Files.write(file, List.of("# the operator's own", "mvn:org.example/lib/2.0.1"), StandardCharsets.UTF_8);
        KarafOverrides o = new KarafOverrides(file, tmp.resolve("system"));
        KarafOverrides.Coordinates c = KarafOverrides.coordinates("mvn:org.fusebox/fusebox-driver-modbus/0.1.0-SNAPSHOT").orElseThrow();
        assertThat(c).isEqualTo(new KarafOverrides.Coordinates("org.fusebox", "fusebox-driver-modbus", new Version("0.1.0.SNAPSHOT")));
        Path jar = Files.write(tmp.resolve("new.jar"), new byte[] {1, 2, 3});

        o.pin("fusebox-driver-modbus", c, "0.1.1", jar);
        o.pin("fusebox-driver-modbus", c, "0.1.2", jar);

        assertThat(Files.readAllBytes(tmp.resolve("system/org/fusebox/fusebox-driver-modbus/0.1.2/fusebox-driver-modbus-0.1.2.jar")))
                .containsExactly(1, 2, 3);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4).startsWith("# the operator's own", "mvn:org.example/lib/2.0.1");
        assertThat(lines.get(3)).isEqualTo("mvn:org.fusebox/fusebox-driver-modbus/0.1.2;range=\"[0,0.1.2)\"");
        assertThat(o.pinned("fusebox-driver-modbus")).contains("0.1.2");

        assertThat(o.unpin("fusebox-driver-modbus")).isTrue();
        assertThat(o.unpin("fusebox-driver-modbus")).isFalse();
        assertThat(Files.readAllLines(file)).containsExactly("# the operator's own", "mvn:org.example/lib/2.0.1");
    }

    @Test
    void onlyPlainMavenJarLocationsHaveCoordinates() {
        assertThat(KarafOverrides.coordinates("fusebox-management:x")).isEmpty();
        assertThat(KarafOverrides.coordinates("file:/tmp/x.jar")).isEmpty();
        assertThat(KarafOverrides.coordinates("mvn:g/a/1.0/xml/features")).isEmpty();
        assertThat(KarafOverrides.coordinates("mvn:g/a/1.0/jar")).isPresent();
    }
}
