package org.fusebox.market.awattar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fusebox.market.awattar.Documents.BERLIN;

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

/** Any delivery day 2020-2029, hourly or 15-minute: slot count from the day's real length, in order, gapless. */
class AwattarDayProperties {

    @Property(tries = 300)
    void everyDayHasItsSlotsInOrderWithoutGaps(@ForAll @IntRange(min = 0, max = 3652) int dayOffset,
            @ForAll boolean quarterHours, @ForAll @IntRange(min = -500, max = 4000) int cents) throws Exception {
        LocalDate day = LocalDate.of(2020, 1, 1).plusDays(dayOffset);
        Duration step = quarterHours ? Duration.ofMinutes(15) : Duration.ofHours(1);
        String doc = Documents.list(Documents.days(day, day, step, i -> BigDecimal.valueOf(cents + i, 2).toPlainString()));
        Instant start = day.atStartOfDay(BERLIN).toInstant();
        Instant end = day.plusDays(1).atStartOfDay(BERLIN).toInstant();
        List<PriceSlot> slots = new AwattarParser().parse(doc.getBytes(StandardCharsets.UTF_8), start, end).slots();

        long expected = Duration.between(start, end).dividedBy(step);
        assertThat(slots).hasSize((int) expected);
        assertThat(expected).isIn(quarterHours ? List.of(92L, 96L, 100L) : List.of(23L, 24L, 25L));
        assertThat(slots.get(0).start()).isEqualTo(start);
        assertThat(slots.get(slots.size() - 1).end()).isEqualTo(end);
        for (int i = 1; i < slots.size(); i++) {
            assertThat(slots.get(i).start()).isEqualTo(slots.get(i - 1).end());
            assertThat(slots.get(i).price().perMegawattHour().amount().movePointRight(2).intValueExact()).isEqualTo(cents + i);
        }
    }
}
