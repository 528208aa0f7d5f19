package org.fusebox.market.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;

/** Any valid curve written as CSV, in instants or in Brussels local time, parses back to the same slots. */
class PriceCsvRoundTripProperties {

    static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
    static final DateTimeFormatter DMY = DateTimeFormatter.ofPattern("ddMMMuuuu HH:mm:ss", Locale.ENGLISH);

    record Curve(List<PriceSlot> slots, Duration length) {
    }

    @Provide
    Arbitrary<Curve> curves() {
        Arbitrary<Duration> length = Arbitraries.of(Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1));
        // hour-aligned starts from 2015 to 2035, so DST changes are crossed often enough with long curves
        Arbitrary<Instant> start = Arbitraries.longs().between(0, 20L * 365 * 24).map(h -> Instant.parse("2015-01-01T00:00:00Z").plusSeconds(h * 3600));
        Arbitrary<List<BigDecimal>> prices = Arbitraries.bigDecimals().between(new BigDecimal("-500"), new BigDecimal("4000"))
                .ofScale(2).list().ofMinSize(1).ofMaxSize(300);
        Arbitrary<List<Integer>> gaps = Arbitraries.integers().between(0, 3).list().ofSize(300);
        return Combinators.combine(length, start, prices, gaps).as((len, t0, ps, gs) -> {
            List<PriceSlot> slots = new ArrayList<>();
            Instant t = t0;
            for (int i = 0; i < ps.size(); i++) {
                slots.add(new PriceSlot(t, len, new EnergyPrice(new org.fusebox.api.units.Money(ps.get(i), java.util.Currency.getInstance("EUR")))));
                t = t.plus(len.multipliedBy(1 + (gs.get(i) == 3 ? 2 : 0)));
            }
            return new Curve(slots, len);
        });
    }

    @Property(tries = 300)
    void instantsRoundTrip(@ForAll("curves") Curve c) throws Exception {
        StringBuilder csv = new StringBuilder("time_utc,eur_per_mwh\n");
        for (PriceSlot s : c.slots()) {
            csv.append(s.start()).append(',').append(s.price().perMegawattHour().amount().toPlainString()).append('\n');
        }
        assertThat(parse(csv.toString(), c.length())).isEqualTo(c.slots());
    }

    @Property(tries = 300)
    void brusselsLocalTimeRoundTripsForContiguousCurves(@ForAll("curves") Curve c) throws Exception {
        List<PriceSlot> contiguous = new ArrayList<>();
        Instant t = c.slots().get(0).start();
        for (PriceSlot s : c.slots()) {
            contiguous.add(new PriceSlot(t, c.length(), s.price()));
            t = t.plus(c.length());
        }
        // local time cannot tell which 02:00 a file starts in; a file starting in the repeated hour is read as its first pass
        Instant first = contiguous.get(0).start();
        Assume.that(BRUSSELS.getRules().getValidOffsets(LocalDateTime.ofInstant(first, BRUSSELS)).size() == 1);
        StringBuilder csv = new StringBuilder("local_time_brussels,eur_per_mwh\n");
        for (PriceSlot s : contiguous) {
            csv.append(DMY.format(LocalDateTime.ofInstant(s.start(), BRUSSELS)).toLowerCase(Locale.ROOT))
                    .append(',').append(s.price().perMegawattHour().amount().toPlainString()).append('\n');
        }
        assertThat(parse(csv.toString(), c.length())).isEqualTo(contiguous);
    }

    static List<PriceSlot> parse(String csv, Duration length) throws Exception {
        return new PriceCsvParser(BRUSSELS, java.util.Currency.getInstance("EUR"), length)
                .parse(new StringReader(csv), "generated.csv").curve().slots();
    }
}
