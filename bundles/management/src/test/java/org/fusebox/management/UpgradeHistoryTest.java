package org.fusebox.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpgradeHistoryTest {

    @TempDir
    Path tmp;

    @Test
    void placedVersionsSurviveANewInstanceAndAreForgottenByRollbackAndByTheirFeature() throws Exception {
        Path file = tmp.resolve("history.properties");
        UpgradeHistory h = new UpgradeHistory(file);
        // dotted names must not be confused with the rollback keys of another bundle
        h.recordBundle("org.x", new UpgradeHistory.Previous("1.0.0", tmp.resolve("org.x-1.0.0.jar")),
                new UpgradeHistory.Placed("1.1.0", "r-1"));
        h.recordBundle("org.x.placed", new UpgradeHistory.Previous(null, null), new UpgradeHistory.Placed("2.0.0", "r-2"));

        UpgradeHistory reopened = new UpgradeHistory(file);
        assertThat(reopened.placed()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "org.x", new UpgradeHistory.Placed("1.1.0", "r-1"),
                "org.x.placed", new UpgradeHistory.Placed("2.0.0", "r-2")));
        assertThat(reopened.previous("bundle", "org.x")).contains(
                new UpgradeHistory.Previous("1.0.0", tmp.resolve("org.x-1.0.0.jar")));

        reopened.recordBundle("org.x", new UpgradeHistory.Previous("1.1.0", tmp.resolve("org.x-1.1.0.jar")), null);
        assertThat(reopened.placed()).containsOnlyKeys("org.x.placed");
        assertThat(reopened.previous("bundle", "org.x")).map(UpgradeHistory.Previous::version).contains("1.1.0");

        reopened.recordFeature("fusebox-x", new UpgradeHistory.Previous("0.1.0", null), List.of("org.x.placed"));
        assertThat(reopened.placed()).isEmpty();
        assertThat(reopened.previous("feature", "fusebox-x")).contains(new UpgradeHistory.Previous("0.1.0", null));
    }

    @Test
    void keptJarsAreFoundAfterTheStagingFolderMoved() throws Exception {
        Path staging = Files.createDirectories(tmp.resolve("old/staging"));
        Path kept = Files.write(Files.createDirectories(staging.resolve("previous")).resolve("org.x-1.0.0.jar"), new byte[] {1, 2, 3});
        Path outside = tmp.resolve("elsewhere.jar");
        new UpgradeHistory(staging.resolve("history.properties")).recordBundle("org.x", new UpgradeHistory.Previous("1.0.0", kept), null);
        new UpgradeHistory(staging.resolve("history.properties")).recordBundle("org.y", new UpgradeHistory.Previous("2.0.0", outside), null);
        new UpgradeJournal(staging.resolve("journal.properties")).begin(new UpgradeJournal.Entry("bundle", "org.x", "1.0.0",
                "1.1.0", kept, true, "r-9", Instant.EPOCH));

        Path moved = Files.move(tmp.resolve("old"), tmp.resolve("new")).resolve("staging");

        Path keptNow = moved.resolve("previous/org.x-1.0.0.jar");
        assertThat(new UpgradeHistory(moved.resolve("history.properties")).previous("bundle", "org.x"))
                .contains(new UpgradeHistory.Previous("1.0.0", keptNow));
        assertThat(keptNow).exists();
        // a file outside the staging folder keeps its absolute name
        assertThat(new UpgradeHistory(moved.resolve("history.properties")).previous("bundle", "org.y"))
                .contains(new UpgradeHistory.Previous("2.0.0", outside));
        assertThat(new UpgradeJournal(moved.resolve("journal.properties")).read())
                .hasValueSatisfying(e -> assertThat(e.previousJar()).isEqualTo(keptNow));
    }
}
