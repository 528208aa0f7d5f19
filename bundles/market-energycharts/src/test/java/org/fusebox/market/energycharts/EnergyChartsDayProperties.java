package org.fusebox.market.energycharts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fusebox.market.energycharts.Documents.BERLIN;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.fusebox.api.market.PriceSlot;

/** Any delivery day 2020-2029, hourly or 15-minute, with trailing nulls: slot count, order, no gaps, exact prices. */
class EnergyChartsDayProperties {

    @Property(tries = 300)
    void everyDayHasItsSlotsInOrderWithoutGaps(@ForAll @IntRange(min = 0, max = 3652) int dayOffset,
            @ForAll boolean quarterHours, @ForAll @IntRange(min = 0, max = 30) int trailingNulls,
            @ForAll @IntRange(min = -50000, max = 400000) int cents) throws Exception {
        LocalDate day = LocalDate.of(2020, 1, 1).plusDays(dayOffset);
        Duration step = quarterHours ? Duration.ofMinutes(15) : Duration.ofHours(1);
        Instant start = day.atStartOfDay(BERLIN).toInstant();
        Instant end = day.plusDays(1).atStartOfDay(BERLIN).toInstant();
        int count = (int) Duration.between(start, end).dividedBy(step);
        int known = Math.max(2, count - trailingNulls);
        String doc = Documents.days(day, day, step, i -> i >= known ? "null" : BigDecimal.valueOf(cents + i, 2).toPlainString());
        List<PriceSlot> slots = new EnergyChartsParser().parse(doc.getBytes(StandardCharsets.UTF_8), start, end).slots();

        assertThat(count).isIn(quarterHours ? List.of(92, 96, 100) : List.of(23, 24, 25));
        assertThat(slots).hasSize(known);
        assertThat(slots.get(0).start()).isEqualTo(start);
        for (int i = 0; i < slots.size(); i++) {
            assertThat(slots.get(i).length()).isEqualTo(step);
            assertThat(slots.get(i).start()).isEqualTo(start.plus(step.multipliedBy(i)));
            assertThat(slots.get(i).price().perMegawattHour().amount().movePointRight(2).intValueExact()).isEqualTo(cents + i);
        }
    }
}
