package org.fusebox.market.pjm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.fusebox.api.market.PriceSlot;

/**
 * Any Eastern trade day 2020-2035, split into pages anywhere, is read as exactly its hours, gapless, from
 * local midnight to local midnight.
 */
class TradeDayProperties {

    @Property(tries = 200)
    void everyTradeDayHasItsHoursWhateverThePaging(@ForAll @IntRange(min = 0, max = 5843) int dayOffset,
            @ForAll @IntRange(min = 1, max = 30) int pageSize) throws Exception {
        LocalDate day = LocalDate.of(2020, 1, 1).plusDays(dayOffset);
        List<String> items = DataMinerJson.items(day);
        PjmPages pages = new PjmPages();
        for (int from = 0, n = 1; from < items.size(); from += pageSize, n++) {
            String json = DataMinerJson.page(items.subList(from, Math.min(items.size(), from + pageSize)), items.size(), "s", "n");
            pages.add(PjmPage.parse(json.getBytes(StandardCharsets.UTF_8), DataMinerJson.PNODE, n));
        }
        List<PriceSlot> slots = ((PjmReport.Prices) pages.result("p")).slots();
        ZonedDateTime midnight = day.atStartOfDay(TradeDays.EASTERN);
        int expected = (int) Duration.between(midnight, midnight.plusDays(1)).toHours();
        assertThat(expected).isIn(23, 24, 25);
        assertThat(slots).hasSize(expected);
        assertThat(slots.get(0).start()).isEqualTo(midnight.toInstant());
        for (int i = 1; i < slots.size(); i++) {
            assertThat(slots.get(i).start()).isEqualTo(slots.get(i - 1).end());
        }
        assertThat(slots.get(slots.size() - 1).end()).isEqualTo(midnight.plusDays(1).toInstant());
    }
}
