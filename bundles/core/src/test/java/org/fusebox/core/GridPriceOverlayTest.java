package org.fusebox.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fusebox.api.grid.GridSignal;
import org.fusebox.api.grid.GridSignalKind;
import org.fusebox.api.market.PriceCurve;
import org.fusebox.api.market.PriceSlot;
import org.fusebox.api.market.SitePrices;
import org.fusebox.api.units.EnergyPrice;
import org.junit.jupiter.api.Test;

class GridPriceOverlayTest {

    private static final Instant T0 = Instant.parse("2026-12-08T00:00:00Z");
    private static final Instant TO = T0.plus(Duration.ofHours(48));

    private static Instant h(double hours) {
        return T0.plusSeconds((long) (hours * 3600));
    }

    /** {@code hours} hourly slots from T0 at 100, 101, 102 ... per MWh, from feed "spot". */
    private static PriceCurve hourly(int hours, String currency) {
        List<PriceSlot> slots = new ArrayList<>();
        for (int i = 0; i < hours; i++) {
            slots.add(new PriceSlot(h(i), Duration.ofHours(1), EnergyPrice.perMegawattHour(String.valueOf(100 + i), currency), "spot"));
        }
        return new PriceCurve(slots);
    }

    private static GridSignal price(String id, GridSignalKind kind, Instant start, Instant end, double perMwh, String currency) {
        return new GridSignal(id, "vtn", kind, start, end, perMwh, currency, "program p1");
    }

    @Test
    void aProgramPriceReplacesWhatTheSitePaysForItsIntervalOnly() {
        SitePrices base = SitePrices.untariffed(hourly(4, "EUR"));
        GridSignal s = price("e1/0/PRICE", GridSignalKind.PRICE, h(1.5), h(2.5), 400, "EUR");

        GridPriceOverlay.Result r = GridPriceOverlay.apply(base, List.of(s), T0, TO);

        List<PriceSlot> slots = r.prices().importPrices().slots();
        assertThat(r.problems()).isEmpty();
        assertThat(slots).extracting(PriceSlot::start).containsExactly(h(0), h(1), h(1.5), h(2.5), h(3));
        assertThat(slots).extracting(PriceSlot::source).containsExactly("spot", "spot", "vtn", "spot", "spot");
        assertThat(slots.get(1).length()).isEqualTo(Duration.ofMinutes(30));
        assertThat(slots.get(1).price()).isEqualTo(EnergyPrice.perMegawattHour("101", "EUR"));
        assertThat(slots.get(2).length()).isEqualTo(Duration.ofHours(1));
        assertThat(slots.get(2).price().perMegawattHour().amount().doubleValue()).isEqualTo(400.0);
        assertThat(slots.get(3).price()).isEqualTo(EnergyPrice.perMegawattHour("102", "EUR"));
        // the market curve is what the feeds said; the export side had nothing and gets nothing
        assertThat(r.prices().spot()).isEqualTo(base.spot());
        assertThat(r.prices().exportPrices().isEmpty()).isTrue();
    }

    @Test
    void theNewerOfOverlappingPricesWinsAndUntilFurtherNoticeEndsAtTheHorizon() {
        SitePrices base = SitePrices.untariffed(hourly(2, "EUR"));
        GridSignal standing = price("e1/0/PRICE", GridSignalKind.PRICE, h(0), null, 200, "EUR");
        GridSignal newer = price("e2/0/PRICE", GridSignalKind.PRICE, h(1), h(1.25), 50, "EUR");

        List<PriceSlot> slots = GridPriceOverlay.apply(base, List.of(standing, newer), T0, TO).prices().importPrices().slots();

        assertThat(slots).extracting(PriceSlot::start).containsExactly(h(0), h(1), h(1.25));
        assertThat(slots).extracting(s -> s.price().perMegawattHour().amount().doubleValue()).containsExactly(200.0, 50.0, 200.0);
        assertThat(slots.get(2).end()).isEqualTo(TO);
    }

    @Test
    void anExportPriceFillsAnUnknownExportSideAndAnotherCurrencyIsRefusedWithItsReason() {
        SitePrices base = SitePrices.untariffed(hourly(2, "EUR"));
        GridSignal export = price("e3/0/EXPORT_PRICE", GridSignalKind.EXPORT_PRICE, h(0), h(1), 30, "EUR");
        GridSignal dollars = price("e4/0/PRICE", GridSignalKind.PRICE, h(0), h(1), 90, "USD");

        GridPriceOverlay.Result r = GridPriceOverlay.apply(base, List.of(export, dollars), T0, TO);

        assertThat(r.prices().exportPrices().slots()).singleElement().satisfies(s -> {
            assertThat(s.start()).isEqualTo(h(0));
            assertThat(s.end()).isEqualTo(h(1));
            assertThat(s.source()).isEqualTo("vtn");
        });
        assertThat(r.prices().importPrices()).isEqualTo(base.importPrices());
        assertThat(r.problems()).singleElement().asString()
                .contains("e4/0/PRICE").contains("USD").contains("EUR").contains("not used");
    }
}
