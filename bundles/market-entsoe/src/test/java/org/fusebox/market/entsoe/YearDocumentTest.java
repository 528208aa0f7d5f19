package org.fusebox.market.entsoe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.fusebox.api.market.PriceSlot;
import org.junit.jupiter.api.Test;

/** The benchmark's input: a year of the real 2023 Belgian prices as a 15-minute A44 document reads back whole. */
class YearDocumentTest {

    final A44Parser parser = new A44Parser();

    List<PriceSlot> parse(YearDocument doc) throws DocumentRefused {
        return ((ParsedDocument.Prices) parser.parse(new ByteArrayInputStream(doc.xml), Documents.BE)).slots();
    }

    static BigDecimal price(PriceSlot s) {
        return s.price().perMegawattHour().amount();
    }

    @Test
    void aFlatYearIsEveryQuarterHourOf2023WithTheHoursPrice() throws Exception {
        YearDocument doc = YearDocument.of(YearDocument.pricesFile(), YearDocument.Shape.FLAT);
        List<PriceSlot> s = parse(doc);

        assertThat(doc.days).isEqualTo(365);
        assertThat(doc.quartersByDay.get(LocalDate.of(2023, 3, 26))).isEqualTo(92);
        assertThat(doc.quartersByDay.get(LocalDate.of(2023, 10, 29))).isEqualTo(100);
        assertThat(doc.quartersByDay.get(LocalDate.of(2023, 6, 1))).isEqualTo(96);
        assertThat(s).hasSize(35_040);
        assertThat(doc.points).as("A03 leaves out repeated prices").isLessThan(35_040 / 3);
        for (int i = 1; i < s.size(); i++) {
            assertThat(s.get(i).start()).isEqualTo(s.get(i - 1).end());
            assertThat(s.get(i).length()).isEqualTo(YearDocument.QH);
        }
        assertThat(s.get(0).start()).isEqualTo(Instant.parse("2022-12-31T23:00:00Z"));
        assertThat(s.get(s.size() - 1).end()).isEqualTo(Instant.parse("2023-12-31T23:00:00Z"));
        // 01jan2023 00:00 -4.39 and 01:00 -1.75 in the file: the gaps repeat the hour's price
        assertThat(s.subList(0, 4)).allSatisfy(q -> assertThat(price(q)).isEqualByComparingTo("-4.39"));
        assertThat(price(s.get(4))).isEqualByComparingTo("-1.75");
        // 29oct2023: the first 02:00 is summer time (-1.01), the second winter time (-0.84)
        int autumn = indexOf(s, Instant.parse("2023-10-29T00:00:00Z"));
        assertThat(price(s.get(autumn + 3))).isEqualByComparingTo("-1.01");
        assertThat(price(s.get(autumn + 4))).isEqualByComparingTo("-0.84");
    }

    @Test
    void anInterpolatedYearWritesNearlyEveryPositionAndMovesWithinTheHour() throws Exception {
        YearDocument doc = YearDocument.of(YearDocument.pricesFile(), YearDocument.Shape.INTERPOLATED);
        List<PriceSlot> s = parse(doc);

        assertThat(s).hasSize(35_040);
        assertThat(doc.points).isGreaterThan(30_000).isLessThan(35_040);
        // -4.39 towards -1.75: -4.39, -3.73, -3.07, -2.41, then the next hour's -1.75
        assertThat(s.subList(0, 5)).extracting(YearDocumentTest::price).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("-4.39"), new BigDecimal("-3.73"), new BigDecimal("-3.07"), new BigDecimal("-2.41"),
                        new BigDecimal("-1.75"));
    }

    static int indexOf(List<PriceSlot> s, Instant t) {
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i).start().equals(t)) {
                return i;
            }
        }
        throw new AssertionError("no slot at " + t);
    }
}
