package org.fusebox.market.nordpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.fusebox.api.market.PriceSlot;

/** Any delivery day of the decade at any MTU is read whole and in order; any disorder or gap is refused. */
class DayProperties {

    final NordpoolParser parser = new NordpoolParser("SE3", Currency.getInstance("EUR"), Days.CET);

    static Duration mtu(int i) {
        return List.of(Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1)).get(i);
    }

    @Property(tries = 300)
    void everyDayIsWholeGaplessAndInOrder(@ForAll @IntRange(min = 0, max = 3652) int offset,
            @ForAll @IntRange(min = 0, max = 2) int mtuIndex) throws Exception {
        LocalDate d = LocalDate.of(2020, 1, 1).plusDays(offset);
        Duration mtu = mtu(mtuIndex);
        String a = Days.answer(d, "EUR", "Final", Days.entries(d, mtu, Days::price));
        List<PriceSlot> s = parser.parse(a.getBytes(StandardCharsets.UTF_8), d).slots();
        Duration day = Duration.between(d.atStartOfDay(Days.CET), d.plusDays(1).atStartOfDay(Days.CET));
        assertThat(s).hasSize((int) day.dividedBy(mtu));
        assertThat(s.get(0).start()).isEqualTo(d.atStartOfDay(Days.CET).toInstant());
        for (int i = 1; i < s.size(); i++) {
            assertThat(s.get(i).start()).isEqualTo(s.get(i - 1).end());
            assertThat(s.get(i).price().perMegawattHour().amount()).isEqualByComparingTo(Days.price(i));
        }
    }

    @Property(tries = 200)
    void aSwappedOrDroppedEntryIsRefused(@ForAll @IntRange(min = 0, max = 3652) int offset,
            @ForAll @IntRange(min = 0, max = 90) int at, @ForAll boolean drop) {
        LocalDate d = LocalDate.of(2020, 1, 1).plusDays(offset);
        List<String> e = new ArrayList<>(Days.entries(d, Days.QH, Days::price));
        if (drop) {
            e.remove(at);
        } else {
            java.util.Collections.swap(e, at, at + 1);
        }
        String a = Days.answer(d, "EUR", "Final", e);
        assertThatThrownBy(() -> parser.parse(a.getBytes(StandardCharsets.UTF_8), d)).isInstanceOf(
                org.fusebox.market.support.FeedException.class);
    }

    @Property
    void pricesAreKeptExactly(@ForAll @BigRange(min = "-500", max = "4000") @Scale(6) BigDecimal price) throws Exception {
        LocalDate d = LocalDate.of(2026, 12, 7);
        String a = Days.answer(d, "EUR", "Final", Days.entries(d, Days.QH, i -> price));
        PriceSlot s = parser.parse(a.getBytes(StandardCharsets.UTF_8), d).slots().get(17);
        assertThat(s.price().perMegawattHour().amount().compareTo(price)).isZero();
    }
}
