package org.fusebox.market.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.stream.Stream;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.units.EnergyPrice;
import org.fusebox.api.units.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache file and the known-price bookkeeping. */
class PriceCacheTest {

    static final Instant T = Instant.parse("2025-10-25T22:00:00Z");
    static final Duration QH = Duration.ofMinutes(15);

    @TempDir
    Path dir;

    static PriceSlot slot(Instant start, Duration length, String amount) {
        return new PriceSlot(start, length, new EnergyPrice(new Money(new BigDecimal(amount), Currency.getInstance("EUR"))));
    }

    @Test
    void pricesComeBackExactAndNoTemporaryFileStays() throws IOException {
        PriceCache cache = new PriceCache(dir, "fusebox-test", "DE-LU");
        List<PriceSlot> slots = List.of(slot(T, QH, "-0.01"), slot(T.plus(QH), QH, "1234.56789"), slot(T.plus(QH.multipliedBy(2)), Duration.ofHours(1), "0"));
        cache.write(slots);
        cache.write(slots.subList(0, 2));
        assertThat(cache.file().getFileName().toString()).isEqualTo("prices-DE_LU.txt");
        assertThat(cache.read()).isEqualTo(slots.subList(0, 2));
        assertThat(cache.read().get(1).price().perMegawattHour().amount()).isEqualTo(new BigDecimal("1234.56789"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(cache.file());
        }
    }

    @Test
    void noFileIsNoPricesAndAnotherFeedsFileIsRefused() throws IOException {
        assertThat(new PriceCache(dir, "fusebox-a", "DE").read()).isEmpty();
        new PriceCache(dir, "fusebox-a", "DE").write(List.of(slot(T, QH, "1")));
        assertThatThrownBy(() -> new PriceCache(dir, "fusebox-b", "DE").read()).hasMessageContaining("not a price cache of this feed");
        Files.writeString(dir.resolve("prices-DE.txt"), "# fusebox-a prices v1 zone=DE\n" + T + ";PT15M;1;EUR\n" + T + ";PT15M;x;EUR\n");
        assertThatThrownBy(() -> new PriceCache(dir, "fusebox-a", "DE").read()).hasMessageContaining("line 3 is damaged");
    }

    @Test
    void aMergeReplacesWhatItCoversAndKnownUntilStopsAtAGap() {
        KnownPrices hours = KnownPrices.of(List.of(slot(T, Duration.ofHours(1), "10"), slot(T.plusSeconds(3600), Duration.ofHours(1), "20")));
        // a quarter-hour republication of the first hour replaces it whole
        KnownPrices merged = hours.merge(List.of(slot(T, QH, "11"), slot(T.plus(QH), QH, "12")), Instant.MIN);
        assertThat(merged.slots()).extracting(s -> s.price().perMegawattHour().amount().intValue()).containsExactly(11, 12, 20);
        assertThat(merged.knownUntil(T)).isEqualTo(T.plus(QH.multipliedBy(2)));
        assertThat(merged.knownUntil(T.plusSeconds(3600))).isEqualTo(T.plusSeconds(7200));
        assertThat(merged.knownUntil(T.minusSeconds(1))).isEqualTo(T.minusSeconds(1));
        assertThat(merged.between(T.plus(QH), T.plusSeconds(3601)).slots()).hasSize(2);
        assertThat(merged.merge(List.of(), T.plusSeconds(3600)).size()).isEqualTo(1);
        assertThatThrownBy(() -> hours.merge(List.of(slot(T, QH, "1"), slot(T.plusSeconds(60), QH, "2")), Instant.MIN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(hours.size()).isEqualTo(2);
    }
}
