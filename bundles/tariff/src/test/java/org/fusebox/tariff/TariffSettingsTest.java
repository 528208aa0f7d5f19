package org.fusebox.tariff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class TariffSettingsTest {

    private static String refused(Object... keyValues) {
        try {
            TariffSettings.from(Configs.tariff(keyValues));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void everyWrongValueIsNamed() {
        String why = refused("currency", "EURO", "vatPercent", "119", "gridFeePerMwh", "1e6", "exportFactor", "-1", "leviesPerMwh", "NaN",
                "importMode", "dynamic", "exportMode", "market", "negativeExport", "clip");
        assertThat(why).contains("currency must be an ISO 4217 code such as EUR, got 'EURO'")
                .contains("vatPercent must be within 0..100, got 119")
                .contains("gridFeePerMwh must be within -100000..100000 per MWh, got 1000000")
                .contains("exportFactor must be within 0..10, got -1")
                .contains("leviesPerMwh must be a decimal number such as 12.5, got 'NaN'")
                .contains("importMode must be 'spot' or 'fixed', got 'dynamic'")
                .contains("exportMode must be 'none', 'zero', 'fixed' or 'spot', got 'market'")
                .contains("negativeExport must be 'pass' or 'floor', got 'clip'");
    }

    @Test
    void bandsAreCheckedAndMayNotOverlap() {
        assertThat(refused("gridFeeBands", new String[] { "Mon-Fri 17-20" })).contains("must be 'days hours amount'");
        assertThat(refused("gridFeeBands", new String[] { "Mo 17-20 5" })).contains("days 'Mo' must be Mon..Sun");
        assertThat(refused("gridFeeBands", new String[] { "Mon 17-25 5" })).contains("hours '17-25' must be from-to");
        assertThat(refused("gridFeeBands", new String[] { "Mon 5-5 5" })).contains("hours '5-5'");
        assertThat(refused("gridFeeBands", new String[] { "* 0-6 20", "Sat,Sun 5-8 30" }))
                .contains("entries '* 0-6 20' and 'Sat,Sun 5-8 30' overlap on SATURDAY at 5:00");
    }

    @Test
    void bandsWrapMidnightAndTheWeekAndZeroToTwentyFourIsTheWholeDay() {
        TariffSettings s = TariffSettings.from(Configs.tariff("gridFeeBands", new String[] { "Sun-Mon 22-6 10", "Wed 0-24 7" }));
        ZoneId z = ZoneId.of("Europe/Berlin");
        LocalDate sunday = LocalDate.of(2026, 3, 8);
        assertThat(sunday.getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
        assertThat(s.gridFeeBands().at(ZonedDateTime.of(sunday, LocalTime.of(23, 0), z))).isEqualByComparingTo("10");
        assertThat(s.gridFeeBands().at(ZonedDateTime.of(sunday, LocalTime.of(3, 0), z))).isEqualByComparingTo("10");
        assertThat(s.gridFeeBands().at(ZonedDateTime.of(sunday, LocalTime.of(6, 0), z))).isNull();
        assertThat(s.gridFeeBands().at(ZonedDateTime.of(sunday.plusDays(2), LocalTime.of(5, 0), z))).isNull(); // Tuesday
        assertThat(s.gridFeeBands().at(ZonedDateTime.of(sunday.plusDays(3), LocalTime.of(0, 0), z))).isEqualByComparingTo("7");
        assertThat(s.gridFeeBands().at(ZonedDateTime.of(sunday.plusDays(3), LocalTime.of(23, 0), z))).isEqualByComparingTo("7");
    }

    @Test
    void theServiceKeepsThePreviousTariffWhenANewOneIsRefused() {
        TariffService service = new TariffService();
        service.configure(Configs.tariff("vatPercent", "21"));
        service.configure(Configs.tariff("vatPercent", "121"));

        assertThat(service.health().details()).singleElement().asString()
                .contains("the previous tariff stays in force").contains("vatPercent must be within 0..100");
        var p = service.prices(java.time.Instant.EPOCH, java.time.Instant.EPOCH.plusSeconds(3600), new org.fusebox.api.market.PriceCurve(
                java.util.List.of(new org.fusebox.api.market.PriceSlot(java.time.Instant.EPOCH, java.time.Duration.ofHours(1),
                        org.fusebox.api.units.EnergyPrice.perMegawattHour("100", "EUR"), "e"))), java.util.Set.of(), ZoneId.of("UTC"));
        assertThat(p.importPrices().slots().get(0).price().perMegawattHour().amount()).isEqualByComparingTo("121");
    }

    @Test
    void withoutAnyValidConfigurationItRefusesToPrice() {
        TariffService service = new TariffService();
        service.configure(Configs.tariff("currency", "??"));

        assertThat(service.health().status()).isEqualTo(org.fusebox.api.health.HealthStatus.DOWN);
        assertThatThrownBy(() -> service.prices(java.time.Instant.EPOCH, java.time.Instant.EPOCH, org.fusebox.api.market.PriceCurve.EMPTY,
                java.util.Set.of(), ZoneId.of("UTC"))).hasMessageContaining("no valid tariff configuration");
    }
}
