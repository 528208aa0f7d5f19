package org.fusebox.api.market;

import java.util.Objects;

/**
 * What energy costs the site, per slot: the market curve it came from, what the site pays to import and
 * what it earns for exporting. Each curve may be empty when not known.
 *
 * @param spot          the market prices the feeds gave (for a retail feed: its retail price)
 * @param importPrices  what the site pays per MWh imported, fees and VAT included
 * @param exportPrices  what the site earns per MWh exported (negative: it pays to export)
 * @since 1.1
 */
public record SitePrices(PriceCurve spot, PriceCurve importPrices, PriceCurve exportPrices) {

    public static final SitePrices EMPTY = new SitePrices(PriceCurve.EMPTY, PriceCurve.EMPTY, PriceCurve.EMPTY);

    public SitePrices {
        spot = Objects.requireNonNullElse(spot, PriceCurve.EMPTY);
        importPrices = Objects.requireNonNullElse(importPrices, PriceCurve.EMPTY);
        exportPrices = Objects.requireNonNullElse(exportPrices, PriceCurve.EMPTY);
    }

    /** Without a tariff: the site pays the market price, and what it earns is not known. */
    public static SitePrices untariffed(PriceCurve spot) {
        return new SitePrices(spot, spot, PriceCurve.EMPTY);
    }
}
