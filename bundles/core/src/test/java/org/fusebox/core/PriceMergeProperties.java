package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;

/** Whatever the feeds give, the merged curve never overlaps and each instant has its preferred feed's price. */
class PriceMergeProperties {

    private static final Instant T0 = Instant.parse("2026-10-25T00:00:00Z");

    @Property(tries = 300)
    void eachInstantHasThePriceOfTheFirstFeedThatKnowsIt(@ForAll("feeds") List<PriceCurve> feeds) {
        List<PriceMerge.FeedCurve> in = new ArrayList<>();
        for (int i = 0; i < feeds.size(); i++) {
            in.add(new PriceMerge.FeedCurve("f" + i, feeds.get(i)));
        }
        PriceCurve merged = PriceMerge.merge(in).curve(); // the PriceCurve constructor refuses overlaps

        for (int minute = 0; minute < 6 * 60; minute += 5) {
            Instant t = T0.plus(Duration.ofMinutes(minute));
            PriceSlot expected = null;
            String expectedSource = null;
            for (int i = 0; i < feeds.size() && expected == null; i++) {
                expected = feeds.get(i).at(t).orElse(null);
                expectedSource = "f" + i;
            }
            var got = merged.at(t);
            if (expected == null) {
                assertThat(got).as("at %s", t).isEmpty();
            } else {
                assertThat(got).as("at %s", t).isPresent();
                assertThat(got.get().price()).isEqualTo(expected.price());
                assertThat(got.get().source()).isEqualTo(expectedSource);
            }
        }
    }

    @Provide
    Arbitrary<List<PriceCurve>> feeds() {
        return curve().list().ofMinSize(1).ofMaxSize(4);
    }

    /** Slots of 15, 30 or 60 minutes on their grid within six hours, some missing. */
    private Arbitrary<PriceCurve> curve() {
        return Combinators.combine(Arbitraries.of(15, 30, 60), Arbitraries.integers().between(0, 99).list().ofSize(24),
                Arbitraries.integers().between(0, 3).list().ofSize(24)).as((minutes, prices, holes) -> {
                    List<PriceSlot> slots = new ArrayList<>();
                    for (int i = 0; i < 24 && (long) (i + 1) * minutes <= 6 * 60; i++) {
                        if (holes.get(i) != 0) {
                            slots.add(new PriceSlot(T0.plus(Duration.ofMinutes((long) i * minutes)), Duration.ofMinutes(minutes),
                                    EnergyPrice.perMegawattHour(Integer.toString(prices.get(i)), "EUR")));
                        }
                    }
                    return new PriceCurve(slots);
                });
    }
}
