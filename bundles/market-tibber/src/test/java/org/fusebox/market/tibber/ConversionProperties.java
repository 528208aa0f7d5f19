package org.fusebox.market.tibber;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.fusebox.api.market.PriceSlot;

/** Per kWh to per MWh is exact for any decimal, and a parsed day is every slot of the day in order. */
class ConversionProperties {

    @Property
    void perMegawattHourIsExactlyAThousandTimesPerKilowattHour(@ForAll("kwhPrices") BigDecimal perKwh) {
        BigDecimal perMwh = TibberParser.perMegawattHour(perKwh);
        assertThat(perMwh.compareTo(perKwh.multiply(BigDecimal.valueOf(1000)))).isZero();
        // back again without loss: nothing was rounded
        assertThat(perMwh.movePointLeft(3).compareTo(perKwh)).isZero();
        assertThat(perMwh.precision()).isEqualTo(perKwh.precision());
    }

    @Provide
    Arbitrary<BigDecimal> kwhPrices() {
        return Arbitraries.bigDecimals().between(new BigDecimal("-50"), new BigDecimal("50")).ofScale(6)
                .edgeCases(c -> c.add(new BigDecimal("0.0001")));
    }

    @Property(tries = 200)
    void theParsedPriceIsTheWrittenOneTimesAThousand(@ForAll("kwhPrices") BigDecimal perKwh,
            @ForAll @IntRange(min = 0, max = 95) int slot) throws Exception {
        LocalDate d = LocalDate.of(2026, 12, 7);
        String a = Answers.answer(Answers.home(Answers.HOME, Answers.OSLO,
                Answers.day(d, Answers.OSLO, Duration.ofMinutes(15), "SEK", i -> i == slot ? perKwh : BigDecimal.ZERO), List.of()));
        TibberPrices p = new TibberParser(Optional.empty(), Resolution.QUARTER_HOURLY, Optional.empty())
                .parse(a.getBytes(StandardCharsets.UTF_8));
        assertThat(p.slots().get(slot).price().perMegawattHour().amount().compareTo(perKwh.movePointRight(3))).isZero();
    }

    @Property(tries = 300)
    void everyDayOfTheDecadeIsWholeAndInOrder(@ForAll @IntRange(min = 0, max = 3652) int dayOffset,
            @ForAll boolean hourly) throws Exception {
        LocalDate d = LocalDate.of(2020, 1, 1).plusDays(dayOffset);
        Resolution r = hourly ? Resolution.HOURLY : Resolution.QUARTER_HOURLY;
        String a = Answers.answer(Answers.home(Answers.HOME, Answers.BERLIN,
                Answers.day(d, Answers.BERLIN, r.slot(), "EUR", Answers::price),
                Answers.day(d.plusDays(1), Answers.BERLIN, r.slot(), "EUR", Answers::price)));
        TibberPrices p = new TibberParser(Optional.empty(), r, Optional.empty()).parse(a.getBytes(StandardCharsets.UTF_8));
        List<PriceSlot> s = new ArrayList<>(p.slots());
        long todayMinutes = Duration.between(d.atStartOfDay(Answers.BERLIN), d.plusDays(1).atStartOfDay(Answers.BERLIN)).toMinutes();
        assertThat(p.todaySlots()).isEqualTo((int) (todayMinutes / r.slot().toMinutes()));
        assertThat(s.get(0).start()).isEqualTo(d.atStartOfDay(Answers.BERLIN).toInstant());
        assertThat(s.get(s.size() - 1).end()).isEqualTo(d.plusDays(2).atStartOfDay(Answers.BERLIN).toInstant());
        TibberParserTest.assertGapless(s);
    }
}
