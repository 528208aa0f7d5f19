package org.fusebox.market.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.junit.jupiter.api.Test;

/** shiftToCurrentYear: the real 2023 file replayed onto 2025 and 2026. */
class YearReplayTest {

    static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    @Test
    void coversTheCurrentAndNextYearContiguouslyBySameWeekdayAndHour() throws Exception {
        ParsedPrices src = new PriceCsvParser().parse(BelgianPrices2023Test.requireFile());
        PriceCurve out = YearReplay.replay(src.curve(), src.slotLength(), BRUSSELS, Instant.parse("2025-07-15T10:00:00Z"));
        List<PriceSlot> slots = out.slots();

        assertThat(slots).hasSize(8760 + 8760);
        assertThat(slots.get(0).start()).isEqualTo(Instant.parse("2024-12-31T23:00:00Z"));
        assertThat(slots.get(slots.size() - 1).end()).isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
        for (int i = 1; i < slots.size(); i++) {
            assertThat(slots.get(i).start()).as("slot %d", i).isEqualTo(slots.get(i - 1).end());
        }
        // Monday 6 Jan 2025 08:00 takes Monday 9 Jan 2023 08:00 (104 weeks earlier)
        assertThat(priceAt(out, "2025-01-06T08:00+01:00")).isEqualTo(priceAt(src.curve(), "2023-01-09T08:00+01:00"));
        // Wednesday 1 Jan 2025 00:00 is before 104 weeks after the source start: it takes Wed 4 Jan 2023
        assertThat(priceAt(out, "2025-01-01T00:00+01:00")).isEqualTo(priceAt(src.curve(), "2023-01-04T00:00+01:00"));
        // from 4 Jan 2025 on, for weeks, every slot has the price of the same weekday and local hour 104 weeks earlier
        for (PriceSlot s : slots.subList(24 * 3, 24 * 60)) {
            LocalDateTime origin = LocalDateTime.ofInstant(s.start(), BRUSSELS).minusWeeks(104);
            assertThat(s.price()).as("%s", origin).isEqualTo(src.curve().at(origin.atZone(BRUSSELS).toInstant()).orElseThrow().price());
        }
        // the 2025 fall-back day (26 Oct) has 25 slots, both 02:00 priced alike
        PriceSlot summer = out.at(OffsetDateTime.parse("2025-10-26T02:00+02:00").toInstant()).orElseThrow();
        PriceSlot winter = out.at(OffsetDateTime.parse("2025-10-26T02:00+01:00").toInstant()).orElseThrow();
        assertThat(summer.price()).isEqualTo(winter.price());
        // 2025's spring-forward day (30 Mar) has 23 slots; 2023's gap day (Sun 26 Mar) maps to Sun 23 Mar 2025,
        // whose 02:00 takes the source's 01:00
        assertThat(priceAt(out, "2025-03-23T02:00+01:00")).isEqualTo(priceAt(src.curve(), "2023-03-26T01:00+01:00"));
        assertThat(out.slots()).allSatisfy(s -> assertThat(s.length()).isEqualTo(Duration.ofHours(1)));
    }

    static Object priceAt(PriceCurve c, String odt) {
        return c.at(OffsetDateTime.parse(odt).toInstant()).orElseThrow().price();
    }
}
