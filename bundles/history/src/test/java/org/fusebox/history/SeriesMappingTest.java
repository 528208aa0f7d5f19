package org.fusebox.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.fusebox.api.device.ConnectorState;
import org.fusebox.api.site.SiteSnapshot;
import org.fusebox.testing.TestSites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesMappingTest {

    @TempDir
    Path dir;

    @Test
    void aSnapshotBecomesOneValuePerSeriesWithChargersInTheirSlots() throws Exception {
        SiteSnapshot s = new TestSites().uncontrolled(5, 6, 7)
                .charger("cp-a", TestSites.THREE, 32, ConnectorState.CHARGING, 10)
                .charger("cp-b", TestSites.THREE, 32, ConnectorState.CHARGING, 16)
                .charger("cp-c", TestSites.THREE, 32, ConnectorState.CHARGING, 6)
                .battery("bat", 55, 0)
                .build();
        SeriesCatalogue catalogue = new SeriesCatalogue(2);
        ChargerSlots slots = ChargerSlots.load(dir.resolve("slots.properties"), 2);
        double[] v = new SeriesMapping(catalogue, slots).sample(s);

        assertThat(v).hasSize(10);
        assertThat(v[0]).isEqualTo(5 + 10 + 16 + 6.0);
        assertThat(v[1]).isEqualTo(6 + 10 + 16 + 6.0);
        assertThat(v[2]).isEqualTo(7 + 10 + 16 + 6.0);
        assertThat(v[3]).isEqualTo(s.grid().reading().power().watts());
        assertThat(v[4]).as("no PV in the snapshot: unknown, not 0").isNaN();
        assertThat(v[5]).isEqualTo(0.0);
        assertThat(v[6]).isEqualTo(55.0);
        assertThat(v[7]).isEqualTo((10 + 16 + 6) * 230 * 3.0);
        assertThat(v[8]).isEqualTo(10 * 230 * 3.0);
        assertThat(v[9]).isEqualTo(16 * 230 * 3.0);
        assertThat(slots.assignments()).containsOnlyKeys("cp-a", "cp-b").containsEntry("cp-a", 1).containsEntry("cp-b", 2);

        // the slots are kept across restarts, in order
        ChargerSlots again = ChargerSlots.load(dir.resolve("slots.properties"), 2);
        assertThat(again.assignments()).isEqualTo(slots.assignments());
        assertThat(again.slotOf("cp-c")).isEmpty();
    }

    @Test
    void aSiteWithoutGridMeterOrBatteryRecordsUnknowns() throws Exception {
        SiteSnapshot s = SiteSnapshot.builder(TestSites.limits(40, 2)).build();
        double[] v = new SeriesMapping(new SeriesCatalogue(1), ChargerSlots.load(null, 1)).sample(s);
        assertThat(java.util.Arrays.stream(v).boxed()).allSatisfy(x -> assertThat(x).isNaN());
    }
}
