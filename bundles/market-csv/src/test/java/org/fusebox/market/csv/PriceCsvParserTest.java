package org.fusebox.market.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import org.fusebox.api.units.EnergyPrice;
import org.junit.jupiter.api.Test;

/** Small hand-written files: what is accepted, and every way a file is refused. */
class PriceCsvParserTest {

    static ParsedPrices parse(String csv) throws Exception {
        return new PriceCsvParser().parse(new StringReader(csv), "t.csv");
    }

    static void refused(String csv, int line, String... fragments) {
        assertThatThrownBy(() -> parse(csv))
                .isInstanceOf(PriceFileException.class)
                .satisfies(e -> assertThat(((PriceFileException) e).line()).isEqualTo(line))
                .hasMessageStartingWith(line > 0 ? "t.csv line " + line + ": " : "t.csv: ")
                .hasMessageContainingAll(fragments);
    }

    @Test
    void readsIsoInstantsWithoutAHeaderAndIgnoresTheZone() throws Exception {
        ParsedPrices p = new PriceCsvParser(ZoneId.of("America/New_York"), Currency.getInstance("EUR"), null)
                .parse(new StringReader("2024-01-01T00:00:00Z,12.5\n2024-01-01T01:00:00Z,-3\n2024-01-01T03:00:00+01:00,7\n"), "t.csv");
        assertThat(p.curve().slots()).extracting(s -> s.start()).containsExactly(
                Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-01T01:00:00Z"), Instant.parse("2024-01-01T02:00:00Z"));
        assertThat(p.curve().slots().get(1).price()).isEqualTo(EnergyPrice.perMegawattHour("-3", "EUR"));
    }

    @Test
    void readsIsoLocalTimesHeaderBlankLinesCrLfAndAnotherCurrency() throws Exception {
        ParsedPrices p = new PriceCsvParser(ZoneId.of("Europe/Oslo"), Currency.getInstance("NOK"), null)
                .parse(new StringReader("\uFEFFtime,price\r\n2024-06-01 00:00,100\r\n\r\n2024-06-01T00:15:00,101.25\r\n"), "t.csv");
        assertThat(p.slotLength()).isEqualTo(Duration.ofMinutes(15));
        assertThat(p.curve().slots().get(0).start()).isEqualTo(Instant.parse("2024-05-31T22:00:00Z"));
        assertThat(p.curve().slots().get(1).price()).isEqualTo(EnergyPrice.perMegawattHour("101.25", "NOK"));
    }

    @Test
    void aSingleRowIsAnHourAndAConfiguredLengthWins() throws Exception {
        assertThat(parse("01jan2023 00:00:00,1").slotLength()).isEqualTo(Duration.ofHours(1));
        ParsedPrices p = new PriceCsvParser(PriceCsvParser.DEFAULT_ZONE, PriceCsvParser.DEFAULT_CURRENCY, Duration.ofMinutes(30))
                .parse(new StringReader("01jan2023 00:00:00,1\n01jan2023 01:00:00,2\n"), "t.csv");
        assertThat(p.curve().slots()).allSatisfy(s -> assertThat(s.length()).isEqualTo(Duration.ofMinutes(30)));
    }

    @Test
    void missingHoursAreAllowedButLeaveAHole() throws Exception {
        ParsedPrices p = parse("01jan2023 00:00:00,1\n01jan2023 03:00:00,2\n01jan2023 04:00:00,3\n");
        assertThat(p.curve().slots()).hasSize(3);
        assertThat(p.curve().at(Instant.parse("2023-01-01T00:30:00Z"))).isEmpty();
    }

    @Test
    void refusesABadDate() {
        refused("h,p\n01jan2023 00:00:00,1\n32jan2023 01:00:00,2\n", 3, "bad date '32jan2023 01:00:00'");
        refused("h,p\n2023-02-29 00:00,1\n", 2, "bad date");
        refused("h,p\n2024-01-01T00:00:00+25:00,1\n", 2, "bad date", "instant");
    }

    @Test
    void refusesABadNumber() {
        refused("h,p\n01jan2023 00:00:00,1\n01jan2023 01:00:00,12,5x\n", 3, "expected 2 columns");
        refused("01jan2023 00:00:00,abc\n", 1, "bad number 'abc'");
        refused("h,p\n01jan2023 00:00:00,NaN\n", 2, "bad number 'NaN'");
        refused("h,p\n01jan2023 00:00:00,\n", 2, "bad number ''");
    }

    @Test
    void refusesAWrongColumnCount() {
        refused("h,p\n01jan2023 00:00:00,1\n01jan2023 01:00:00\n", 3, "expected 2 columns", "found 1");
        refused("h,p\n01jan2023 00:00:00,1,BE\n", 2, "found 3");
    }

    @Test
    void refusesSlotsOutOfOrder() {
        refused("h,p\n01jan2023 00:00:00,1\n01jan2023 02:00:00,2\n01jan2023 01:00:00,3\n", 4,
                "out of order", "before line 3");
    }

    @Test
    void refusesADuplicateThatIsNotTheFallBackHour() {
        refused("h,p\n01jan2023 00:00:00,1\n01jan2023 00:00:00,1\n", 3, "duplicate of line 2");
        refused("2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00+01:00,1\n", 2, "duplicate of line 1");
    }

    @Test
    void theFallBackHourMayRepeatOnceButNotTwice() throws Exception {
        String ok = "h,p\n29oct2023 01:00:00,1\n29oct2023 02:00:00,2\n29oct2023 02:00:00,3\n29oct2023 03:00:00,4\n";
        assertThat(parse(ok).curve().slots()).hasSize(4);
        refused("h,p\n29oct2023 02:00:00,2\n29oct2023 02:00:00,3\n29oct2023 02:00:00,4\n", 4, "duplicate of line 3");
    }

    @Test
    void theSpringGapRowIsSkippedWhateverItsValue() throws Exception {
        ParsedPrices p = parse("h,p\n26mar2023 01:00:00,1\n26mar2023 02:30:00,99\n26mar2023 03:00:00,3\n");
        assertThat(p.curve().slots()).hasSize(2);
        assertThat(p.skipped()).singleElement().satisfies(s -> {
            assertThat(s.line()).isEqualTo(3);
            assertThat(s.reason()).contains("does not exist");
        });
    }

    @Test
    void refusesRowsOffTheSlotGrid() {
        refused("h,p\n01jan2023 00:00:00,1\n01jan2023 01:00:00,2\n01jan2023 02:30:00,3\n", 4,
                "PT1H30M after line 3", "not a whole number of PT1H slots");
        assertThatThrownBy(() -> new PriceCsvParser(PriceCsvParser.DEFAULT_ZONE, PriceCsvParser.DEFAULT_CURRENCY, Duration.ofHours(1))
                .parse(new StringReader("2024-01-01T00:00:00Z,1\n2024-01-01T00:30:00Z,2\n"), "t.csv"))
                .hasMessage("t.csv line 2: starts PT30M after line 1, not a whole number of PT1H slots");
    }

    @Test
    void refusesAnEmptyFile() {
        refused("", 0, "no price rows");
        refused("local_time_brussels,eur_per_mwh\n\n", 0, "no price rows");
    }
}
