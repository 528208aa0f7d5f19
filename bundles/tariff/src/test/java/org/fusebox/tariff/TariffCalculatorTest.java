package org.fusebox.tariff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.market.SitePrices;
import org.fusebox.api.units.EnergyPrice;
import org.junit.jupiter.api.Test;

class TariffCalculatorTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Tuesday 3 March 2026, 00:00 in Berlin (CET, UTC+1). */
    private static final Instant MIDNIGHT = Instant.parse("2026-03-02T23:00:00Z");

    private static PriceCurve hourly(Instant start, String source, String... prices) {
        List<PriceSlot> slots = new ArrayList<>();
        for (int i = 0; i < prices.length; i++) {
            slots.add(new PriceSlot(start.plus(Duration.ofHours(i)), Duration.ofHours(1), EnergyPrice.perMegawattHour(prices[i], "EUR"),
                    source));
        }
        return new PriceCurve(slots);
    }

    private static String amount(PriceSlot s) {
        return s.price().perMegawattHour().amount().stripTrailingZeros().toPlainString();
    }

    private static SitePrices apply(TariffCalculator c, PriceCurve market, Set<String> retail) {
        return c.prices(MIDNIGHT, MIDNIGHT.plus(Duration.ofDays(1)), market, retail, BERLIN);
    }

    /** The README's worked example: German household, dynamic tariff, §14a module 3 grid fee bands. */
    @Test
    void theWorkedExampleOfTheReadme() {
        TariffCalculator c = Configs.calculator("energyChargePerMwh", "15.00", "gridFeePerMwh", "95.00",
                "gridFeeBands", new String[] { "* 0-6 19.00", "* 17-21 142.50" }, "leviesPerMwh", "45.87", "vatPercent", "19",
                "exportMode", "fixed", "feedInPerMwh", "79.40");
        // 05:00, 12:00 and 18:00 local.
        PriceCurve market = new PriceCurve(List.of(
                new PriceSlot(MIDNIGHT.plus(Duration.ofHours(5)), Duration.ofHours(1), EnergyPrice.perMegawattHour("62.10", "EUR"), "entsoe-DE-LU"),
                new PriceSlot(MIDNIGHT.plus(Duration.ofHours(12)), Duration.ofHours(1), EnergyPrice.perMegawattHour("-5.00", "EUR"), "entsoe-DE-LU"),
                new PriceSlot(MIDNIGHT.plus(Duration.ofHours(18)), Duration.ofHours(1), EnergyPrice.perMegawattHour("180.00", "EUR"), "entsoe-DE-LU")));

        SitePrices p = apply(c, market, Set.of());

        // (62.10 + 15 + 19 + 45.87) x 1.19 = 168.9443; (-5 + 15 + 95 + 45.87) x 1.19 = 179.5353; (180 + 15 + 142.5 + 45.87) x 1.19 = 456.2103
        assertThat(p.importPrices().slots()).extracting(TariffCalculatorTest::amount).containsExactly("168.9443", "179.5353", "456.2103");
        assertThat(p.importPrices().slots()).extracting(PriceSlot::source).containsOnly("entsoe-DE-LU");
        assertThat(p.exportPrices().slots()).extracting(TariffCalculatorTest::amount).containsOnly("79.4");
        assertThat(p.spot()).isEqualTo(market);
    }

    @Test
    void retailPricesPassThroughWithoutFeesOrVatAgain() {
        TariffCalculator c = Configs.calculator("gridFeePerMwh", "95", "vatPercent", "19", "exportMode", "spot");
        PriceCurve market = new PriceCurve(List.of(
                new PriceSlot(MIDNIGHT, Duration.ofHours(1), EnergyPrice.perMegawattHour("312.5", "EUR"), "tibber"),
                new PriceSlot(MIDNIGHT.plus(Duration.ofHours(1)), Duration.ofHours(1), EnergyPrice.perMegawattHour("100", "EUR"), "entsoe")));

        SitePrices p = apply(c, market, Set.of("tibber"));

        assertThat(p.importPrices().slots()).extracting(TariffCalculatorTest::amount).containsExactly("312.5", "232.05");
        // What exporting earns is not in a retail price: only the spot slot has an export price.
        assertThat(p.exportPrices().slots()).extracting(PriceSlot::source).containsExactly("entsoe");
    }

    @Test
    void aFeedInAnotherCurrencyIsRefusedNotMixed() {
        TariffCalculator c = Configs.calculator("currency", "EUR");
        PriceCurve market = new PriceCurve(List.of(new PriceSlot(MIDNIGHT, Duration.ofHours(1), EnergyPrice.perMegawattHour("900", "SEK"),
                "nordpool-SE3")));

        assertThatThrownBy(() -> apply(c, market, Set.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nordpool-SE3").hasMessageContaining("SEK").hasMessageContaining("EUR");
    }

    @Test
    void aFixedTimeOfUseTariffNeedsNoSpotAndFillsTheHorizonInLocalHours() {
        TariffCalculator c = Configs.calculator("importMode", "fixed", "energyChargePerMwh", "250", "energyChargeBands",
                new String[] { "Mon-Fri 7-22 320" }, "vatPercent", "21");

        SitePrices p = apply(c, PriceCurve.EMPTY, Set.of());

        assertThat(p.importPrices().slots()).hasSize(24);
        assertThat(p.importPrices().slots()).extracting(PriceSlot::source).containsOnly("tariff");
        assertThat(amount(p.importPrices().slots().get(6))).isEqualTo("302.5"); // 06:00 Tuesday: 250 x 1.21
        assertThat(amount(p.importPrices().slots().get(7))).isEqualTo("387.2"); // 07:00: 320 x 1.21
        assertThat(p.exportPrices().isEmpty()).isTrue();
    }

    @Test
    void spotBasedExportWithFactorAndOffsetPassesNegativePricesOrFloorsThem() {
        PriceCurve market = hourly(MIDNIGHT, "entsoe", "80", "-40");
        TariffCalculator pass = Configs.calculator("exportMode", "spot", "exportFactor", "0.9", "exportOffsetPerMwh", "-4");
        TariffCalculator floor = Configs.calculator("exportMode", "spot", "exportFactor", "0.9", "exportOffsetPerMwh", "-4",
                "negativeExport", "floor");

        assertThat(apply(pass, market, Set.of()).exportPrices().slots()).extracting(TariffCalculatorTest::amount).containsExactly("68", "-40");
        assertThat(apply(floor, market, Set.of()).exportPrices().slots()).extracting(TariffCalculatorTest::amount).containsExactly("68", "0");
        assertThat(apply(Configs.calculator("exportMode", "zero"), market, Set.of()).exportPrices().slots())
                .extracting(TariffCalculatorTest::amount).containsExactly("0", "0");
    }

    @Test
    void anHourlySlotInAHalfHourZoneIsCutAtTheLocalHourSoEachPartHasOneBand() {
        ZoneId india = ZoneId.of("Asia/Kolkata");
        TariffCalculator c = Configs.calculator("gridFeeBands", new String[] { "* 18-22 50" });
        // 12:00Z is 17:30 local: the first half hour is outside the band, the second inside.
        PriceCurve market = hourly(Instant.parse("2026-03-03T12:00:00Z"), "x", "100");

        SitePrices p = c.prices(MIDNIGHT, MIDNIGHT.plus(Duration.ofDays(1)), market, Set.of(), india);

        assertThat(p.importPrices().slots()).extracting(s -> s.length().toMinutes() + "/" + amount(s)).containsExactly("30/100", "30/150");
    }

    @Test
    void aNegativeSpotWithVatCanMakeImportCheaperThanExport() {
        // Not an invariant: VAT multiplies a negative price too. The planners must not assume import >= export.
        TariffCalculator c = Configs.calculator("vatPercent", "20", "exportMode", "spot");
        SitePrices p = apply(c, hourly(MIDNIGHT, "e", "-100"), Set.of());

        assertThat(amount(p.importPrices().slots().get(0))).isEqualTo("-120");
        assertThat(amount(p.exportPrices().slots().get(0))).isEqualTo("-100");
    }
}
