package org.fusebox.market.caiso;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.Month;
import java.time.ZonedDateTime;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.fusebox.api.market.PriceSlot;

/** Any Pacific trade day 2020-2035 parses to exactly its hours, gapless, from local midnight to local midnight. */
class TradeDayProperties {

    private final OasisReportReader reader = new OasisReportReader(OasisFiles.NODE);

    @Property(tries = 200)
    void everyTradeDayHasItsHours(@ForAll @IntRange(min = 0, max = 5843) int dayOffset) throws Exception {
        LocalDate day = LocalDate.of(2020, 1, 1).plusDays(dayOffset);
        List<PriceSlot> slots = ((OasisReport.Prices) reader.read(OasisFiles.zipOfCsv(day))).slots();
        ZonedDateTime midnight = day.atStartOfDay(TradeDays.PACIFIC);
        int expected = (int) java.time.Duration.between(midnight, midnight.plusDays(1)).toHours();
        assertThat(slots).hasSize(expected);
        assertThat(expected).isIn(23, 24, 25);
        boolean springForward = day.getMonth() == Month.MARCH && expected == 23;
        boolean fallBack = day.getMonth() == Month.NOVEMBER && expected == 25;
        assertThat(expected == 24 || springForward || fallBack).isTrue();
        assertThat(slots.get(0).start()).isEqualTo(midnight.toInstant());
        for (int i = 1; i < slots.size(); i++) {
            assertThat(slots.get(i).start()).isEqualTo(slots.get(i - 1).end());
        }
        assertThat(slots.get(slots.size() - 1).end()).isEqualTo(midnight.plusDays(1).toInstant());
    }
}
