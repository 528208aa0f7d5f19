package org.fusebox.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.felix.utils.properties.TypedProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileReaderTest {

    @TempDir
    Path etc;

    @Test
    void aTypedValueThatIsNoNumberIsFoundOnItsLine() throws Exception {
        Files.writeString(etc.resolve("fusebox.core.cfg"), """
                # the site's fuse, written typed as config:edit writes it
                fuseLimitAmps = D"63"
                phases = I"three"
                safetyMarginAmps = D"2"
                """);

        ConfigFile f = ConfigFileReader.read(etc.resolve("fusebox.core.cfg"));

        assertThat(f.pid()).isEqualTo("fusebox.core");
        assertThat(f.error()).hasValue("fusebox.core.cfg line 3: cannot be read (not a number: \"three\"): phases = I\"three\"");
        assertThat(f.error().get()).doesNotContain("Exception");
    }

    @Test
    void theLineIsFoundAfterContinuationLines() throws Exception {
        Files.writeString(etc.resolve("fusebox.core.cfg"), "a = one, \\\n  two, \\\n  three\nb = caf\\u00zz\n");

        assertThat(ConfigFileReader.read(etc.resolve("fusebox.core.cfg")).error()).get().asString().startsWith("fusebox.core.cfg line 4:");
    }

    @Test
    void aFileFileInstallReadsIsReadAlikeAndNamedAsKarafNamesIt() throws Exception {
        String text = "host = \"127.0.0.1\"\nport = I\"5020\"\n";
        Files.writeString(etc.resolve("fusebox.driver.modbus-grid.cfg"), text);
        Files.writeString(etc.resolve("org.other.cfg"), "x = 1\n");

        List<ConfigFile> files = ConfigFileReader.readAll(etc);

        assertThat(files).singleElement().satisfies(f -> {
            assertThat(f.pid()).isEqualTo("fusebox.driver.modbus~grid");
            assertThat(f.factoryPid()).isEqualTo("fusebox.driver.modbus");
            assertThat(f.definingPid()).isEqualTo("fusebox.driver.modbus");
            assertThat(f.error()).isEmpty();
            TypedProperties fileInstall = new TypedProperties();
            fileInstall.load(new java.io.StringReader(text));
            assertThat(f.properties()).containsEntry("host", "127.0.0.1").containsEntry("port", 5020)
                    .containsEntry("port", fileInstall.get("port"));
        });
    }

    @Test
    void noDirectoryMeansNoFiles() throws Exception {
        assertThat(ConfigFileReader.readAll(etc.resolve("missing"))).isEmpty();
    }
}
