package org.fusebox.market.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real ENTSO-E file for Belgium, 2023, with its daylight-saving quirks. */
class BelgianPrices2023Test {

    static final Path FILE = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("../../data/day-ahead-prices-BE-2023.csv").toAbsolutePath().normalize();

    static ParsedPrices parsed;
    static List<PriceSlot> slots;

    static Path requireFile() {
        if (!Files.isRegularFile(FILE)) {
            fail("test data missing: expected the repository's price file at " + FILE);
        }
        return FILE;
    }

    @BeforeAll
    static void parse() throws Exception {
        parsed = new PriceCsvParser().parse(requireFile());
        slots = parsed.curve().slots();
    }

    static EnergyPrice eur(String amount) {
        return EnergyPrice.perMegawattHour(amount, "EUR");
    }

    static PriceSlot at(String offsetDateTime) {
        Instant t = OffsetDateTime.parse(offsetDateTime).toInstant();
        return parsed.curve().at(t).orElseThrow(() -> new AssertionError("no slot at " + offsetDateTime));
    }

    @Test
    void hasOneSlotPerHourOfTheYear() {
        assertThat(slots).hasSize(8760);
        assertThat(parsed.slotLength()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void firstSlotIsMidnightBrusselsAtANegativePrice() {
        PriceSlot first = slots.get(0);
        assertThat(first.start()).isEqualTo(Instant.parse("2022-12-31T23:00:00Z"));
        assertThat(first.length()).isEqualTo(Duration.ofHours(1));
        assertThat(first.price()).isEqualTo(eur("-4.39"));
    }

    @Test
    void lastSlotEndsAtMidnightBrusselsOnNewYear() {
        assertThat(slots.get(slots.size() - 1).end()).isEqualTo(Instant.parse("2023-12-31T23:00:00Z"));
        assertThat(slots.get(slots.size() - 1).price()).isEqualTo(eur("3.17"));
    }

    @Test
    void slotsAreContiguousInUtc() {
        for (int i = 1; i < slots.size(); i++) {
            assertThat(slots.get(i).start()).as("slot %d", i).isEqualTo(slots.get(i - 1).end());
        }
    }

    @Test
    void theNonExistentSpringHourIsSkippedAndReportedWithItsLine() {
        assertThat(parsed.skipped()).hasSize(1);
        ParsedPrices.SkippedRow gap = parsed.skipped().get(0);
        assertThat(gap.line()).isEqualTo(2020);
        assertThat(gap.text()).isEqualTo("26mar2023 02:00:00,0.00");
        // 01:00 CET is followed directly by 03:00 CEST
        assertThat(at("2023-03-26T01:00+01:00").price()).isEqualTo(eur("65.75"));
        assertThat(at("2023-03-26T03:00+02:00").start()).isEqualTo(Instant.parse("2023-03-26T01:00:00Z"));
        assertThat(at("2023-03-26T03:00+02:00").price()).isEqualTo(eur("69.21"));
    }

    @Test
    void theDoubledAutumnHourIsSummerTimeFirstThenWinterTime() {
        assertThat(at("2023-10-29T01:00+02:00").price()).isEqualTo(eur("-1.07"));
        PriceSlot summer = at("2023-10-29T02:00+02:00");
        PriceSlot winter = at("2023-10-29T02:00+01:00");
        assertThat(summer.start()).isEqualTo(Instant.parse("2023-10-29T00:00:00Z"));
        assertThat(summer.price()).isEqualTo(eur("-1.01"));
        assertThat(winter.start()).isEqualTo(Instant.parse("2023-10-29T01:00:00Z"));
        assertThat(winter.price()).isEqualTo(eur("-0.84"));
        assertThat(at("2023-10-29T03:00+01:00").start()).isEqualTo(Instant.parse("2023-10-29T02:00:00Z"));
    }

    @Test
    void feedServesAWindowFromTheRealFile() {
        CsvPriceFeed feed = new CsvPriceFeed();
        feed.configure(TestConfig.file(FILE));
        assertThat(feed.health().status()).isEqualTo(org.fusebox.api.health.HealthStatus.UP);
        var day = feed.prices(Instant.parse("2023-10-28T22:00:00Z"), Instant.parse("2023-10-29T23:00:00Z"));
        assertThat(day.slots()).hasSize(25);
    }
}
