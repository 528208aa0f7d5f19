package org.fusebox.tariff;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.market.SitePrices;
import org.fusebox.api.units.EnergyPrice;

/** The tariff's arithmetic is exact and its bands follow the site's clock, DST days included. */
class TariffProperties {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Provide
    Arbitrary<BigDecimal> amounts() {
        return Arbitraries.bigDecimals().between(new BigDecimal("-500"), new BigDecimal("1000")).ofScale(4);
    }

    @Provide
    Arbitrary<BigDecimal> charges() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("300")).ofScale(2);
    }

    @Provide
    Arbitrary<BigDecimal> vats() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("30")).ofScale(1);
    }

    private static PriceCurve one(Instant start, BigDecimal spot) {
        return new PriceCurve(List.of(new PriceSlot(start, Duration.ofMinutes(15), EnergyPrice.perMegawattHour(spot.toPlainString(), "EUR"),
                "entsoe")));
    }

    @Property(tries = 500)
    void importIsSpotPlusChargesTimesVatExactly(@ForAll("amounts") BigDecimal spot, @ForAll("charges") BigDecimal energy,
            @ForAll("charges") BigDecimal grid, @ForAll("charges") BigDecimal levies, @ForAll("vats") BigDecimal vat) {
        TariffCalculator c = Configs.calculator("energyChargePerMwh", energy.toPlainString(), "gridFeePerMwh", grid.toPlainString(),
                "leviesPerMwh", levies.toPlainString(), "vatPercent", vat.toPlainString());
        Instant t = Instant.parse("2026-06-01T10:00:00Z");

        BigDecimal got = c.prices(t, t.plusSeconds(900), one(t, spot), Set.of(), BERLIN).importPrices().slots().get(0).price()
                .perMegawattHour().amount();

        BigDecimal net = spot.add(energy).add(grid).add(levies);
        // Exact: taking the VAT back out gives the net to the last digit, which no double sum would for every case.
        assertThat(got.compareTo(net.multiply(BigDecimal.ONE.add(vat.movePointLeft(2))))).isZero();
        assertThat(got.subtract(net).compareTo(net.multiply(vat).movePointLeft(2))).isZero();
        assertThat(got.scale()).isLessThanOrEqualTo(4 + 3);
    }

    /** Spring-forward and fall-back Sundays of 2024..2035, and a plain day. */
    @Provide
    Arbitrary<LocalDate> dstDays() {
        return Arbitraries.integers().between(2024, 2035).flatMap(year -> Arbitraries.of(
                LocalDate.of(year, 3, 31).with(TemporalAdjusters.lastInMonth(java.time.DayOfWeek.SUNDAY)),
                LocalDate.of(year, 10, 31).with(TemporalAdjusters.lastInMonth(java.time.DayOfWeek.SUNDAY)),
                LocalDate.of(year, 6, 10)));
    }

    @Property(tries = 200)
    void eachQuarterHourOfADstDayGetsTheBandOfItsLocalHour(@ForAll("dstDays") LocalDate day, @ForAll @IntRange(min = 0, max = 23) int bandFrom,
            @ForAll @IntRange(min = 1, max = 24) int bandLength) {
        int bandTo = (bandFrom + Math.min(bandLength, 23)) % 24;
        TariffCalculator c = Configs.calculator("gridFeePerMwh", "10", "gridFeeBands",
                new String[] { "* " + bandFrom + "-" + (bandTo == 0 ? 24 : bandTo) + " 99" });
        Instant start = day.atStartOfDay(BERLIN).toInstant();
        Instant end = day.plusDays(1).atStartOfDay(BERLIN).toInstant();
        List<PriceSlot> quarters = new ArrayList<>();
        for (Instant t = start; t.isBefore(end); t = t.plus(Duration.ofMinutes(15))) {
            quarters.add(new PriceSlot(t, Duration.ofMinutes(15), EnergyPrice.perMegawattHour("0", "EUR"), "entsoe"));
        }

        SitePrices p = c.prices(start, end, new PriceCurve(quarters), Set.of(), BERLIN);

        // 92, 96 or 100 quarter hours: the tariff neither drops nor adds one.
        assertThat(p.importPrices().slots()).hasSize(quarters.size());
        assertThat(quarters.size()).isIn(92, 96, 100);
        for (PriceSlot s : p.importPrices().slots()) {
            int hour = ZonedDateTime.ofInstant(s.start(), BERLIN).getHour();
            boolean inBand = bandFrom < bandTo ? hour >= bandFrom && hour < bandTo : hour >= bandFrom || hour < bandTo;
            assertThat(s.price().perMegawattHour().amount()).as("%s (local hour %d)", s.start(), hour)
                    .isEqualByComparingTo(inBand ? "99" : "10");
        }
    }

    @Property(tries = 300)
    void aFixedTariffCoversTheHorizonWithoutGapsOrOverlapsInAnyZone(@ForAll("dstDays") LocalDate day,
            @ForAll @IntRange(min = 0, max = 59) int minuteOffset, @ForAll("zones") ZoneId zone) {
        TariffCalculator c = Configs.calculator("importMode", "fixed", "energyChargePerMwh", "250");
        Instant from = day.atStartOfDay(zone).toInstant().plus(Duration.ofMinutes(minuteOffset));
        Instant to = from.plus(Duration.ofHours(49));

        List<PriceSlot> slots = c.prices(from, to, PriceCurve.EMPTY, Set.of(), zone).importPrices().slots();

        assertThat(slots.get(0).contains(from)).isTrue();
        assertThat(slots.get(slots.size() - 1).end()).isAfterOrEqualTo(to);
        for (int i = 1; i < slots.size(); i++) {
            assertThat(slots.get(i).start()).isEqualTo(slots.get(i - 1).end());
        }
        assertThat(slots).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(Duration.ofHours(1)));
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(ZoneId.of("Europe/Berlin"), ZoneId.of("America/Los_Angeles"), ZoneId.of("Asia/Kolkata"),
                ZoneId.of("Australia/Adelaide"), ZoneId.of("UTC"));
    }

    /**
     * Import is at least export where that truly holds: non-negative charges and VAT, an export share of at most
     * the spot price less a fee, and a spot price that is not negative (or no VAT: VAT on a negative price makes
     * importing pay more than exporting costs, see TariffCalculatorTest).
     */
    @Property(tries = 500)
    void importIsAtLeastExportWhereThatHolds(@ForAll("amounts") BigDecimal spot, @ForAll("charges") BigDecimal grid,
            @ForAll("vats") BigDecimal vat, @ForAll @IntRange(min = 0, max = 100) int factorPercent,
            @ForAll("charges") BigDecimal fee, @ForAll boolean floor) {
        BigDecimal vatInForce = spot.signum() < 0 ? BigDecimal.ZERO : vat;
        // Floored export is 0 where the spot export is negative: it exceeds a negative import price.
        boolean floorMayExceed = floor && spot.add(grid).signum() < 0;
        TariffCalculator c = Configs.calculator("gridFeePerMwh", grid.toPlainString(), "vatPercent", vatInForce.toPlainString(),
                "exportMode", "spot", "exportFactor", BigDecimal.valueOf(factorPercent, 2).toPlainString(),
                "exportOffsetPerMwh", fee.negate().toPlainString(), "negativeExport", floor && !floorMayExceed ? "floor" : "pass");
        Instant t = Instant.parse("2026-06-01T10:00:00Z");
        // A factor below 1 of a negative price is above the price: the share applies to positive prices only here.
        BigDecimal s = factorPercent < 100 && spot.signum() < 0 ? spot.negate() : spot;

        SitePrices p = c.prices(t, t.plusSeconds(900), one(t, s), Set.of(), BERLIN);

        BigDecimal imported = p.importPrices().slots().get(0).price().perMegawattHour().amount();
        BigDecimal exported = p.exportPrices().slots().get(0).price().perMegawattHour().amount();
        assertThat(imported).as("import %s, export %s", imported, exported).isGreaterThanOrEqualTo(exported);
    }

    @Property(tries = 100)
    void slotsAreCutOnlyWhereTheyCrossALocalHour(@ForAll("zones") ZoneId zone, @ForAll @IntRange(min = 0, max = 3) int quarter) {
        Instant start = Instant.parse("2026-03-29T00:00:00Z").plus(Duration.ofMinutes(15L * quarter));
        PriceSlot slot = new PriceSlot(start, Duration.ofHours(1), EnergyPrice.perMegawattHour("1", "EUR"), "x");

        List<PriceSlot> parts = TariffCalculator.byLocalHour(slot, zone);

        assertThat(parts.get(0).start()).isEqualTo(start);
        assertThat(parts.get(parts.size() - 1).end()).isEqualTo(slot.end());
        for (PriceSlot part : parts) {
            ZonedDateTime local = part.start().atZone(zone);
            assertThat(part.end().atZone(zone).minusNanos(1).truncatedTo(ChronoUnit.HOURS)).isEqualTo(local.truncatedTo(ChronoUnit.HOURS));
        }
    }
}
