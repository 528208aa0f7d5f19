package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.junit.jupiter.api.Test;

/** Several feeds become one curve: per instant the preferred feed that knows it, gaps filled, never overlapping. */
class PriceMergeTest {

    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    /** {@code count} slots of {@code minutes} from {@code T0 + offsetMinutes}, priced base, base+1, ... */
    private static PriceCurve curve(int offsetMinutes, int minutes, int count, int base, String currency) {
        List<PriceSlot> slots = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            slots.add(new PriceSlot(T0.plus(Duration.ofMinutes(offsetMinutes + (long) i * minutes)), Duration.ofMinutes(minutes),
                    EnergyPrice.perMegawattHour(Integer.toString(base + i), currency)));
        }
        return new PriceCurve(slots);
    }

    private static PriceMerge.Merged merge(PriceMerge.FeedCurve... feeds) {
        return PriceMerge.merge(List.of(feeds));
    }

    private static PriceMerge.FeedCurve feed(String id, PriceCurve c) {
        return new PriceMerge.FeedCurve(id, c);
    }

    @Test
    void thePreferredFeedWinsWhereBothKnowAndEverySlotNamesItsFeed() {
        PriceCurve merged = merge(feed("entsoe-BE", curve(0, 60, 3, 100, "EUR")), feed("energycharts-BE", curve(0, 60, 5, 500, "EUR")))
                .curve();

        assertThat(merged.slots()).extracting(PriceSlot::source)
                .containsExactly("entsoe-BE", "entsoe-BE", "entsoe-BE", "energycharts-BE", "energycharts-BE");
        assertThat(merged.slots()).extracting(s -> s.price().perMegawattHour().amount().intValue())
                .containsExactly(100, 101, 102, 503, 504);
    }

    @Test
    void aGapOfThePreferredFeedIsFilledByTheNextOne() {
        List<PriceSlot> holed = new ArrayList<>(curve(0, 60, 4, 100, "EUR").slots());
        holed.remove(1);
        PriceCurve merged = merge(feed("a", new PriceCurve(holed)), feed("b", curve(0, 60, 4, 500, "EUR"))).curve();

        assertThat(merged.slots()).extracting(PriceSlot::source).containsExactly("a", "b", "a", "a");
        assertThat(merged.at(T0.plus(Duration.ofMinutes(90))).orElseThrow().price()).isEqualTo(EnergyPrice.perMegawattHour("501", "EUR"));
    }

    @Test
    void anHourlyFallbackIsCutToThePartsTheQuarterHourlyFeedDoesNotCover() {
        // The preferred feed knows 00:00-00:30 and 00:45-01:00 in quarter hours; the fallback the whole hour at 80.
        List<PriceSlot> quarters = new ArrayList<>(curve(0, 15, 4, 10, "EUR").slots());
        quarters.remove(2);
        PriceCurve merged = merge(feed("q", new PriceCurve(quarters)), feed("h", curve(0, 60, 2, 80, "EUR"))).curve();

        assertThat(merged.slots()).extracting(s -> s.start().toString() + "/" + s.length().toMinutes() + "/" + s.source() + "/"
                + s.price().perMegawattHour().amount().intValue())
                .containsExactly("2026-03-02T00:00:00Z/15/q/10", "2026-03-02T00:15:00Z/15/q/11", "2026-03-02T00:30:00Z/15/h/80",
                        "2026-03-02T00:45:00Z/15/q/13", "2026-03-02T01:00:00Z/60/h/81");
    }

    @Test
    void quarterHoursOfAFallbackFillOnlyWhereThePreferredHourlyFeedIsSilent() {
        PriceCurve merged = merge(feed("h", curve(0, 60, 1, 80, "EUR")), feed("q", curve(0, 15, 8, 10, "EUR"))).curve();

        assertThat(merged.slots()).hasSize(5);
        assertThat(merged.slots().get(0).length()).isEqualTo(Duration.ofHours(1));
        assertThat(merged.slots().subList(1, 5)).allSatisfy(s -> assertThat(s.source()).isEqualTo("q"));
        assertThat(merged.slots().get(1).start()).isEqualTo(T0.plus(Duration.ofHours(1)));
    }

    @Test
    void aFallbackStraddlingTheEndOfAPreferredSlotKeepsOnlyItsUncoveredTail() {
        // Preferred: 00:00-01:00. Fallback shifted by half an hour: 00:30-01:30, 01:30-02:30.
        PriceCurve merged = merge(feed("a", curve(0, 60, 1, 1, "EUR")), feed("b", curve(30, 60, 2, 7, "EUR"))).curve();

        assertThat(merged.slots()).extracting(s -> s.start().toString() + "/" + s.length().toMinutes() + "/" + s.source())
                .containsExactly("2026-03-02T00:00:00Z/60/a", "2026-03-02T01:00:00Z/30/b", "2026-03-02T01:30:00Z/60/b");
    }

    @Test
    void slotsInAnotherCurrencyAreLeftOutAndSaid() {
        PriceMerge.Merged m = merge(feed("eu", curve(0, 60, 1, 1, "EUR")), feed("ch", curve(0, 60, 3, 9, "CHF")));

        assertThat(m.curve().slots()).hasSize(1);
        assertThat(m.problems()).singleElement().asString().contains("ch").contains("CHF").contains("EUR").contains("3 slots");
    }

    @Test
    void noFeedsMakeAnEmptyCurve() {
        assertThat(merge().curve().isEmpty()).isTrue();
        assertThat(merge(feed("a", PriceCurve.EMPTY)).curve().isEmpty()).isTrue();
    }
}
