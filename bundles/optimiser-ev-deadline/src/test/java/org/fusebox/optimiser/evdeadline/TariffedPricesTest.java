package org.fusebox.optimiser.evdeadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's tariff is the tariff bundle's arithmetic, configured from the shipped file. */
class TariffedPricesTest {

    static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
    static final Path SHIPPED = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("src/test/resources/bench/tariff-be-evening-peak.cfg");

    static PriceSlot hour(String localStart, String spotPerMwh) {
        return new PriceSlot(LocalDateTime.parse(localStart).atZone(BRUSSELS).toInstant(), Duration.ofHours(1),
                EnergyPrice.perMegawattHour(spotPerMwh, "EUR"));
    }

    static BigDecimal mwh(PriceSlot s) {
        return s.price().perMegawattHour().amount();
    }

    @Test
    void theShippedTariffPricesEachBandExactly() throws Exception {
        PriceCurve spot = new PriceCurve(List.of(hour("2023-06-14T03:00", "100.00"), hour("2023-06-14T04:00", "-20.00"),
                hour("2023-06-14T05:00", "100.00"), hour("2023-06-14T06:00", "100.00")));
        PriceCurve evening = new PriceCurve(List.of(hour("2023-06-14T17:00", "100.00"), hour("2023-06-14T20:00", "100.00"),
                hour("2023-06-14T21:00", "100.00")));

        List<PriceSlot> night = TariffedPrices.importPrices(SHIPPED, spot, BRUSSELS);
        List<PriceSlot> peak = TariffedPrices.importPrices(SHIPPED, evening, BRUSSELS);

        // (spot + 15 + band + 45) x 1.21; low band 0-6 at 25, standard 80, high 17-21 at 160
        assertThat(night).extracting(TariffedPricesTest::mwh).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("223.85"), new BigDecimal("78.65"), new BigDecimal("223.85"), new BigDecimal("290.40"));
        assertThat(peak).extracting(TariffedPricesTest::mwh).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("387.20"), new BigDecimal("387.20"), new BigDecimal("290.40"));
        assertThat(night.get(0).start()).isEqualTo(spot.slots().get(0).start());
    }

    @Test
    void aConfigurationTheTariffRefusesStopsWithItsReason(@TempDir Path dir) throws Exception {
        Path overlapping = dir.resolve("bad.cfg");
        Files.writeString(overlapping, "gridFeeBands = [\"* 0-6 25.00\", \"* 5-9 30.00\"]\n");
        Path typo = dir.resolve("typo.cfg");
        Files.writeString(typo, "vatPrecent = 21\n");
        PriceCurve spot = new PriceCurve(List.of(hour("2023-06-14T03:00", "100.00")));

        assertThatThrownBy(() -> TariffedPrices.importPrices(overlapping, spot, BRUSSELS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refused").hasMessageContaining("gridFeeBands");
        assertThatThrownBy(() -> TariffedPrices.importPrices(typo, spot, BRUSSELS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vatPrecent");
    }
}
