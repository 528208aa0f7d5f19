package org.fusebox.market.entsoe;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.market.support.KnownPrices;

/** A03 expansion and delivery days in UTC: slot count, order, no gap, no overlap, the right price everywhere. */
class PeriodExpansionProperties {

    static final Currency EUR = Currency.getInstance("EUR");
    static final ZoneId CET = ZoneId.of("Europe/Brussels");

    @Property(tries = 300)
    void a03GivesEveryPositionThePriceOfTheLastPointAtOrBeforeIt(
            @ForAll @IntRange(min = 1, max = 100) int count,
            @ForAll("resolutions") int minutes,
            @ForAll @Size(max = 100) Set<@IntRange(min = 2, max = 100) Integer> extraPositions) throws Exception {
        Duration res = Duration.ofMinutes(minutes);
        Instant start = Instant.parse("2025-10-25T22:00:00Z");
        Instant end = start.plus(res.multipliedBy(count));
        SortedMap<Integer, BigDecimal> points = new TreeMap<>();
        points.put(1, BigDecimal.valueOf(-500));
        for (int p : extraPositions) {
            if (p <= count) {
                points.put(p, BigDecimal.valueOf(p * 3L, 2));
            }
        }
        List<PriceSlot> slots = PeriodExpander.expand(start, end, res, PeriodExpander.CurveType.A03, points, EUR);

        assertThat(slots).hasSize(count);
        assertThat(slots.get(0).start()).isEqualTo(start);
        assertThat(slots.get(count - 1).end()).isEqualTo(end);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                assertThat(slots.get(i).start()).isEqualTo(slots.get(i - 1).end());
            }
            assertThat(slots.get(i).length()).isEqualTo(res);
            BigDecimal expected = points.headMap(i + 2).get(points.headMap(i + 2).lastKey());
            assertThat(slots.get(i).price().perMegawattHour().amount()).isEqualByComparingTo(expected);
        }
    }

    @Property(tries = 200)
    void aDeliveryDayHas92_96Or100QuarterHoursEndToEnd(@ForAll @IntRange(min = 0, max = 3650) int dayOffset) throws Exception {
        LocalDate day = LocalDate.of(2020, 1, 1).plusDays(dayOffset);
        Instant start = day.atStartOfDay(CET).toInstant();
        Instant end = day.plusDays(1).atStartOfDay(CET).toInstant();
        long hours = Duration.between(start, end).toHours();
        SortedMap<Integer, BigDecimal> onlyFirst = new TreeMap<>();
        onlyFirst.put(1, BigDecimal.TEN);
        List<PriceSlot> slots = PeriodExpander.expand(start, end, Duration.ofMinutes(15), PeriodExpander.CurveType.A03, onlyFirst, EUR);

        assertThat(hours).isIn(23L, 24L, 25L);
        assertThat(slots).hasSize((int) hours * 4);
        boolean springForward = day.getMonthValue() == 3 && hours == 23;
        boolean fallBack = day.getMonthValue() == 10 && hours == 25;
        assertThat(springForward || fallBack || hours == 24).isTrue();
        for (int i = 1; i < slots.size(); i++) {
            assertThat(slots.get(i).start()).isEqualTo(slots.get(i - 1).end());
        }
        assertThat(slots.get(slots.size() - 1).end()).isEqualTo(end);
    }

    @Property(tries = 200)
    void mergingADayReplacesExactlyWhatItCoversAndNeverOverlaps(
            @ForAll @IntRange(min = 0, max = 200) int offsetQuarterHours,
            @ForAll("resolutions") int minutes) throws Exception {
        Instant d0 = Instant.parse("2025-10-24T22:00:00Z");
        SortedMap<Integer, BigDecimal> p = new TreeMap<>();
        p.put(1, BigDecimal.ONE);
        List<PriceSlot> old = PeriodExpander.expand(d0, d0.plus(Duration.ofHours(49)), Duration.ofMinutes(60),
                PeriodExpander.CurveType.A03, p, EUR);
        Instant s = d0.plus(Duration.ofMinutes(15L * offsetQuarterHours));
        Instant e = s.plus(Duration.ofMinutes(minutes * 8L));
        SortedMap<Integer, BigDecimal> q = new TreeMap<>();
        q.put(1, BigDecimal.TEN);
        List<PriceSlot> fresh = PeriodExpander.expand(s, e, Duration.ofMinutes(minutes), PeriodExpander.CurveType.A03, q, EUR);

        KnownPrices merged = KnownPrices.of(old).merge(fresh, Instant.MIN);
        List<PriceSlot> all = merged.slots();
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).start()).isAfterOrEqualTo(all.get(i - 1).end());
        }
        assertThat(all).containsAll(fresh);
        for (PriceSlot slot : all) {
            boolean inFresh = slot.start().isBefore(e) && slot.end().isAfter(s);
            assertThat(fresh.contains(slot)).isEqualTo(inFresh);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> resolutions() {
        return net.jqwik.api.Arbitraries.of(15, 30, 60);
    }
}
